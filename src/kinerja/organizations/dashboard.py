"""What the dashboard shows a user, by role, as plain data (a constant number of queries).

- Agency planners (Kepala Dinas, Sekretaris, Kasubbag Program, Fungsional
  Umum): a summary of their agency — units, positions filled/vacant/acting,
  this year's indicators and performance agreements (PK) by status.
- Unit roles (Kepala Bidang, Kepala UPT, Pemegang Data, …): their unit and the
  indicators it is responsible for, with this year's target.
- A government administrator: every agency of the government with counts.
- A superuser: every government.
- Staff of a coordinating agency (BAPPEDA, Biro Organisasi): additionally the
  names of their government's agencies (read-only; no access to their data).
Everyone with a position also sees their own PK and their Plt/Plh duties.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.organizations.access import UserScope
from kinerja.organizations.models import (
    AGENCY_PLANNER_ROLES,
    Agency,
    Assignment,
    Government,
    OrgUnit,
    Position,
    RoleKey,
)
from kinerja.planning.models import AnnualTarget, Indicator, PerformanceAgreement

SUPERUSER = "superuser"
GOVERNMENT_ADMIN = "government_admin"
NO_ROLE = "none"

#: which of several positions decides the dashboard (the most senior first)
ROLE_PRECEDENCE: list[str] = [
    RoleKey.KEPALA_DINAS,
    RoleKey.SEKRETARIS,
    RoleKey.KASUBBAG_PROGRAM,
    RoleKey.FUNGSIONAL_UMUM,
    RoleKey.KEPALA_BIDANG,
    RoleKey.KEPALA_UPT,
    RoleKey.KASUBBAG,
    RoleKey.KEPALA_SEKSI,
    RoleKey.PEMEGANG_DATA,
    RoleKey.STAF,
]


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency
    units: int = 0
    positions: int = 0
    filled: int = 0
    acting: int = 0
    indicators: int = 0
    agreements_draft: int = 0
    agreements_signed: int = 0

    @property
    def vacant(self) -> int:
        return self.positions - self.filled

    @property
    def agreements(self) -> int:
        return self.agreements_draft + self.agreements_signed


@dataclass(frozen=True)
class GovernmentSummary:
    government: Government
    agencies: int
    coordinating: int


@dataclass(frozen=True)
class UnitIndicator:
    indicator: Indicator
    target: AnnualTarget | None


@dataclass(frozen=True)
class Dashboard:
    role: str
    role_label: str
    year: int
    agency: Agency | None = None
    units: list[OrgUnit] = field(default_factory=list)
    acting: list[Assignment] = field(default_factory=list)
    agency_summary: AgencySummary | None = None
    unit_indicators: list[UnitIndicator] = field(default_factory=list)
    own_agreements: list[PerformanceAgreement] = field(default_factory=list)
    government_agencies: list[AgencySummary] = field(default_factory=list)
    governments: list[GovernmentSummary] = field(default_factory=list)
    coordination: list[Agency] = field(default_factory=list)


def _role_rank(assignment: Assignment) -> tuple[int, bool]:
    """Most senior role first; for the same role, the definitive position before an acting one."""
    role = assignment.position.role_key
    rank = ROLE_PRECEDENCE.index(role) if role in ROLE_PRECEDENCE else len(ROLE_PRECEDENCE)
    return (rank, assignment.kind != Assignment.Kind.DEFINITIVE)


def dashboard_for(
    *, scope: UserScope, day: datetime.date | None = None, year: int | None = None
) -> Dashboard:
    """The dashboard of the scope's user on `day` (default today), with the plans of `year`
    (default: the year of `day`). Who holds which position is always as of `day`."""
    day = day or timezone.localdate()
    year = year or day.year
    current = _current_assignments(scope.user_id, day) if scope.user_id is not None else []
    acting = [a for a in current if a.kind != Assignment.Kind.DEFINITIVE]
    own_agreements = _own_agreements(current, year)

    if scope.is_superuser:
        return Dashboard(
            role=SUPERUSER,
            role_label=_("Superuser"),
            year=year,
            acting=acting,
            own_agreements=own_agreements,
            governments=_government_summaries(),
        )
    if scope.admin_government_ids:
        agencies = list(
            Agency.objects.filter(
                government_id__in=scope.admin_government_ids, archived_at__isnull=True
            ).select_related("government")
        )
        return Dashboard(
            role=GOVERNMENT_ADMIN,
            role_label=_("Government administrator"),
            year=year,
            acting=acting,
            own_agreements=own_agreements,
            government_agencies=_agency_summaries(agencies, day, year),
        )
    if not current:
        return Dashboard(role=NO_ROLE, role_label=_("no position"), year=year)

    primary = min(current, key=_role_rank)
    role = primary.position.role_key
    agency = primary.position.agency
    units = {
        a.position.unit.pk: a.position.unit
        for a in current
        if a.position.unit and a.position.agency_id == agency.pk
    }
    board = Dashboard(
        role=role,
        role_label=str(RoleKey(role).label),
        year=year,
        agency=agency,
        acting=acting,
        own_agreements=own_agreements,
        coordination=_coordination(current),
    )
    if role in AGENCY_PLANNER_ROLES or not units:
        return replace(board, agency_summary=_agency_summaries([agency], day, year)[0])
    return replace(
        board,
        units=list(units.values()),
        unit_indicators=_unit_indicators(_with_sub_units(agency, set(units)), year),
    )


# --- panels ----------------------------------------------------------------------------


def _current_assignments(user_id: int, day: datetime.date) -> list[Assignment]:
    return list(
        Assignment.objects.active_on(day)
        .filter(employee__user_id=user_id, archived_at__isnull=True)
        .filter(position__archived_at__isnull=True)
        .select_related("position__agency__government", "position__unit")
    )


def _with_sub_units(agency: Agency, unit_ids: set[int]) -> set[int]:
    """The units and all units below them (a Kepala Bidang answers for the Seksi's indicators)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in OrgUnit.objects.filter(agency=agency, archived_at__isnull=True).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    found, todo = set(), list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children[pk])
    return found


def _agency_summaries(agencies: list[Agency], day: datetime.date, year: int) -> list[AgencySummary]:
    """Counts for many agencies in four queries, whatever their number and size."""
    if not agencies:
        return []
    ids = [agency.pk for agency in agencies]
    units = dict(
        OrgUnit.objects.filter(agency_id__in=ids, archived_at__isnull=True)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("agency_id", "n")
    )
    active = Q(assignments__archived_at__isnull=True, assignments__start_date__lte=day) & (
        Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=day)
    )
    acting_kinds = [Assignment.Kind.PLT, Assignment.Kind.PLH]
    positions = {
        agency_id: (total, filled, acting)
        for agency_id, total, filled, acting in Position.objects.filter(
            agency_id__in=ids, archived_at__isnull=True
        )
        .values("agency_id")
        .annotate(
            total=Count("pk", distinct=True),
            filled=Count("pk", filter=active, distinct=True),
            acting=Count(
                "pk", filter=active & Q(assignments__kind__in=acting_kinds), distinct=True
            ),
        )
        .order_by()
        .values_list("agency_id", "total", "filled", "acting")
    }
    indicators = dict(
        Indicator.objects.filter(
            archived_at__isnull=True,
            objective__plan__agency_id__in=ids,
            objective__plan__start_year__lte=year,
            objective__plan__end_year__gte=year,
        )
        .values("objective__plan__agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("objective__plan__agency_id", "n")
    )
    agreements = _newest_agreement_statuses(
        PerformanceAgreement.objects.filter(
            position__agency_id__in=ids, year=year, archived_at__isnull=True
        ).values_list("position__agency_id", "position_id", "version", "status")
    )
    summaries = []
    for agency in agencies:
        total, filled, acting = positions.get(agency.pk, (0, 0, 0))
        statuses = agreements.get(agency.pk, {})
        summaries.append(
            AgencySummary(
                agency=agency,
                units=units.get(agency.pk, 0),
                positions=total,
                filled=filled,
                acting=acting,
                indicators=indicators.get(agency.pk, 0),
                agreements_draft=statuses.get(PerformanceAgreement.Status.DRAFT, 0),
                agreements_signed=statuses.get(PerformanceAgreement.Status.SIGNED, 0),
            )
        )
    return summaries


def _newest_agreement_statuses(
    rows: Iterable[tuple[int, int, int, str]],
) -> dict[int, dict[str, int]]:
    """agency → status → number of positions whose newest PK version has that status."""
    newest: dict[int, tuple[int, int, str]] = {}
    for agency_id, position_id, version, status in rows:
        if position_id not in newest or version > newest[position_id][1]:
            newest[position_id] = (agency_id, version, status)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for agency_id, _version, status in newest.values():
        counts[agency_id][status] += 1
    return counts


def _unit_indicators(unit_ids: Iterable[int], year: int) -> list[UnitIndicator]:
    indicators = (
        Indicator.objects.filter(
            archived_at__isnull=True,
            responsible_unit_id__in=list(unit_ids),
            objective__plan__start_year__lte=year,
            objective__plan__end_year__gte=year,
        )
        .select_related("responsible_unit")
        .prefetch_related(
            Prefetch(
                "annual_targets",
                queryset=AnnualTarget.objects.filter(year=year),
                to_attr="year_targets",
            )
        )
        .order_by("responsible_unit__sort_order", "objective__sort_order", "sort_order", "code")
    )
    return [
        UnitIndicator(indicator=i, target=next(iter(i.year_targets), None))  # type: ignore[attr-defined]
        for i in indicators
    ]


def _own_agreements(current: list[Assignment], year: int) -> list[PerformanceAgreement]:
    """The newest version of the PK of each position the user holds (also as Plt/Plh)."""
    if not current:
        return []
    newest: dict[int, PerformanceAgreement] = {}
    for agreement in PerformanceAgreement.objects.filter(
        position_id__in=[a.position_id for a in current], year=year, archived_at__isnull=True
    ).order_by("position_id", "-version"):
        newest.setdefault(agreement.position_id, agreement)
    return list(newest.values())


def _coordination(current: list[Assignment]) -> list[Agency]:
    """For staff of a coordinating agency: the names of the agencies of their government."""
    governments = {
        a.position.agency.government_id for a in current if a.position.agency.is_coordinating
    }
    if not governments:
        return []
    return list(
        Agency.objects.filter(government_id__in=governments, archived_at__isnull=True).order_by(
            "name"
        )
    )


def _government_summaries() -> list[GovernmentSummary]:
    governments = Government.objects.filter(archived_at__isnull=True).annotate(
        agency_count=Count("agencies", filter=Q(agencies__archived_at__isnull=True)),
        coordinating_count=Count(
            "agencies",
            filter=Q(agencies__archived_at__isnull=True, agencies__is_coordinating=True),
        ),
    )
    return [
        GovernmentSummary(
            government=g,
            agencies=g.agency_count,  # type: ignore[attr-defined]
            coordinating=g.coordinating_count,  # type: ignore[attr-defined]
        )
        for g in governments
    ]
