"""UserScope from assignments: by date, Plt/Plh, sub-units, government admins, superusers."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from kinerja.organizations.access import ANONYMOUS, scope_for
from kinerja.organizations.models import Assignment, OrgUnit, RoleKey
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
    UserFactory,
)

DAY = datetime.date(2025, 6, 15)


def assign(position, *, kind=Assignment.Kind.DEFINITIVE, start, end=None, employee=None):
    return AssignmentFactory(
        position=position,
        kind=kind,
        start_date=start,
        end_date=end,
        **({"employee": employee} if employee else {}),
    )


@pytest.mark.django_db
class TestAssignmentsByDate:
    def test_a_definitive_holder_gets_agency_role_and_unit(self, agency):
        unit = OrgUnitFactory(agency=agency)
        position = PositionFactory(agency=agency, unit=unit, role_key=RoleKey.KEPALA_BIDANG)
        assignment = assign(position, start=datetime.date(2020, 1, 1))
        scope = scope_for(assignment.employee.user, day=DAY)
        assert scope.agency_ids == {agency.pk}
        assert scope.government_ids == {agency.government_id}
        assert scope.roles_by_agency == {agency.pk: {RoleKey.KEPALA_BIDANG}}
        assert scope.unit_ids == {unit.pk}
        assert scope.position_ids == {position.pk}
        assert scope.employee_id == assignment.employee_id

    @pytest.mark.parametrize("kind", [Assignment.Kind.PLT, Assignment.Kind.PLH])
    def test_an_acting_official_gets_the_role_while_the_period_runs(self, agency, kind):
        position = PositionFactory(agency=agency, role_key=RoleKey.SEKRETARIS)
        acting = assign(
            position, kind=kind, start=datetime.date(2025, 6, 1), end=datetime.date(2025, 6, 30)
        )
        user = acting.employee.user
        assert scope_for(user, day=DAY).roles_by_agency == {agency.pk: {RoleKey.SEKRETARIS}}
        assert scope_for(user, day=datetime.date(2025, 6, 30)).agency_ids == {agency.pk}
        assert scope_for(user, day=datetime.date(2025, 7, 1)).agency_ids == frozenset()
        assert scope_for(user, day=datetime.date(2025, 5, 31)).agency_ids == frozenset()

    def test_an_expired_assignment_gives_no_scope(self, agency):
        position = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_DINAS)
        old = assign(position, start=datetime.date(2019, 1, 1), end=datetime.date(2024, 12, 31))
        scope = scope_for(old.employee.user, day=DAY)
        assert scope.agency_ids == frozenset()
        assert scope.role_keys == frozenset()
        assert not scope.can_view_agency(agency)
        assert not scope.can_plan_agency(agency)

    def test_an_archived_assignment_gives_no_scope(self, agency):
        position = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_DINAS)
        assignment = assign(position, start=datetime.date(2020, 1, 1))
        assignment.archived_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        assignment.save()
        assert scope_for(assignment.employee.user, day=DAY).agency_ids == frozenset()

    def test_a_plt_elsewhere_adds_a_second_agency_and_role(self, agency):
        other = AgencyFactory(government=agency.government)
        employee = EmployeeFactory()
        assign(
            PositionFactory(agency=agency, role_key=RoleKey.KEPALA_BIDANG),
            start=datetime.date(2020, 1, 1),
            employee=employee,
        )
        assign(
            PositionFactory(agency=other, role_key=RoleKey.KEPALA_DINAS),
            kind=Assignment.Kind.PLT,
            start=datetime.date(2025, 1, 1),
            employee=employee,
        )
        scope = scope_for(employee.user, day=DAY)
        assert scope.agency_ids == {agency.pk, other.pk}
        assert scope.role_keys == {RoleKey.KEPALA_BIDANG, RoleKey.KEPALA_DINAS}
        assert scope.can_plan_agency(other)
        assert not scope.can_plan_agency(agency)

    def test_scope_takes_at_most_three_queries(self, agency, django_assert_max_num_queries):
        unit = OrgUnitFactory(agency=agency)
        assignment = assign(
            PositionFactory(agency=agency, unit=unit, role_key=RoleKey.KEPALA_BIDANG),
            start=datetime.date(2020, 1, 1),
        )
        user = assignment.employee.user
        with django_assert_max_num_queries(3):
            scope_for(user, day=DAY)


@pytest.mark.django_db
class TestUnits:
    def test_a_unit_role_covers_the_sub_units_but_not_siblings(self, agency):
        bidang = OrgUnitFactory(agency=agency)
        seksi = OrgUnitFactory(agency=agency, parent=bidang, kind=OrgUnit.Kind.SECTION)
        below_seksi = OrgUnitFactory(agency=agency, parent=seksi, kind=OrgUnit.Kind.SECTION)
        sibling = OrgUnitFactory(agency=agency)
        assignment = assign(
            PositionFactory(agency=agency, unit=bidang, role_key=RoleKey.KEPALA_BIDANG),
            start=datetime.date(2020, 1, 1),
        )
        scope = scope_for(assignment.employee.user, day=DAY)
        assert scope.unit_ids == {bidang.pk, seksi.pk, below_seksi.pk}
        assert scope.can_edit_unit(seksi)
        assert not scope.can_edit_unit(sibling)

    def test_a_staff_member_of_a_unit_reads_the_agency_but_edits_nothing(self, agency):
        unit = OrgUnitFactory(agency=agency)
        assignment = assign(
            PositionFactory(agency=agency, unit=unit, role_key=RoleKey.STAF),
            start=datetime.date(2020, 1, 1),
        )
        scope = scope_for(assignment.employee.user, day=DAY)
        assert scope.can_view_agency(agency)
        assert not scope.can_edit_unit(unit)
        assert not scope.can_plan_agency(agency)

    def test_a_planner_edits_every_unit_of_the_agency(self, agency):
        unit = OrgUnitFactory(agency=agency)
        assignment = assign(
            PositionFactory(agency=agency, role_key=RoleKey.KASUBBAG_PROGRAM),
            start=datetime.date(2020, 1, 1),
        )
        scope = scope_for(assignment.employee.user, day=DAY)
        assert scope.can_edit_unit(unit)
        assert not scope.can_edit_unit(OrgUnitFactory())


@pytest.mark.django_db
class TestAdministrators:
    def test_a_government_admin_manages_every_agency_of_the_government_only(self, agency):
        sibling = AgencyFactory(government=agency.government)
        elsewhere = AgencyFactory()
        user = UserFactory(administered_government=agency.government)
        scope = scope_for(user, day=DAY)
        assert scope.admin_government_ids == {agency.government_id}
        assert scope.can_view_agency(agency) and scope.can_plan_agency(sibling)
        assert not scope.can_view_agency(elsewhere)
        assert not scope.can_plan_agency(elsewhere)
        assert not scope.sees_all()

    def test_a_superuser_sees_and_manages_everything(self, agency):
        user = UserFactory(is_superuser=True, is_staff=True)
        scope = scope_for(user, day=DAY)
        assert scope.sees_all()
        assert scope.can_view_agency(AgencyFactory())
        assert scope.can_plan_agency(agency)
        assert scope.can_edit_unit(OrgUnitFactory())

    def test_a_user_without_employee_or_admin_role_sees_nothing(self, agency):
        scope = scope_for(UserFactory(), day=DAY)
        assert scope.is_authenticated
        assert scope.agency_ids == frozenset()
        assert not scope.can_view_agency(agency)

    def test_anonymous_has_no_scope(self):
        assert scope_for(AnonymousUser()) is ANONYMOUS
        assert not ANONYMOUS.is_authenticated
