"""Organisation writes: who may, what is refused (with which message), what is recorded."""

import datetime

import pytest

from kinerja.core.errors import AccessDenied, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.organizations import services
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    RoleKey,
    TeamMember,
)
from kinerja.organizations.selectors import position_holder
from tests.factories import (
    AssignmentFactory,
    EmployeeFactory,
    GovernmentFactory,
    OrgUnitFactory,
    PositionFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def records(instance, action=None):
    found = ChangeRecord.objects.filter(
        app_label=instance._meta.app_label,
        model=instance._meta.model_name,
        object_id=str(instance.pk),
    )
    return list(found.filter(action=action) if action else found)


def update_government(actor, government, **changes):
    values = {
        field: getattr(government, field)
        for field in ("name", "level", "code", "time_zone", "parent", "capital")
    }
    return services.government_update(actor=actor, government=government, **{**values, **changes})


def update_agency(actor, agency, **changes):
    fields = ("name", "short_name", "code", "kind", "is_coordinating", "address", "phone", "email")
    values = {field: getattr(agency, field) for field in (*fields, "website")}
    return services.agency_update(actor=actor, agency=agency, **{**values, **changes})


def update_unit(actor, unit, **changes):
    values = {f: getattr(unit, f) for f in ("name", "kind", "code", "parent", "sort_order")}
    return services.unit_update(actor=actor, unit=unit, **{**values, **changes})


def update_position(actor, position, **changes):
    fields = ("title", "code", "role_key", "unit", "superior", "echelon", "sort_order")
    values = {f: getattr(position, f) for f in fields}
    return services.position_update(actor=actor, position=position, **{**values, **changes})


def update_employee(actor, employee, **changes):
    values = {f: getattr(employee, f) or "" for f in ("name", "nip", "rank", "grade", "email")}
    return services.employee_update(actor=actor, employee=employee, **{**values, **changes})


# --- governments and agencies ----------------------------------------------------------


class TestGovernmentsAndAgencies:
    def test_the_superuser_creates_a_government(self, superuser_scope):
        government = services.government_create(
            actor=superuser_scope,
            name="Kabupaten Balangan",
            level=Government.Level.REGENCY,
            code="6311",
            time_zone=Government.TimeZone.WITA,
            capital="Paringin",
        )
        assert government.get_time_zone_display() == "WITA"
        [record] = records(government, "create")
        assert record.changes["name"] == {"old": None, "new": "Kabupaten Balangan"}
        assert record.user_id == superuser_scope.user_id

    def test_only_the_superuser_creates_governments(self, admin_scope, planner_scope):
        for actor in (admin_scope, planner_scope):
            with pytest.raises(AccessDenied):
                services.government_create(
                    actor=actor, name="X", level="kota", code="1", time_zone="Asia/Jakarta"
                )
        assert not Government.objects.filter(name="X").exists()

    def test_a_government_admin_updates_only_their_government(self, agency, admin_scope):
        government = agency.government
        update_government(admin_scope, government, time_zone=Government.TimeZone.WIT)
        government.refresh_from_db()
        assert government.time_zone == Government.TimeZone.WIT
        [record] = records(government, "update")
        assert record.changes == {"time_zone": {"old": "Asia/Makassar", "new": "Asia/Jayapura"}}
        other = GovernmentFactory()
        with pytest.raises(AccessDenied):
            update_government(admin_scope, other, name="Diambil alih")

    def test_a_government_admin_creates_agencies_in_their_government(self, agency, admin_scope):
        bappeda = services.agency_create(
            actor=admin_scope,
            government=agency.government,
            name="Badan Perencanaan Pembangunan Daerah",
            short_name="BAPPEDA",
            code="bappeda-uji",
            kind=Agency.Kind.BADAN,
            is_coordinating=True,
        )
        assert bappeda.is_coordinating
        assert records(bappeda, "create")
        with pytest.raises(AccessDenied):
            services.agency_create(
                actor=admin_scope,
                government=GovernmentFactory(),
                name="Dinas Lain",
                short_name="DL",
                code="dinas-lain",
                kind=Agency.Kind.DINAS,
            )

    def test_planners_do_not_create_or_rename_agencies(self, agency, planner_scope):
        with pytest.raises(AccessDenied):
            services.agency_create(
                actor=planner_scope,
                government=agency.government,
                name="Dinas Baru",
                short_name="DB",
                code="dinas-baru",
                kind=Agency.Kind.DINAS,
            )
        with pytest.raises(AccessDenied):
            update_agency(planner_scope, agency, name="Nama Baru")

    def test_an_agency_code_is_unique(self, agency, admin_scope):
        with pytest.raises(ValidationFailed) as failed:
            services.agency_create(
                actor=admin_scope,
                government=agency.government,
                name="Dinas Kembar",
                short_name="DK",
                code=agency.code,
                kind=Agency.Kind.DINAS,
            )
        assert "code" in failed.value.errors

    def test_agency_update_records_the_changed_fields(self, agency, admin_scope):
        update_agency(admin_scope, agency, phone="(0451) 421234")
        [record] = records(agency, "update")
        assert record.changes == {"phone": {"old": "", "new": "(0451) 421234"}}


# --- units -----------------------------------------------------------------------------


def new_unit(actor, agency, **kwargs):
    values = {"name": "Bidang Koperasi", "kind": OrgUnit.Kind.DIVISION, "code": "bidang-kop"}
    return services.unit_create(actor=actor, agency=agency, **{**values, **kwargs})


class TestUnits:
    def test_a_planner_builds_the_unit_tree(self, agency, planner_scope):
        bidang = new_unit(planner_scope, agency)
        seksi = new_unit(
            planner_scope,
            agency,
            name="Seksi Kelembagaan",
            kind="seksi",
            code="seksi-1",
            parent=bidang,
        )
        assert seksi.parent == bidang
        assert records(seksi, "create")[0].changes["parent"] == {"old": None, "new": bidang.pk}

    def test_staff_and_other_agencies_cannot_change_units(
        self, agency, clerk_scope, outsider_scope
    ):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                new_unit(actor, agency)
        assert not OrgUnit.objects.exists()

    def test_the_government_admin_and_superuser_can(self, agency, admin_scope, superuser_scope):
        new_unit(admin_scope, agency, code="a")
        new_unit(superuser_scope, agency, code="b")
        assert OrgUnit.objects.filter(agency=agency).count() == 2

    def test_a_code_is_unique_in_the_agency(self, agency, planner_scope):
        new_unit(planner_scope, agency)
        with pytest.raises(ValidationFailed) as failed:
            new_unit(planner_scope, agency, name="Bidang Lain")
        assert failed.value.errors["code"] == [
            "Another unit of this agency already uses the code bidang-kop."
        ]

    def test_the_parent_must_belong_to_the_same_agency(self, agency, planner_scope):
        foreign = OrgUnitFactory()
        with pytest.raises(ValidationFailed) as failed:
            new_unit(planner_scope, agency, parent=foreign)
        assert "parent" in failed.value.errors

    def test_a_unit_cannot_move_below_its_own_sub_unit(self, agency, planner_scope):
        bidang = new_unit(planner_scope, agency)
        seksi = new_unit(planner_scope, agency, code="seksi", parent=bidang)
        with pytest.raises(ValidationFailed) as failed:
            update_unit(planner_scope, bidang, parent=seksi)
        assert failed.value.errors["parent"] == [
            "A unit cannot be placed under itself or one of its sub-units."
        ]
        bidang.refresh_from_db()
        assert bidang.parent is None

    def test_update_records_old_and_new_values(self, agency, planner_scope):
        unit = new_unit(planner_scope, agency)
        update_unit(planner_scope, unit, name="Bidang Koperasi dan UKM", sort_order=3)
        [record] = records(unit, "update")
        assert record.changes == {
            "name": {"old": "Bidang Koperasi", "new": "Bidang Koperasi dan UKM"},
            "sort_order": {"old": 0, "new": 3},
        }

    def test_an_unchanged_update_records_nothing(self, agency, planner_scope):
        unit = new_unit(planner_scope, agency)
        update_unit(planner_scope, unit)
        assert records(unit, "update") == []

    def test_a_unit_with_positions_cannot_be_archived(self, agency, planner_scope):
        unit = new_unit(planner_scope, agency)
        PositionFactory(agency=agency, unit=unit)
        with pytest.raises(ValidationFailed) as failed:
            services.unit_archive(actor=planner_scope, unit=unit)
        assert "positions" in failed.value.message
        unit.refresh_from_db()
        assert unit.archived_at is None

    def test_a_unit_with_sub_units_cannot_be_archived(self, agency, planner_scope):
        unit = new_unit(planner_scope, agency)
        new_unit(planner_scope, agency, code="seksi", parent=unit)
        with pytest.raises(ValidationFailed) as failed:
            services.unit_archive(actor=planner_scope, unit=unit)
        assert "sub-units" in failed.value.message

    def test_an_empty_unit_is_archived_not_deleted(self, agency, planner_scope):
        unit = new_unit(planner_scope, agency)
        PositionFactory(
            agency=agency, unit=unit, archived_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        )
        services.unit_archive(actor=planner_scope, unit=unit, reason="Perubahan SOTK 2025")
        unit.refresh_from_db()
        assert unit.archived_at is not None
        [record] = records(unit, "archive")
        assert record.reason == "Perubahan SOTK 2025"

    def test_staff_cannot_archive(self, agency, planner_scope, clerk_scope):
        unit = new_unit(planner_scope, agency)
        with pytest.raises(AccessDenied):
            services.unit_archive(actor=clerk_scope, unit=unit)


# --- positions -------------------------------------------------------------------------


def new_position(actor, agency, **kwargs):
    values = {
        "title": "Kepala Bidang Koperasi",
        "code": "kabid-kop",
        "role_key": RoleKey.KEPALA_BIDANG,
    }
    return services.position_create(actor=actor, agency=agency, **{**values, **kwargs})


class TestPositions:
    def test_a_planner_creates_a_position_in_a_unit_under_a_superior(self, agency, planner_scope):
        head = new_position(
            planner_scope, agency, title="Kepala Dinas", code="kadis", role_key="kepala_dinas"
        )
        unit = OrgUnitFactory(agency=agency)
        position = new_position(planner_scope, agency, unit=unit, superior=head, echelon="III.a")
        assert (position.unit, position.superior, position.echelon) == (unit, head, "III.a")
        assert records(position, "create")

    def test_links_must_stay_inside_the_agency(self, agency, planner_scope):
        with pytest.raises(ValidationFailed) as failed:
            new_position(planner_scope, agency, unit=OrgUnitFactory(), superior=PositionFactory())
        assert set(failed.value.errors) == {"unit", "superior"}

    def test_a_code_is_unique_in_the_agency(self, agency, planner_scope):
        new_position(planner_scope, agency)
        with pytest.raises(ValidationFailed) as failed:
            new_position(planner_scope, agency, title="Lain")
        assert "code" in failed.value.errors

    def test_the_chain_of_command_has_no_loop(self, agency, planner_scope):
        head = new_position(planner_scope, agency, code="kadis", role_key="kepala_dinas")
        below = new_position(planner_scope, agency, superior=head)
        with pytest.raises(ValidationFailed) as failed:
            update_position(planner_scope, head, superior=below)
        assert "superior" in failed.value.errors

    def test_update_records_the_role_change(self, agency, planner_scope):
        position = new_position(planner_scope, agency)
        update_position(planner_scope, position, role_key=RoleKey.KEPALA_UPT)
        [record] = records(position, "update")
        assert record.changes == {"role_key": {"old": "kepala_bidang", "new": "kepala_upt"}}

    def test_others_cannot_create_positions(self, agency, clerk_scope, outsider_scope):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                new_position(actor, agency)


# --- employees -------------------------------------------------------------------------


def register(actor, position, **kwargs):
    values = {
        "name": "Dra. Siti Aminah, M.Si",
        "nip": "19770415 199612 2 001",
        "start_date": D(2024, 1, 2),
    }
    return services.employee_create(actor=actor, position=position, **{**values, **kwargs})


class TestEmployees:
    def test_a_printed_nip_is_stored_as_18_digits_with_the_first_assignment(
        self, agency, planner_scope
    ):
        position = PositionFactory(agency=agency)
        employee = register(
            planner_scope, position, rank="Pembina", grade="IV/a", decree_number="821/12/2024"
        )
        assert employee.nip == "197704151996122001"
        [assignment] = employee.assignments.all()
        assert (assignment.position, assignment.kind, assignment.decree_number) == (
            position,
            Assignment.Kind.DEFINITIVE,
            "821/12/2024",
        )
        assert records(employee, "create")[0].changes["nip"]["new"] == "197704151996122001"
        assert records(assignment, "create")

    @pytest.mark.parametrize(
        ("nip", "message"),
        [
            ("1977041519961220", "A NIP has exactly 18 digits."),
            (
                "19771315 199612 2 001",
                "Digits 1–8 of the NIP must be a valid birth date (YYYYMMDD).",
            ),
            ("19770415 199612 5 001", "Digit 15 of the NIP must be 1 (male) or 2 (female)."),
            ("19770415 199612 2 000", "The last three digits of the NIP (sequence) cannot be 000."),
        ],
    )
    def test_an_invalid_nip_says_what_is_wrong_and_changes_nothing(
        self, agency, planner_scope, nip, message
    ):
        with pytest.raises(ValidationFailed) as failed:
            register(planner_scope, PositionFactory(agency=agency), nip=nip)
        assert failed.value.errors == {"nip": [message]}
        assert not Employee.objects.filter(name__startswith="Dra. Siti").exists()
        assert not Assignment.objects.filter(employee__name__startswith="Dra. Siti").exists()

    def test_a_nip_is_registered_once(self, agency, planner_scope):
        register(planner_scope, PositionFactory(agency=agency))
        with pytest.raises(ValidationFailed) as failed:
            register(planner_scope, PositionFactory(agency=agency), nip="197704151996122001")
        assert failed.value.errors == {"nip": ["An employee with this NIP is already registered."]}

    def test_an_empty_nip_is_stored_as_none(self, agency, planner_scope):
        first = register(planner_scope, PositionFactory(agency=agency), nip="  ")
        second = register(planner_scope, PositionFactory(agency=agency), nip="")
        assert first.nip is None and second.nip is None

    def test_a_rejected_first_assignment_rolls_back_the_employee(self, agency, planner_scope):
        position = PositionFactory(agency=agency)
        AssignmentFactory(position=position, start_date=D(2020, 1, 1))
        with pytest.raises(ValidationFailed):
            register(planner_scope, position)
        assert not Employee.objects.filter(nip="197704151996122001").exists()

    def test_only_planners_of_the_position_agency_register(
        self, agency, clerk_scope, outsider_scope
    ):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                register(actor, PositionFactory(agency=agency))

    def test_update_normalises_and_records_the_nip(self, agency, planner_scope):
        employee = register(planner_scope, PositionFactory(agency=agency))
        update_employee(planner_scope, employee, nip="19850312 2021 2 1 1 005", grade="IX")
        employee.refresh_from_db()
        assert employee.nip == "198503122021211005"
        [record] = records(employee, "update")
        assert set(record.changes) == {"nip", "grade"}

    def test_other_agencies_cannot_update_an_employee(
        self, agency, planner_scope, outsider_scope, clerk_scope
    ):
        employee = register(planner_scope, PositionFactory(agency=agency))
        for actor in (outsider_scope, clerk_scope):
            with pytest.raises(AccessDenied):
                update_employee(actor, employee, name="X")
        employee.refresh_from_db()
        assert employee.name == "Dra. Siti Aminah, M.Si"


# --- assignments -----------------------------------------------------------------------


@pytest.fixture
def position(agency):
    return PositionFactory(agency=agency, role_key=RoleKey.KEPALA_BIDANG, title="Kepala Bidang UKM")


NEW_YEAR = D(2025, 1, 1)


def appoint(actor, position, kind="definitif", start=NEW_YEAR, end=None, employee=None):
    return services.assignment_create(
        actor=actor,
        employee=employee or EmployeeFactory(name="Pegawai Baru"),
        position=position,
        kind=kind,
        start_date=start,
        end_date=end,
    )


class TestDefinitiveAssignments:
    def test_one_definitive_holder_at_a_time(self, planner_scope, position):
        first = appoint(planner_scope, position, employee=EmployeeFactory(name="Budi"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, start=D(2025, 6, 1))
        assert failed.value.message == (
            "The position already has a definitive holder in that period: Budi "
            "(from 01-01-2025). End that assignment first."
        )
        services.assignment_end(actor=planner_scope, assignment=first, end_date=D(2025, 5, 31))
        successor = appoint(planner_scope, position, start=D(2025, 6, 1))
        assert position_holder(position=position, day=D(2025, 6, 1)) == successor
        assert position_holder(position=position, day=D(2025, 5, 31)) == first

    def test_an_earlier_period_that_ended_does_not_clash(self, planner_scope, position):
        appoint(planner_scope, position, start=D(2020, 1, 1), end=D(2024, 12, 31))
        appoint(planner_scope, position, start=D(2025, 1, 1))
        assert position.assignments.count() == 2

    def test_an_employee_holds_one_definitive_position_at_a_time(
        self, agency, planner_scope, position
    ):
        employee = EmployeeFactory(name="Budi")
        appoint(planner_scope, position, employee=employee)
        other = PositionFactory(agency=agency, title="Sekretaris")
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, other, employee=employee, start=D(2025, 3, 1))
        assert (
            "Budi already holds the position Kepala Bidang UKM definitively" in failed.value.message
        )

    def test_the_same_person_is_not_appointed_twice(self, planner_scope, position):
        employee = EmployeeFactory(name="Budi")
        appoint(planner_scope, position, employee=employee)
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plh", employee=employee, end=D(2025, 2, 1))
        assert "Budi already holds this position" in failed.value.message

    def test_end_before_start_is_refused(self, planner_scope, position):
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, end=D(2024, 12, 31))
        assert failed.value.errors == {
            "end_date": ["The end date cannot be before the start date."]
        }

    def test_an_archived_position_takes_no_one(self, planner_scope, position):
        position.archived_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        position.save()
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position)
        assert "position" in failed.value.errors

    def test_staff_and_outsiders_cannot_appoint(self, clerk_scope, outsider_scope, position):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                appoint(actor, position)
        assert not position.assignments.exists()


class TestActingOfficials:
    def test_a_plt_fills_a_vacant_position(self, planner_scope, position):
        plt = appoint(planner_scope, position, kind="plt", start=D(2025, 2, 1), end=D(2025, 4, 30))
        assert position_holder(position=position, day=D(2025, 3, 1)) == plt
        assert plt.title_prefix == "Plt. "

    def test_no_plt_while_a_definitive_holder_serves(self, planner_scope, position):
        appoint(planner_scope, position, employee=EmployeeFactory(name="Budi"), end=D(2025, 3, 31))
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plt", start=D(2025, 3, 1))
        assert (
            "A Plt is appointed only to a vacant position, but Budi holds it"
            in failed.value.message
        )
        appoint(planner_scope, position, kind="plt", start=D(2025, 4, 1))

    def test_one_plt_at_a_time(self, planner_scope, position):
        appoint(planner_scope, position, kind="plt", employee=EmployeeFactory(name="Rina"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plt", start=D(2025, 5, 1))
        assert "Rina already serves as Plt" in failed.value.message

    def test_no_definitive_holder_while_a_plt_serves(self, planner_scope, position):
        plt = appoint(planner_scope, position, kind="plt", employee=EmployeeFactory(name="Rina"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, start=D(2025, 7, 1))
        assert "Rina serves as Plt" in failed.value.message
        services.assignment_end(actor=planner_scope, assignment=plt, end_date=D(2025, 6, 30))
        appoint(planner_scope, position, start=D(2025, 7, 1))

    def test_a_plh_stands_in_for_the_definitive_holder_and_acts_first(
        self, planner_scope, position
    ):
        holder = appoint(planner_scope, position)
        plh = appoint(planner_scope, position, kind="plh", start=D(2025, 8, 4), end=D(2025, 8, 15))
        assert position_holder(position=position, day=D(2025, 8, 10)) == plh
        assert position_holder(position=position, day=D(2025, 8, 16)) == holder

    def test_a_plh_may_stand_in_for_a_plt(self, planner_scope, position):
        appoint(planner_scope, position, kind="plt")
        appoint(planner_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))

    def test_a_plh_needs_an_end_date(self, planner_scope, position):
        appoint(planner_scope, position)
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plh", start=D(2025, 3, 1))
        assert failed.value.errors == {
            "end_date": ["A Plh stands in temporarily: give an end date."]
        }

    def test_a_plh_needs_someone_to_stand_in_for_on_every_day(self, planner_scope, position):
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))
        assert "has no such holder for the whole period" in failed.value.message
        appoint(planner_scope, position, start=D(2025, 1, 1), end=D(2025, 3, 2))
        with pytest.raises(ValidationFailed):
            appoint(planner_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))
        appoint(planner_scope, position, kind="plt", start=D(2025, 3, 3))
        appoint(planner_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))

    def test_one_plh_at_a_time(self, planner_scope, position):
        appoint(planner_scope, position)
        appoint(
            planner_scope,
            position,
            kind="plh",
            start=D(2025, 3, 1),
            end=D(2025, 3, 10),
            employee=EmployeeFactory(name="Andi"),
        )
        with pytest.raises(ValidationFailed) as failed:
            appoint(planner_scope, position, kind="plh", start=D(2025, 3, 10), end=D(2025, 3, 12))
        assert "Andi already serves as Plh" in failed.value.message

    def test_a_definitive_holder_elsewhere_may_act_here(self, agency, planner_scope, position):
        employee = EmployeeFactory()
        appoint(planner_scope, PositionFactory(agency=agency), employee=employee)
        acting = appoint(planner_scope, position, kind="plt", employee=employee)
        assert acting.kind == Assignment.Kind.PLT


class TestEndingAssignments:
    def test_ending_records_the_new_end_date_and_reason(self, planner_scope, position):
        assignment = appoint(planner_scope, position)
        services.assignment_end(
            actor=planner_scope, assignment=assignment, end_date=D(2025, 9, 30), reason="Pensiun"
        )
        assignment.refresh_from_db()
        assert assignment.end_date == D(2025, 9, 30)
        [record] = records(assignment, "update")
        assert record.changes == {"end_date": {"old": None, "new": "2025-09-30"}}
        assert record.reason == "Pensiun"

    def test_ending_before_the_start_is_refused(self, planner_scope, position):
        assignment = appoint(planner_scope, position)
        with pytest.raises(ValidationFailed):
            services.assignment_end(
                actor=planner_scope, assignment=assignment, end_date=D(2024, 1, 1)
            )

    def test_extending_into_a_successor_is_refused(self, planner_scope, position):
        first = appoint(planner_scope, position, end=D(2025, 6, 30))
        appoint(planner_scope, position, start=D(2025, 7, 1))
        with pytest.raises(ValidationFailed):
            services.assignment_end(actor=planner_scope, assignment=first, end_date=D(2025, 7, 15))
        first.refresh_from_db()
        assert first.end_date == D(2025, 6, 30)

    def test_staff_cannot_end_assignments(self, planner_scope, clerk_scope, position):
        assignment = appoint(planner_scope, position)
        with pytest.raises(AccessDenied):
            services.assignment_end(
                actor=clerk_scope, assignment=assignment, end_date=D(2025, 9, 30)
            )


# --- teams -----------------------------------------------------------------------------


class TestTeams:
    def test_a_team_with_members_and_their_history(self, agency, planner, planner_scope):
        team = services.team_create(
            actor=planner_scope,
            agency=agency,
            kind="tim_sakip",
            name="Tim SAKIP",
            year=2025,
            decree_number="800/15/2025",
        )
        member_employee = planner.employee
        member = services.team_member_add(
            actor=planner_scope, team=team, employee=member_employee, role=TeamMember.Role.CHAIR
        )
        assert list(team.members.all()) == [member]
        services.team_member_remove(actor=planner_scope, member=member, reason="Mutasi")
        assert not team.members.exists()
        actions = [(r.action, r.changes.get("member")) for r in records(team)]
        assert actions == [
            ("create", None),
            ("member_add", {"old": None, "new": member_employee.pk}),
            ("member_remove", {"old": member_employee.pk, "new": None}),
        ]

    def test_members_come_from_the_agency_and_sit_once(self, agency, planner, planner_scope):
        team = services.team_create(
            actor=planner_scope,
            agency=agency,
            kind="tim_lkjip",
            name="Tim Penyusun LKjIP",
            year=2025,
        )
        with pytest.raises(ValidationFailed) as failed:
            services.team_member_add(actor=planner_scope, team=team, employee=EmployeeFactory())
        assert failed.value.errors == {"employee": ["Choose an employee of this agency."]}
        services.team_member_add(actor=planner_scope, team=team, employee=planner.employee)
        with pytest.raises(ValidationFailed) as failed:
            services.team_member_add(actor=planner_scope, team=team, employee=planner.employee)
        assert "already a member" in failed.value.errors["employee"][0]

    def test_others_cannot_manage_teams(
        self, agency, planner, planner_scope, clerk_scope, outsider_scope
    ):
        team = services.team_create(
            actor=planner_scope, agency=agency, kind="tim_sakip", name="Tim SAKIP", year=2025
        )
        member = services.team_member_add(actor=planner_scope, team=team, employee=planner.employee)
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                services.team_create(
                    actor=actor, agency=agency, kind="tim_sakip", name="X", year=2025
                )
            with pytest.raises(AccessDenied):
                services.team_member_add(actor=actor, team=team, employee=planner.employee)
            with pytest.raises(AccessDenied):
                services.team_member_remove(actor=actor, member=member)
        assert team.members.count() == 1

    def test_the_team_kind_is_checked(self, agency, planner_scope):
        with pytest.raises(ValidationFailed) as failed:
            services.team_create(
                actor=planner_scope, agency=agency, kind="geng", name="X", year=2025
            )
        assert "kind" in failed.value.errors


def test_position_model_is_untouched_by_a_failed_update(agency, planner_scope):
    """A refused change leaves the stored row as it was."""
    position = PositionFactory(agency=agency, code="a")
    PositionFactory(agency=agency, code="b")
    with pytest.raises(ValidationFailed):
        update_position(planner_scope, position, title="X", code="b")
    assert Position.objects.get(pk=position.pk).title == position.title
