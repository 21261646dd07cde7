"""What a user may see and change. Every selector and service asks these functions.

A user's scope is computed once per request from the assignments active
today: the governments, agencies and units they work in and the role keys
they hold. Reading is allowed for the whole agency; planning writes need an
agency planner role (`AGENCY_PLANNER_ROLES`); changing the organisation itself
(units, positions, appointments, teams) needs `ORGANIZATION_ADMIN_ROLES`; unit
roles write only in their own unit (and its sub-units). A government
administrator sees and manages every agency of that government; a superuser,
everything.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied
from kinerja.organizations.models import (
    AGENCY_PLANNER_ROLES,
    ORGANIZATION_ADMIN_ROLES,
    UNIT_ROLES,
    Agency,
    Assignment,
    Employee,
    OrgUnit,
    User,
)


@dataclass(frozen=True)
class UserScope:
    """The part of the organisation one user works in, on one day."""

    user_id: int | None
    is_superuser: bool = False
    employee_id: int | None = None
    admin_government_ids: frozenset[int] = frozenset()
    government_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    #: agency id → role keys held there
    roles_by_agency: dict[int, frozenset[str]] = field(default_factory=dict)
    #: units of the user's positions, with all their descendants
    unit_ids: frozenset[int] = frozenset()
    position_ids: frozenset[int] = frozenset()

    @property
    def role_keys(self) -> frozenset[str]:
        return (
            frozenset().union(*self.roles_by_agency.values())
            if self.roles_by_agency
            else frozenset()
        )

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def sees_all(self) -> bool:
        return self.is_superuser

    def can_view_agency(self, agency: Agency) -> bool:
        return (
            self.is_superuser
            or agency.pk in self.agency_ids
            or agency.government_id in self.admin_government_ids
        )

    def can_plan_agency(self, agency: Agency) -> bool:
        """Draft and change the agency's Renstra, PK and Rencana Aksi."""
        if self.is_superuser or agency.government_id in self.admin_government_ids:
            return True
        return bool(self.roles_by_agency.get(agency.pk, frozenset()) & AGENCY_PLANNER_ROLES)

    def can_administer_government(self, government_id: int | None) -> bool:
        """Create and change agencies of a government (`None`: create governments)."""
        if self.is_superuser:
            return True
        return government_id is not None and government_id in self.admin_government_ids

    def can_organize_agency(self, agency: Agency) -> bool:
        """Change units, positions, employees, appointments and teams of the agency."""
        if self.can_administer_government(agency.government_id):
            return True
        return bool(self.roles_by_agency.get(agency.pk, frozenset()) & ORGANIZATION_ADMIN_ROLES)

    def can_edit_unit(self, unit: OrgUnit) -> bool:
        """Write data that belongs to one unit (its indicators' values, its staff's IKI)."""
        if self.can_plan_agency(unit.agency):
            return True
        roles = self.roles_by_agency.get(unit.agency_id, frozenset())
        return unit.pk in self.unit_ids and bool(roles & UNIT_ROLES)


ANONYMOUS = UserScope(user_id=None)


def scope_for(user: User | AnonymousUser, *, day: datetime.date | None = None) -> UserScope:
    """Compute a user's scope (at most three queries: employee, assignments, unit tree)."""
    if not user.is_authenticated:
        return ANONYMOUS
    day = day or timezone.localdate()
    admin = (
        frozenset({user.administered_government_id})
        if user.administered_government_id
        else frozenset()
    )
    employee_id = Employee.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    if employee_id is None:
        return UserScope(
            user_id=user.pk, is_superuser=user.is_superuser, admin_government_ids=admin
        )
    assignments = list(
        Assignment.objects.active_on(day)
        .filter(employee_id=employee_id, archived_at__isnull=True)
        .select_related("position__agency")
    )
    roles: dict[int, set[str]] = {}
    own_units: set[int] = set()
    for assignment in assignments:
        position = assignment.position
        roles.setdefault(position.agency_id, set()).add(position.role_key)
        if position.unit_id:
            own_units.add(position.unit_id)
    agency_ids = frozenset(roles)
    unit_ids = _with_descendants(own_units, agency_ids)
    return UserScope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        employee_id=employee_id,
        admin_government_ids=admin,
        government_ids=frozenset(a.position.agency.government_id for a in assignments),
        agency_ids=agency_ids,
        roles_by_agency={agency: frozenset(keys) for agency, keys in roles.items()},
        unit_ids=unit_ids,
        position_ids=frozenset(a.position_id for a in assignments),
    )


def _with_descendants(unit_ids: set[int], agency_ids: frozenset[int]) -> frozenset[int]:
    if not unit_ids:
        return frozenset()
    parents = dict(OrgUnit.objects.filter(agency_id__in=agency_ids).values_list("pk", "parent_id"))
    result = set(unit_ids)
    changed = True
    while changed:
        changed = False
        for unit, parent in parents.items():
            if parent in result and unit not in result:
                result.add(unit)
                changed = True
    return frozenset(result)


def access_agency_for_view(scope: UserScope, agency: Agency) -> Agency:
    if not scope.can_view_agency(agency):
        raise AccessDenied(_("You do not have access to this agency."))
    return agency


def access_agency_for_planning(scope: UserScope, agency: Agency) -> Agency:
    if not scope.can_plan_agency(agency):
        raise AccessDenied(_("You may not change the plans of this agency."))
    return agency


def access_unit_for_edit(scope: UserScope, unit: OrgUnit) -> OrgUnit:
    if not scope.can_edit_unit(unit):
        raise AccessDenied(_("You may not change the data of this unit."))
    return unit


def access_government_for_admin(scope: UserScope, government_id: int | None) -> None:
    """Superusers create governments; a government's administrators manage its agencies."""
    if not scope.can_administer_government(government_id):
        raise AccessDenied(_("Only the administrator of this regional government may do this."))


def access_agency_for_organization(scope: UserScope, agency: Agency) -> Agency:
    if not scope.can_organize_agency(agency):
        raise AccessDenied(_("You may not change the organisation of this agency."))
    return agency


def access_employee_for_edit(scope: UserScope, employee: Employee) -> Employee:
    """An employee's identity (name, NIP, rank) is kept by the organisers of any agency they
    are or were assigned to; an employee with no assignment only by the superuser."""
    if scope.is_superuser:
        return employee
    agencies = Agency.objects.filter(
        positions__assignments__employee=employee,
        positions__assignments__archived_at__isnull=True,
    ).distinct()
    if not any(scope.can_organize_agency(agency) for agency in agencies):
        raise AccessDenied(_("You may not change this employee's data."))
    return employee
