"""Reads of plans, limited to the scope; the web pages and the API both use these."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Assignment, OrgUnit, Position
from kinerja.organizations.selectors import agency_list
from kinerja.planning.consistency import QUARTER_NAMES, line_problems
from kinerja.planning.models import (
    AgreementLine,
    AgreementProgram,
    AnnualTarget,
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
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
                    Prefetch(
                        "quarterly_targets", queryset=QuarterlyTarget.objects.order_by("quarter")
                    )
                )
                .order_by("-agreement__version"),
                to_attr="year_lines",
            ),
        )
        .order_by("objective__sort_order", "objective__code", "sort_order", "code")
    )


def current_agreements(
    *, scope: UserScope, agency: Agency, year: int
) -> list[PerformanceAgreement]:
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


# ---------------------------------------------------------------- pages


def _visible_agreements(*, scope: UserScope) -> QuerySet[PerformanceAgreement]:
    return PerformanceAgreement.objects.filter(
        archived_at__isnull=True, position__agency__in=agency_list(scope=scope)
    )


def indicator_get(*, scope: UserScope, indicator_id: int) -> Indicator:
    """One visible indicator with its plan, agency and every annual target; NotFound otherwise."""
    indicator = (
        visible_indicators(scope=scope)
        .filter(pk=indicator_id)
        .select_related(
            "objective__plan__agency__government", "objective__goal", "responsible_unit"
        )
        .prefetch_related(
            Prefetch("annual_targets", queryset=AnnualTarget.objects.order_by("year"))
        )
        .first()
    )
    if indicator is None:
        raise NotFound("indicator")
    return indicator


def objective_list(
    *, scope: UserScope, agency: Agency, year: int | None = None
) -> QuerySet[Objective]:
    """The agency's objectives (of the Renstra covering `year` when given), in plan order."""
    objectives = Objective.objects.filter(
        archived_at__isnull=True,
        plan__agency=agency,
        plan__agency__in=agency_list(scope=scope),
    ).select_related("plan")
    if year is not None:
        objectives = objectives.filter(plan__start_year__lte=year, plan__end_year__gte=year)
    return objectives.order_by("plan__start_year", "sort_order", "code")


def unit_list(*, scope: UserScope, agency: Agency) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        archived_at__isnull=True, agency=agency, agency__in=agency_list(scope=scope)
    ).order_by("sort_order", "name")


def agreement_get(*, scope: UserScope, agreement_id: int) -> PerformanceAgreement:
    """One visible PK (any version) with its parties and agency; NotFound otherwise."""
    agreement = (
        _visible_agreements(scope=scope)
        .filter(pk=agreement_id)
        .select_related(
            "position__agency__government",
            "position__unit__agency",
            "holder",
            "superior",
            "supersedes",
        )
        .first()
    )
    if agreement is None:
        raise NotFound("agreement")
    return agreement


def agreement_lines(*, agreement: PerformanceAgreement) -> list[AgreementLine]:
    """The PK's lines in order with objective, indicator and quarterly targets (two queries)."""
    return list(
        agreement.lines.select_related("objective", "indicator").prefetch_related(
            Prefetch("quarterly_targets", queryset=QuarterlyTarget.objects.order_by("quarter"))
        )
    )


def agreement_programs(*, agreement: PerformanceAgreement) -> list[AgreementProgram]:
    return list(agreement.programs.all())


def agreement_versions(
    *, scope: UserScope, agreement: PerformanceAgreement
) -> list[PerformanceAgreement]:
    """Every version of the same position's PK for the same year, oldest first."""
    return list(
        _visible_agreements(scope=scope)
        .filter(position_id=agreement.position_id, year=agreement.year)
        .select_related("holder")
        .order_by("version")
    )


def agreement_line_get(*, scope: UserScope, line_id: int) -> AgreementLine:
    """One visible PK line with its agreement, indicator and quarterly targets."""
    line = (
        AgreementLine.objects.filter(pk=line_id, agreement__in=_visible_agreements(scope=scope))
        .select_related(
            "agreement__position__agency", "agreement__position__unit", "indicator", "objective"
        )
        .prefetch_related(
            Prefetch("quarterly_targets", queryset=QuarterlyTarget.objects.order_by("quarter"))
        )
        .first()
    )
    if line is None:
        raise NotFound("agreement line")
    return line


def agreement_positions(*, scope: UserScope, agency: Agency) -> QuerySet[Position]:
    """Positions of the agency a PK can be made for (every active position)."""
    return (
        Position.objects.filter(
            archived_at__isnull=True, agency=agency, agency__in=agency_list(scope=scope)
        )
        .select_related("unit")
        .order_by("sort_order", "title")
    )


def indicators_for_agreement(
    *, scope: UserScope, agreement: PerformanceAgreement
) -> QuerySet[Indicator]:
    """Indicators of the agency's Renstra for the PK's year that are not in the PK yet."""
    return (
        visible_indicators(scope=scope)
        .filter(
            objective__plan__agency_id=agreement.position.agency_id,
            objective__plan__start_year__lte=agreement.year,
            objective__plan__end_year__gte=agreement.year,
        )
        .exclude(agreement_lines__agreement=agreement)
        .select_related("objective")
        .order_by("objective__sort_order", "objective__code", "sort_order", "code")
    )


def _visible_ikis(*, scope: UserScope) -> QuerySet[IndividualIndicator]:
    return IndividualIndicator.objects.filter(
        archived_at__isnull=True, position__agency__in=agency_list(scope=scope)
    ).select_related(
        "employee",
        "position__unit__agency",
        "position__agency",
        "parent_line__indicator",
        "parent_line__agreement__position",
    )


def individual_indicator_list(
    *, scope: UserScope, agency: Agency, year: int
) -> QuerySet[IndividualIndicator]:
    """The agency's IKI for `year` with employee, position and the PK line they cascade from."""
    return (
        _visible_ikis(scope=scope)
        .filter(position__agency=agency, year=year)
        .order_by("position__sort_order", "employee__name", "id")
    )


def individual_indicator_get(
    *, scope: UserScope, individual_indicator_id: int
) -> IndividualIndicator:
    iki = _visible_ikis(scope=scope).filter(pk=individual_indicator_id).first()
    if iki is None:
        raise NotFound("individual indicator")
    return iki


def cascade_lines(*, scope: UserScope, agency: Agency, year: int) -> QuerySet[AgreementLine]:
    """PK lines of the year an IKI can cascade from (every version, newest first)."""
    return (
        AgreementLine.objects.filter(
            agreement__in=_visible_agreements(scope=scope),
            agreement__position__agency=agency,
            agreement__year=year,
        )
        .select_related("agreement__position", "indicator")
        .order_by("agreement__position__sort_order", "-agreement__version", "sort_order")
    )


def assignments_in_year(*, scope: UserScope, agency: Agency, year: int) -> QuerySet[Assignment]:
    """Who held which of the agency's positions in `year` and may get an IKI from this user.

    Planners see every position of the agency; unit roles the positions of their own units.
    """
    assignments = (
        Assignment.objects.filter(
            archived_at__isnull=True,
            position__agency=agency,
            position__agency__in=agency_list(scope=scope),
            start_date__lte=datetime.date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .select_related("employee", "position")
        .order_by("position__sort_order", "employee__name")
    )
    if not scope.can_plan_agency(agency):
        assignments = assignments.filter(position__unit_id__in=scope.unit_ids)
    return assignments


def individual_indicator_assignment(
    *, individual_indicator: IndividualIndicator
) -> Assignment | None:
    """The newest assignment of the IKI's employee to its position (the form's choice)."""
    return (
        Assignment.objects.filter(
            employee_id=individual_indicator.employee_id,
            position_id=individual_indicator.position_id,
            archived_at__isnull=True,
        )
        .select_related("employee", "position")
        .order_by("-start_date")
        .first()
    )


@dataclass
class ActionPlanCell:
    """One quarter of a line in the Rencana Aksi grid; `form` is set while it is being edited."""

    quarter: int
    name: str
    target: QuarterlyTarget | None
    form: Any = None

    @property
    def seen(self) -> dict[str, str]:
        """The stored values, exactly, for the concurrent-edit check."""
        return {
            name: ""
            if self.target is None or getattr(self.target, name) is None
            else str(getattr(self.target, name))
            for name in ("value", "low", "high")
        }


@dataclass
class ActionPlanRow:
    """A PK line with its four quarterly targets and what is inconsistent about them."""

    line: AgreementLine
    cells: list[ActionPlanCell] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def action_plan_rows(*, lines: list[AgreementLine]) -> list[ActionPlanRow]:
    """The Rencana Aksi grid of lines from `agreement_lines`/`agreement_line_get` (no query)."""
    rows = []
    for line in lines:
        by_quarter = {qt.quarter: qt for qt in line.quarterly_targets.all()}
        rows.append(
            ActionPlanRow(
                line=line,
                cells=[
                    ActionPlanCell(quarter=q, name=name, target=by_quarter.get(q))
                    for q, name in QUARTER_NAMES.items()
                ],
                problems=line_problems(line, by_quarter.values()),
            )
        )
    return rows


def plan_years(*, scope: UserScope, agencies: Iterable[Agency]) -> list[int]:
    """Years worth offering for the agencies, newest first: their Renstra years and PK years."""
    visible = agency_list(scope=scope).filter(pk__in=[a.pk for a in agencies])
    years: set[int] = set()
    for start, end in StrategicPlan.objects.filter(
        agency__in=visible, archived_at__isnull=True
    ).values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    years.update(_agreement_years(visible))
    return sorted(years, reverse=True)


def working_year(*, scope: UserScope, agencies: Iterable[Agency]) -> int:
    """The year pages open on: this year once it has a PK, else the latest year with PKs.

    In November an agency still works on (and reports) the year whose PKs are
    signed; a new year only becomes the default when its first PK exists.
    """
    this_year = timezone.localdate().year
    years = _agreement_years(agency_list(scope=scope).filter(pk__in=[a.pk for a in agencies]))
    if this_year in years or not years:
        return this_year
    earlier = [year for year in years if year < this_year]
    return max(earlier) if earlier else min(years)


def _agreement_years(agencies: QuerySet[Agency]) -> set[int]:
    return set(
        PerformanceAgreement.objects.filter(position__agency__in=agencies, archived_at__isnull=True)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )
