"""UserScope from assignments: by date, Plt/Plh, sub-units, government admins, superusers;
who may organise an agency, administer a government and edit an employee."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from kinerja.core.errors import AccessDenied
from kinerja.organizations.access import (
    ANONYMOUS,
    access_agency_for_organization,
    access_employee_for_edit,
    access_government_for_admin,
    scope_for,
)
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


ORGANIZERS = [RoleKey.KEPALA_DINAS, RoleKey.SEKRETARIS, RoleKey.KASUBBAG]
NOT_ORGANIZERS = [
    RoleKey.KASUBBAG_PROGRAM,
    RoleKey.FUNGSIONAL_UMUM,
    RoleKey.KEPALA_BIDANG,
    RoleKey.KEPALA_SEKSI,
    RoleKey.KEPALA_UPT,
    RoleKey.PEMEGANG_DATA,
    RoleKey.STAF,
]


def holder_scope(agency, role_key):
    """The scope of someone holding `role_key` in `agency` on DAY."""
    assignment = assign(
        PositionFactory(agency=agency, role_key=role_key), start=datetime.date(2020, 1, 1)
    )
    return scope_for(assignment.employee.user, day=DAY)


@pytest.mark.django_db
class TestOrganizingAnAgency:
    @pytest.mark.parametrize("role", ORGANIZERS)
    def test_the_head_secretary_and_kasubbag_organise_their_agency_only(self, agency, role):
        scope = holder_scope(agency, role)
        assert scope.can_organize_agency(agency)
        assert access_agency_for_organization(scope, agency) is agency
        assert not scope.can_organize_agency(AgencyFactory(government=agency.government))
        assert not scope.can_administer_government(agency.government_id)

    @pytest.mark.parametrize("role", NOT_ORGANIZERS)
    def test_planners_and_unit_roles_do_not_organise(self, agency, role):
        scope = holder_scope(agency, role)
        assert not scope.can_organize_agency(agency)
        with pytest.raises(AccessDenied) as denied:
            access_agency_for_organization(scope, agency)
        assert denied.value.message == "You may not change the organisation of this agency."

    def test_planners_still_plan(self, agency):
        for role in (RoleKey.KASUBBAG_PROGRAM, RoleKey.FUNGSIONAL_UMUM):
            scope = holder_scope(agency, role)
            assert scope.can_plan_agency(agency) and not scope.can_organize_agency(agency)

    def test_a_plt_secretary_organises_while_the_period_runs(self, agency):
        position = PositionFactory(agency=agency, role_key=RoleKey.SEKRETARIS)
        plt = assign(
            position,
            kind=Assignment.Kind.PLT,
            start=datetime.date(2025, 6, 1),
            end=datetime.date(2025, 6, 30),
        )
        user = plt.employee.user
        assert scope_for(user, day=DAY).can_organize_agency(agency)
        assert not scope_for(user, day=datetime.date(2025, 7, 1)).can_organize_agency(agency)

    def test_the_government_admin_organises_every_agency_of_the_government(self, agency):
        scope = scope_for(UserFactory(administered_government=agency.government), day=DAY)
        assert scope.can_organize_agency(agency)
        assert scope.can_organize_agency(AgencyFactory(government=agency.government))
        assert not scope.can_organize_agency(AgencyFactory())

    def test_the_superuser_organises_everything(self, agency):
        scope = scope_for(UserFactory(is_superuser=True), day=DAY)
        assert scope.can_organize_agency(agency) and scope.can_organize_agency(AgencyFactory())

    def test_nobody_else_does(self, agency):
        assert not scope_for(UserFactory(), day=DAY).can_organize_agency(agency)
        assert not ANONYMOUS.can_organize_agency(agency)


@pytest.mark.django_db
class TestAdministeringAGovernment:
    def test_the_government_admin_administers_their_government_only(self, agency):
        scope = scope_for(UserFactory(administered_government=agency.government), day=DAY)
        assert scope.can_administer_government(agency.government_id)
        assert not scope.can_administer_government(AgencyFactory().government_id)
        access_government_for_admin(scope, agency.government_id)

    def test_only_the_superuser_creates_governments(self, agency):
        admin = scope_for(UserFactory(administered_government=agency.government), day=DAY)
        superuser = scope_for(UserFactory(is_superuser=True), day=DAY)
        assert not admin.can_administer_government(None)
        assert superuser.can_administer_government(None)
        assert superuser.can_administer_government(agency.government_id)

    @pytest.mark.parametrize("role", [RoleKey.KEPALA_DINAS, RoleKey.KASUBBAG])
    def test_agency_officials_do_not_administer_the_government(self, agency, role):
        scope = holder_scope(agency, role)
        assert not scope.can_administer_government(agency.government_id)
        with pytest.raises(AccessDenied) as denied:
            access_government_for_admin(scope, agency.government_id)
        assert denied.value.message == (
            "Only the administrator of this regional government may do this."
        )


@pytest.mark.django_db
class TestEditingAnEmployee:
    def test_the_organisers_of_the_employees_agency_edit_them(self, agency):
        employee = assign(PositionFactory(agency=agency), start=datetime.date(2020, 1, 1)).employee
        scope = holder_scope(agency, RoleKey.KASUBBAG)
        assert access_employee_for_edit(scope, employee) is employee

    def test_the_organisers_of_a_former_agency_still_may(self, agency):
        """Someone who moved on keeps their identity where they used to work (NIP fixes)."""
        employee = assign(
            PositionFactory(agency=agency),
            start=datetime.date(2015, 1, 1),
            end=datetime.date(2019, 12, 31),
        ).employee
        access_employee_for_edit(holder_scope(agency, RoleKey.SEKRETARIS), employee)

    @pytest.mark.parametrize("role", [RoleKey.KASUBBAG_PROGRAM, RoleKey.FUNGSIONAL_UMUM])
    def test_planners_may_not(self, agency, role):
        employee = assign(PositionFactory(agency=agency), start=datetime.date(2020, 1, 1)).employee
        with pytest.raises(AccessDenied) as denied:
            access_employee_for_edit(holder_scope(agency, role), employee)
        assert denied.value.message == "You may not change this employee's data."

    def test_organisers_of_an_agency_the_employee_never_worked_in_may_not(self, agency):
        sibling = AgencyFactory(government=agency.government)
        employee = assign(PositionFactory(agency=agency), start=datetime.date(2020, 1, 1)).employee
        with pytest.raises(AccessDenied):
            access_employee_for_edit(holder_scope(sibling, RoleKey.KEPALA_DINAS), employee)

    def test_an_archived_assignment_does_not_count(self, agency):
        assignment = assign(PositionFactory(agency=agency), start=datetime.date(2020, 1, 1))
        assignment.archived_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        assignment.save()
        with pytest.raises(AccessDenied):
            access_employee_for_edit(holder_scope(agency, RoleKey.KASUBBAG), assignment.employee)

    def test_the_government_admin_and_the_superuser_may(self, agency):
        employee = assign(PositionFactory(agency=agency), start=datetime.date(2020, 1, 1)).employee
        admin = scope_for(UserFactory(administered_government=agency.government), day=DAY)
        access_employee_for_edit(admin, employee)
        superuser = scope_for(UserFactory(is_superuser=True), day=DAY)
        access_employee_for_edit(superuser, EmployeeFactory())  # even one without assignments
        with pytest.raises(AccessDenied):
            access_employee_for_edit(admin, EmployeeFactory())
