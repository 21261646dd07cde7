"""Reads of plans, limited to the scope; the web pages and the API both use these."""

from django.db.models import Prefetch, QuerySet

from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.organizations.selectors import agency_list
from kinerja.planning.models import (
    AgreementLine,
    AnnualTarget,
    Indicator,
    PerformanceAgreement,
    QuarterlyTarget,
)


def visible_indicators(*, scope: UserScope) -> QuerySet[Indicator]:
    """Every indicator of an agency the user may see."""
    return Indicator.objects.filter(
        archived_at__isnull=True,
        objective__plan__agency__in=agency_list(scope=scope),
    )


def indicator_list(*, scope: UserScope, agency: Agency, year: int) -> QuerySet[Indicator]:
    """The agency's indicators of the Renstra covering `year`, with that year's targets.

    Each indicator carries `year_targets` (its AnnualTarget for the year, 0 or 1)
    and `year_lines` (PK lines of that year, newest PK version first, each with
    its quarterly targets) — a constant number of queries whatever the size.
    """
    return (
        visible_indicators(scope=scope)
        .filter(
            objective__plan__agency=agency,
            objective__plan__start_year__lte=year,
            objective__plan__end_year__gte=year,
        )
        .select_related("objective", "objective__goal", "responsible_unit")
        .prefetch_related(
            Prefetch(
                "annual_targets",
                queryset=AnnualTarget.objects.filter(year=year),
                to_attr="year_targets",
            ),
            Prefetch(
                "agreement_lines",
                queryset=AgreementLine.objects.filter(
                    agreement__year=year, agreement__archived_at__isnull=True
                )
                .select_related("agreement")
                .prefetch_related(
                    Prefetch("quarterly_targets", queryset=QuarterlyTarget.objects.order_by("quarter"))
                )
                .order_by("-agreement__version"),
                to_attr="year_lines",
            ),
        )
        .order_by("objective__sort_order", "objective__code", "sort_order", "code")
    )


def current_agreements(*, scope: UserScope, agency: Agency, year: int) -> list[PerformanceAgreement]:
    """The newest version of each position's PK for `year` in the agency."""
    agreements = (
        PerformanceAgreement.objects.filter(
            position__agency=agency,
            position__agency__in=agency_list(scope=scope),
            year=year,
            archived_at__isnull=True,
        )
        .select_related("position", "position__unit", "holder", "superior")
        .order_by("position__sort_order", "position_id", "-version")
    )
    newest: dict[int, PerformanceAgreement] = {}
    for agreement in agreements:
        newest.setdefault(agreement.position_id, agreement)
    return list(newest.values())
