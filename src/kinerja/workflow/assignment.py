"""Who acts at a step: the SOP's actor resolved to a person of the agency on a date.

- `role_key`: the agency's position with that role (by the organisation's order),
  preferring one somebody holds; its holder acts, Plh before Plt before the
  definitive holder (`organizations.selectors.holders_by_position`).
- `each_unit`: one work item per Bidang and UPT of the agency (`work_units`).
  In each unit the position with the actor's role acts (in the unit itself,
  else in its sub-units); a unit without such a position falls back to its
  head (kepala_bidang / kepala_upt), so "Kepala Bidang" reaches the Kepala UPT
  of a UPT.
- `team`: the chair (ketua) of the agency's team of that kind for the year, or
  of its latest team of that kind when there is none for the year.
- `external` (Perangkat Daerah Terkait): the engine gives such a step one work
  item, so it goes to the head of the first coordinating agency (BAPPEDA,
  Biro Organisasi, … by name) of the same government; the others read the
  result through their government-wide access.

When nobody holds the position the task is still created, unassigned, with
the position it belongs to when there is one; the process page flags it and
the agency's organisers may act for it. Resolving never fails.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    OrgUnit,
    Position,
    RoleKey,
    Team,
    TeamMember,
)
from kinerja.organizations.selectors import holders_by_position
from kinerja.workflow.domain.definition import Actor

#: the units that each do an "each unit" step
WORK_UNIT_KINDS = (OrgUnit.Kind.DIVISION, OrgUnit.Kind.TECHNICAL_UNIT)
UNIT_HEAD_ROLES = (RoleKey.KEPALA_BIDANG, RoleKey.KEPALA_UPT)


@dataclass(frozen=True)
class Assignee:
    """Who does one task; `employee` is None when nobody holds the position (flagged)."""

    employee: Employee | None
    position: Position | None = None
    kind: str = ""  # Assignment.Kind of the holder; "" for a team seat or nobody
    unit: OrgUnit | None = None

    @property
    def is_unassigned(self) -> bool:
        return self.employee is None


def work_units(*, agency: Agency) -> list[OrgUnit]:
    """The agency's current Bidang and UPT, in the organisation's order."""
    return list(
        OrgUnit.objects.filter(
            agency=agency, kind__in=WORK_UNIT_KINDS, archived_at__isnull=True
        ).order_by("sort_order", "name")
    )


@dataclass
class Resolver:
    """Resolves the actors of one process on one day; loads the agency's positions once."""

    agency: Agency
    day: datetime.date
    year: int
    _positions: list[Position] | None = field(default=None, init=False)
    _holders: dict[int, Assignment] = field(default_factory=dict, init=False)
    _units: dict[int, OrgUnit] | None = field(default=None, init=False)

    def assignee(self, actor: Actor, *, unit: OrgUnit | None = None) -> Assignee:
        if actor.external:
            return self._external_head()
        if actor.team is not None:
            return self._team_chair(actor.team)
        if actor.each_unit and unit is not None:
            return self._in_unit(actor.role_key or "", unit)
        return self._first_held([p for p in self._load() if p.role_key == actor.role_key])

    def _load(self) -> list[Position]:
        if self._positions is None:
            positions = Position.objects.filter(
                agency=self.agency, archived_at__isnull=True
            ).order_by("sort_order", "title", "pk")
            self._positions = list(positions)
            self._holders = holders_by_position(positions=positions, day=self.day)
            self._units = {
                unit.pk: unit
                for unit in OrgUnit.objects.filter(agency=self.agency, archived_at__isnull=True)
            }
        return self._positions

    def _held(self, position: Position, unit: OrgUnit | None = None) -> Assignee:
        holder = self._holders.get(position.pk)
        if holder is None:
            return Assignee(employee=None, position=position, unit=unit)
        return Assignee(
            employee=holder.employee, position=position, kind=str(holder.kind), unit=unit
        )

    def _first_held(self, positions: list[Position], unit: OrgUnit | None = None) -> Assignee:
        for position in positions:
            if position.pk in self._holders:
                return self._held(position, unit)
        if positions:
            return self._held(positions[0], unit)
        return Assignee(employee=None, unit=unit)

    def _in_unit(self, role_key: str, unit: OrgUnit) -> Assignee:
        positions = self._load()
        inside = self._subtree(unit.pk)
        own = [p for p in positions if p.unit_id == unit.pk and p.role_key == role_key]
        below = [
            p
            for p in positions
            if p.unit_id in inside and p.unit_id != unit.pk and p.role_key == role_key
        ]
        if own or below:
            return self._first_held(own + below, unit)
        heads = [p for p in positions if p.unit_id == unit.pk and p.role_key in UNIT_HEAD_ROLES]
        return self._first_held(heads, unit)

    def _subtree(self, unit_id: int) -> set[int]:
        units = self._units or {}
        found = {unit_id}
        changed = True
        while changed:
            changed = False
            for unit in units.values():
                if unit.parent_id in found and unit.pk not in found:
                    found.add(unit.pk)
                    changed = True
        return found

    def _team_chair(self, kind: str) -> Assignee:
        teams = Team.objects.filter(agency=self.agency, kind=kind, archived_at__isnull=True)
        team = (
            teams.filter(year=self.year).order_by("-pk").first()
            or teams.order_by("-year", "-pk").first()
        )
        if team is None:
            return Assignee(employee=None)
        seat = (
            TeamMember.objects.filter(
                team=team, role=TeamMember.Role.CHAIR, archived_at__isnull=True
            )
            .select_related("employee")
            .order_by("pk")
            .first()
        )
        return Assignee(employee=seat.employee if seat else None)

    def _external_head(self) -> Assignee:
        agency = (
            Agency.objects.filter(
                government_id=self.agency.government_id,
                is_coordinating=True,
                archived_at__isnull=True,
            )
            .exclude(pk=self.agency.pk)
            .order_by("name", "pk")
            .first()
        )
        if agency is None:
            return Assignee(employee=None)
        heads = Position.objects.filter(agency=agency, archived_at__isnull=True).filter(
            Q(role_key=RoleKey.KEPALA_DINAS) | Q(superior__isnull=True, unit__isnull=True)
        )
        ordered = sorted(heads, key=lambda p: (p.role_key != RoleKey.KEPALA_DINAS, p.sort_order))
        holders = holders_by_position(positions=heads, day=self.day)
        for position in ordered:
            holder = holders.get(position.pk)
            if holder is not None:
                return Assignee(employee=holder.employee, position=position, kind=str(holder.kind))
        return Assignee(employee=None, position=ordered[0] if ordered else None)
