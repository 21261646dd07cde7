"""Reads of the organisation, always limited to what the scope may see."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    Team,
    TeamMember,
)


def agency_list(*, scope: UserScope) -> QuerySet[Agency]:
    """The agencies the user may see, with their government."""
    agencies = Agency.objects.filter(archived_at__isnull=True).select_related("government")
    if scope.sees_all():
        return agencies
    return agencies.filter(
        Q(pk__in=scope.agency_ids) | Q(government_id__in=scope.admin_government_ids)
    )


def agency_get(
    *, scope: UserScope, agency_id: int | None = None, code: str | None = None
) -> Agency:
    """One visible agency by id or code; NotFound otherwise (existence is not revealed)."""
    lookup = {"pk": agency_id} if agency_id is not None else {"code": code}
    agency = agency_list(scope=scope).filter(**lookup).first()
    if agency is None:
        raise NotFound("agency")
    return agency


def default_agency(*, scope: UserScope) -> Agency | None:
    """The agency a user works in (the first one if several), for pages that need one."""
    return agency_list(scope=scope).order_by("pk").first()


def position_holder(*, position: Position, day: datetime.date | None = None) -> Assignment | None:
    """Who acts for `position` on `day`: Plh before Plt before the definitive holder."""
    day = day or timezone.localdate()
    candidates = (
        Assignment.objects.active_on(day)
        .filter(position=position, archived_at__isnull=True)
        .select_related("employee")
    )
    return min(
        candidates,
        key=lambda a: (Assignment.PRECEDENCE[Assignment.Kind(a.kind)], -a.start_date.toordinal()),
        default=None,
    )


def holders_by_position(
    *, positions: QuerySet[Position], day: datetime.date | None = None
) -> dict[int, Assignment]:
    """`position_holder` for many positions in one query."""
    day = day or timezone.localdate()
    result: dict[int, Assignment] = {}
    assignments = (
        Assignment.objects.active_on(day)
        .filter(position__in=positions, archived_at__isnull=True)
        .select_related("employee")
    )
    for assignment in sorted(
        assignments,
        key=lambda a: (Assignment.PRECEDENCE[Assignment.Kind(a.kind)], -a.start_date.toordinal()),
    ):
        result.setdefault(assignment.position_id, assignment)
    return result


def employee_for_user(*, user_id: int) -> Employee | None:
    return (
        Employee.objects.filter(user_id=user_id)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active_on(timezone.localdate())
                .filter(archived_at__isnull=True)
                .select_related("position__agency", "position__unit"),
                to_attr="current_assignments",
            )
        )
        .first()
    )


# --- governments and agencies ----------------------------------------------------------


@dataclass(frozen=True)
class GovernmentAgencies:
    government: Government
    agencies: list[Agency]


def agencies_by_government(*, scope: UserScope) -> list[GovernmentAgencies]:
    """The visible agencies grouped by government, each with `unit_count` and
    `position_count` of its current units and positions (one query)."""
    agencies = agency_list(scope=scope).annotate(
        unit_count=Count("units", filter=Q(units__archived_at__isnull=True), distinct=True),
        position_count=Count(
            "positions", filter=Q(positions__archived_at__isnull=True), distinct=True
        ),
    )
    groups: dict[int, GovernmentAgencies] = {}
    for agency in agencies.order_by("government__name", "name"):
        group = groups.setdefault(
            agency.government_id, GovernmentAgencies(government=agency.government, agencies=[])
        )
        group.agencies.append(agency)
    return list(groups.values())


def _visible_agency(scope: UserScope, agency: Agency) -> Agency:
    if not scope.can_view_agency(agency) or agency.is_archived:
        raise NotFound("agency")
    return agency


# --- the unit tree with positions and their holders -----------------------------------


@dataclass(frozen=True)
class PositionRow:
    """A position with who acts for it today and, when a Plh or Plt acts, the definitive holder."""

    position: Position
    holder: Assignment | None
    definitive: Assignment | None

    @property
    def is_vacant(self) -> bool:
        return self.holder is None

    @property
    def is_acting(self) -> bool:
        return self.holder is not None and self.holder.kind != Assignment.Kind.DEFINITIVE


@dataclass(frozen=True)
class UnitNode:
    unit: OrgUnit
    depth: int
    positions: list[PositionRow] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyStructure:
    """The agency as an organisation chart: positions outside any unit, then the unit tree."""

    agency: Agency
    head_positions: list[PositionRow]
    units: list[UnitNode]

    @property
    def rows(self) -> list[PositionRow]:
        return self.head_positions + [row for node in self.units for row in node.positions]

    @property
    def filled_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_vacant)

    @property
    def vacant_count(self) -> int:
        return sum(1 for row in self.rows if row.is_vacant)

    @property
    def acting_count(self) -> int:
        return sum(1 for row in self.rows if row.is_acting)


def _acting_order(assignment: Assignment) -> tuple[int, int]:
    return (
        Assignment.PRECEDENCE[Assignment.Kind(assignment.kind)],
        -assignment.start_date.toordinal(),
    )


def position_rows(
    *, positions: Iterable[Position], day: datetime.date | None = None
) -> list[PositionRow]:
    """Each position with its acting and definitive holder on `day` (one query)."""
    positions = list(positions)
    day = day or timezone.localdate()
    acting: dict[int, Assignment] = {}
    definitive: dict[int, Assignment] = {}
    assignments = (
        Assignment.objects.active_on(day)
        .filter(position__in=[p.pk for p in positions], archived_at__isnull=True)
        .select_related("employee")
    )
    for assignment in sorted(assignments, key=_acting_order):
        acting.setdefault(assignment.position_id, assignment)
        if assignment.kind == Assignment.Kind.DEFINITIVE:
            definitive.setdefault(assignment.position_id, assignment)
    rows = []
    for position in positions:
        holder = acting.get(position.pk)
        own = definitive.get(position.pk)
        rows.append(
            PositionRow(
                position=position, holder=holder, definitive=own if own is not holder else None
            )
        )
    return rows


def unit_tree(*, scope: UserScope, agency: Agency) -> list[UnitNode]:
    """The agency's current units depth-first, each with its depth (one query)."""
    _visible_agency(scope, agency)
    units = list(
        OrgUnit.objects.filter(agency=agency, archived_at__isnull=True).order_by(
            "sort_order", "name"
        )
    )
    known = {unit.pk for unit in units}
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in known else None
        children.setdefault(parent, []).append(unit)
    nodes: list[UnitNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            nodes.append(UnitNode(unit=unit, depth=depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return nodes


def agency_structure(
    *, scope: UserScope, agency: Agency, day: datetime.date | None = None
) -> AgencyStructure:
    """Units, positions and today's holders of one agency in three queries."""
    nodes = unit_tree(scope=scope, agency=agency)
    positions = Position.objects.filter(agency=agency, archived_at__isnull=True).select_related(
        "superior"
    )
    by_unit = {node.unit.pk: node for node in nodes}
    head: list[PositionRow] = []
    for row in position_rows(positions=positions, day=day):
        node = by_unit.get(row.position.unit_id) if row.position.unit_id else None
        (node.positions if node is not None else head).append(row)
    return AgencyStructure(agency=agency, head_positions=head, units=nodes)


# --- single objects (NotFound outside the scope) ---------------------------------------


def _get(queryset: QuerySet[Any], pk: int, what: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(what)
    return found


def unit_get(*, scope: UserScope, unit_id: int) -> OrgUnit:
    units = OrgUnit.objects.filter(agency__in=agency_list(scope=scope), archived_at__isnull=True)
    return _get(units.select_related("agency__government"), unit_id, "unit")


def position_get(*, scope: UserScope, position_id: int) -> Position:
    positions = Position.objects.filter(
        agency__in=agency_list(scope=scope), archived_at__isnull=True
    )
    return _get(positions.select_related("agency__government", "unit"), position_id, "position")


def assignment_get(*, scope: UserScope, assignment_id: int) -> Assignment:
    assignments = Assignment.objects.filter(
        position__agency__in=agency_list(scope=scope), archived_at__isnull=True
    ).select_related("employee", "position__agency", "position__unit")
    return _get(assignments, assignment_id, "assignment")


def unit_choices(*, scope: UserScope, agency: Agency) -> QuerySet[OrgUnit]:
    _visible_agency(scope, agency)
    return OrgUnit.objects.filter(agency=agency, archived_at__isnull=True).order_by(
        "sort_order", "name"
    )


def position_choices(*, scope: UserScope, agency: Agency) -> QuerySet[Position]:
    _visible_agency(scope, agency)
    return Position.objects.filter(agency=agency, archived_at__isnull=True).order_by(
        "sort_order", "title"
    )


# --- employees -------------------------------------------------------------------------


def employee_visible(*, scope: UserScope) -> QuerySet[Employee]:
    """Employees assigned (now or before) to a visible agency, and the user's own record."""
    if scope.sees_all():
        return Employee.objects.all()
    assigned = Assignment.objects.filter(
        archived_at__isnull=True, position__agency__in=agency_list(scope=scope)
    ).values("employee_id")
    return Employee.objects.filter(Q(pk__in=assigned) | Q(user_id=scope.user_id))


def employee_list(
    *, scope: UserScope, agency: Agency, day: datetime.date | None = None
) -> list[Employee]:
    """Everyone ever assigned to the agency, each with `current_assignments` there (two queries)."""
    _visible_agency(scope, agency)
    day = day or timezone.localdate()
    assigned = Assignment.objects.filter(archived_at__isnull=True, position__agency=agency)
    return list(
        Employee.objects.filter(pk__in=assigned.values("employee_id"), archived_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=assigned.active_on(day)
                .select_related("position__unit")
                .order_by("position__sort_order"),
                to_attr="current_assignments",
            )
        )
        .order_by("name")
    )


def employee_get(*, scope: UserScope, employee_id: int) -> Employee:
    """One visible employee with `history` (assignments in visible agencies, newest first)
    and `seats` (current team seats in visible agencies)."""
    agencies = agency_list(scope=scope)
    return _get(
        employee_visible(scope=scope).prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    archived_at__isnull=True, position__agency__in=agencies
                )
                .select_related("position__agency", "position__unit")
                .order_by("-start_date", "-pk"),
                to_attr="history",
            ),
            Prefetch(
                "team_seats",
                queryset=TeamMember.objects.filter(
                    archived_at__isnull=True,
                    team__agency__in=agencies,
                    team__archived_at__isnull=True,
                ).select_related("team__agency"),
                to_attr="seats",
            ),
        ),
        employee_id,
        "employee",
    )


def employee_choices(*, scope: UserScope, agency: Agency) -> QuerySet[Employee]:
    """Visible employees of the agency's government, for appointing someone to a position.

    A government administrator sees every agency of the government and so can
    move people between agencies; an agency's planners pick among their own.
    """
    _visible_agency(scope, agency)
    in_government = Assignment.objects.filter(
        archived_at__isnull=True, position__agency__government_id=agency.government_id
    ).values("employee_id")
    return (
        employee_visible(scope=scope)
        .filter(pk__in=in_government, archived_at__isnull=True)
        .order_by("name")
    )


# --- teams -----------------------------------------------------------------------------


_ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(TeamMember.Role.values)),
    output_field=IntegerField(),
)


def _members() -> Prefetch:
    """The current seats as `seated`, by role (chair first) and name."""
    return Prefetch(
        "members",
        queryset=TeamMember.objects.filter(archived_at__isnull=True)
        .select_related("employee")
        .order_by(_ROLE_ORDER, "employee__name"),
        to_attr="seated",
    )


def _former_members() -> Prefetch:
    """The archived seats as `former`, the most recent departure first."""
    return Prefetch(
        "members",
        queryset=TeamMember.objects.filter(archived_at__isnull=False)
        .select_related("employee")
        .order_by("-archived_at", "-pk"),
        to_attr="former",
    )


def team_list(*, scope: UserScope, agency: Agency) -> list[Team]:
    """The agency's teams, newest year first, each with `seated` members (two queries)."""
    _visible_agency(scope, agency)
    return list(
        Team.objects.filter(agency=agency, archived_at__isnull=True).prefetch_related(_members())
    )


def team_get(*, scope: UserScope, team_id: int) -> Team:
    """One visible team with its current members (`seated`) and those who left (`former`)."""
    teams = Team.objects.filter(
        agency__in=agency_list(scope=scope), archived_at__isnull=True
    ).select_related("agency__government")
    return _get(teams.prefetch_related(_members(), _former_members()), team_id, "team")


def team_member_get(*, scope: UserScope, member_id: int) -> TeamMember:
    """A seat in a visible team, current or former (removing a former one is a Conflict)."""
    members = TeamMember.objects.filter(
        team__agency__in=agency_list(scope=scope), team__archived_at__isnull=True
    ).select_related("team__agency", "employee")
    return _get(members, member_id, "team member")


def team_member_choices(*, scope: UserScope, team: Team) -> QuerySet[Employee]:
    """Employees of the team's agency who are not seated in it now (former members may return)."""
    _visible_agency(scope, team.agency)
    assigned = Assignment.objects.filter(
        archived_at__isnull=True, position__agency_id=team.agency_id
    ).values("employee_id")
    seated = TeamMember.objects.filter(team=team, archived_at__isnull=True).values("employee_id")
    return (
        Employee.objects.filter(pk__in=assigned, archived_at__isnull=True)
        .exclude(pk__in=seated)
        .order_by("name")
    )
