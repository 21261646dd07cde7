"""Organisation writes: who may, what is refused (with which message), what is recorded."""

import datetime

import pytest

from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.organizations import services
from kinerja.organizations.access import scope_for
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
    staff,
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

    def test_only_the_superuser_creates_governments(self, admin_scope, organizer_scope):
        for actor in (admin_scope, organizer_scope):
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

    def test_agency_staff_do_not_create_or_rename_agencies(
        self, agency, organizer_scope, planner_scope
    ):
        for actor in (organizer_scope, planner_scope):
            with pytest.raises(AccessDenied) as denied:
                services.agency_create(
                    actor=actor,
                    government=agency.government,
                    name="Dinas Baru",
                    short_name="DB",
                    code="dinas-baru",
                    kind=Agency.Kind.DINAS,
                )
            assert denied.value.message == (
                "Only the administrator of this regional government may do this."
            )
            with pytest.raises(AccessDenied):
                update_agency(actor, agency, name="Nama Baru")
        assert not Agency.objects.filter(code="dinas-baru").exists()
        agency.refresh_from_db()
        assert agency.name != "Nama Baru"

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
    def test_an_organizer_builds_the_unit_tree(self, agency, organizer_scope):
        bidang = new_unit(organizer_scope, agency)
        seksi = new_unit(
            organizer_scope,
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

    def test_a_code_is_unique_in_the_agency(self, agency, organizer_scope):
        new_unit(organizer_scope, agency)
        with pytest.raises(ValidationFailed) as failed:
            new_unit(organizer_scope, agency, name="Bidang Lain")
        assert failed.value.errors["code"] == [
            "Another unit of this agency already uses the code bidang-kop."
        ]

    def test_the_parent_must_belong_to_the_same_agency(self, agency, organizer_scope):
        foreign = OrgUnitFactory()
        with pytest.raises(ValidationFailed) as failed:
            new_unit(organizer_scope, agency, parent=foreign)
        assert "parent" in failed.value.errors

    def test_a_unit_cannot_move_below_its_own_sub_unit(self, agency, organizer_scope):
        bidang = new_unit(organizer_scope, agency)
        seksi = new_unit(organizer_scope, agency, code="seksi", parent=bidang)
        with pytest.raises(ValidationFailed) as failed:
            update_unit(organizer_scope, bidang, parent=seksi)
        assert failed.value.errors["parent"] == [
            "A unit cannot be placed under itself or one of its sub-units."
        ]
        bidang.refresh_from_db()
        assert bidang.parent is None

    def test_update_records_old_and_new_values(self, agency, organizer_scope):
        unit = new_unit(organizer_scope, agency)
        update_unit(organizer_scope, unit, name="Bidang Koperasi dan UKM", sort_order=3)
        [record] = records(unit, "update")
        assert record.changes == {
            "name": {"old": "Bidang Koperasi", "new": "Bidang Koperasi dan UKM"},
            "sort_order": {"old": 0, "new": 3},
        }

    def test_an_unchanged_update_records_nothing(self, agency, organizer_scope):
        unit = new_unit(organizer_scope, agency)
        update_unit(organizer_scope, unit)
        assert records(unit, "update") == []

    def test_a_unit_with_positions_cannot_be_archived(self, agency, organizer_scope):
        unit = new_unit(organizer_scope, agency)
        PositionFactory(agency=agency, unit=unit)
        with pytest.raises(ValidationFailed) as failed:
            services.unit_archive(actor=organizer_scope, unit=unit)
        assert "positions" in failed.value.message
        unit.refresh_from_db()
        assert unit.archived_at is None

    def test_a_unit_with_sub_units_cannot_be_archived(self, agency, organizer_scope):
        unit = new_unit(organizer_scope, agency)
        new_unit(organizer_scope, agency, code="seksi", parent=unit)
        with pytest.raises(ValidationFailed) as failed:
            services.unit_archive(actor=organizer_scope, unit=unit)
        assert "sub-units" in failed.value.message

    def test_an_empty_unit_is_archived_not_deleted(self, agency, organizer_scope):
        unit = new_unit(organizer_scope, agency)
        PositionFactory(
            agency=agency, unit=unit, archived_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        )
        services.unit_archive(actor=organizer_scope, unit=unit, reason="Perubahan SOTK 2025")
        unit.refresh_from_db()
        assert unit.archived_at is not None
        [record] = records(unit, "archive")
        assert record.reason == "Perubahan SOTK 2025"

    def test_staff_cannot_archive(self, agency, organizer_scope, clerk_scope):
        unit = new_unit(organizer_scope, agency)
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
    def test_an_organizer_creates_a_position_in_a_unit_under_a_superior(
        self, agency, organizer_scope
    ):
        head = new_position(
            organizer_scope, agency, title="Kepala Dinas", code="kadis", role_key="kepala_dinas"
        )
        unit = OrgUnitFactory(agency=agency)
        position = new_position(organizer_scope, agency, unit=unit, superior=head, echelon="III.a")
        assert (position.unit, position.superior, position.echelon) == (unit, head, "III.a")
        assert records(position, "create")

    def test_links_must_stay_inside_the_agency(self, agency, organizer_scope):
        with pytest.raises(ValidationFailed) as failed:
            new_position(organizer_scope, agency, unit=OrgUnitFactory(), superior=PositionFactory())
        assert set(failed.value.errors) == {"unit", "superior"}

    def test_a_code_is_unique_in_the_agency(self, agency, organizer_scope):
        new_position(organizer_scope, agency)
        with pytest.raises(ValidationFailed) as failed:
            new_position(organizer_scope, agency, title="Lain")
        assert "code" in failed.value.errors

    def test_the_chain_of_command_has_no_loop(self, agency, organizer_scope):
        head = new_position(organizer_scope, agency, code="kadis", role_key="kepala_dinas")
        below = new_position(organizer_scope, agency, superior=head)
        with pytest.raises(ValidationFailed) as failed:
            update_position(organizer_scope, head, superior=below)
        assert "superior" in failed.value.errors

    def test_update_records_the_role_change(self, agency, organizer_scope):
        position = new_position(organizer_scope, agency)
        update_position(organizer_scope, position, role_key=RoleKey.KEPALA_UPT)
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
        self, agency, organizer_scope
    ):
        position = PositionFactory(agency=agency)
        employee = register(
            organizer_scope, position, rank="Pembina", grade="IV/a", decree_number="821/12/2024"
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
        self, agency, organizer_scope, nip, message
    ):
        with pytest.raises(ValidationFailed) as failed:
            register(organizer_scope, PositionFactory(agency=agency), nip=nip)
        assert failed.value.errors == {"nip": [message]}
        assert not Employee.objects.filter(name__startswith="Dra. Siti").exists()
        assert not Assignment.objects.filter(employee__name__startswith="Dra. Siti").exists()

    def test_a_nip_is_registered_once(self, agency, organizer_scope):
        register(organizer_scope, PositionFactory(agency=agency))
        with pytest.raises(ValidationFailed) as failed:
            register(organizer_scope, PositionFactory(agency=agency), nip="197704151996122001")
        assert failed.value.errors == {"nip": ["An employee with this NIP is already registered."]}

    def test_an_empty_nip_is_stored_as_none(self, agency, organizer_scope):
        first = register(organizer_scope, PositionFactory(agency=agency), nip="  ")
        second = register(organizer_scope, PositionFactory(agency=agency), nip="")
        assert first.nip is None and second.nip is None

    def test_a_rejected_first_assignment_rolls_back_the_employee(self, agency, organizer_scope):
        position = PositionFactory(agency=agency)
        AssignmentFactory(position=position, start_date=D(2020, 1, 1))
        with pytest.raises(ValidationFailed):
            register(organizer_scope, position)
        assert not Employee.objects.filter(nip="197704151996122001").exists()

    def test_only_organizers_of_the_position_agency_register(
        self, agency, clerk_scope, outsider_scope
    ):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                register(actor, PositionFactory(agency=agency))

    def test_update_normalises_and_records_the_nip(self, agency, organizer_scope):
        employee = register(organizer_scope, PositionFactory(agency=agency))
        update_employee(organizer_scope, employee, nip="19850312 2021 2 1 1 005", grade="IX")
        employee.refresh_from_db()
        assert employee.nip == "198503122021211005"
        [record] = records(employee, "update")
        assert set(record.changes) == {"nip", "grade"}

    def test_planners_staff_and_other_agencies_cannot_update_an_employee(
        self, agency, organizer_scope, planner_scope, outsider_scope, clerk_scope
    ):
        employee = register(organizer_scope, PositionFactory(agency=agency))
        for actor in (planner_scope, outsider_scope, clerk_scope):
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
    def test_one_definitive_holder_at_a_time(self, organizer_scope, position):
        first = appoint(organizer_scope, position, employee=EmployeeFactory(name="Budi"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, start=D(2025, 6, 1))
        assert failed.value.message == (
            "The position already has a definitive holder in that period: Budi "
            "(from 01-01-2025). End that assignment first."
        )
        services.assignment_end(actor=organizer_scope, assignment=first, end_date=D(2025, 5, 31))
        successor = appoint(organizer_scope, position, start=D(2025, 6, 1))
        assert position_holder(position=position, day=D(2025, 6, 1)) == successor
        assert position_holder(position=position, day=D(2025, 5, 31)) == first

    def test_an_earlier_period_that_ended_does_not_clash(self, organizer_scope, position):
        appoint(organizer_scope, position, start=D(2020, 1, 1), end=D(2024, 12, 31))
        appoint(organizer_scope, position, start=D(2025, 1, 1))
        assert position.assignments.count() == 2

    def test_an_employee_holds_one_definitive_position_at_a_time(
        self, agency, organizer_scope, position
    ):
        employee = EmployeeFactory(name="Budi")
        appoint(organizer_scope, position, employee=employee)
        other = PositionFactory(agency=agency, title="Sekretaris")
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, other, employee=employee, start=D(2025, 3, 1))
        assert (
            "Budi already holds the position Kepala Bidang UKM definitively" in failed.value.message
        )

    def test_the_same_person_is_not_appointed_twice(self, organizer_scope, position):
        employee = EmployeeFactory(name="Budi")
        appoint(organizer_scope, position, employee=employee)
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plh", employee=employee, end=D(2025, 2, 1))
        assert "Budi already holds this position" in failed.value.message

    def test_end_before_start_is_refused(self, organizer_scope, position):
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, end=D(2024, 12, 31))
        assert failed.value.errors == {
            "end_date": ["The end date cannot be before the start date."]
        }

    def test_an_archived_position_takes_no_one(self, organizer_scope, position):
        position.archived_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        position.save()
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position)
        assert "position" in failed.value.errors

    def test_staff_and_outsiders_cannot_appoint(self, clerk_scope, outsider_scope, position):
        for actor in (clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                appoint(actor, position)
        assert not position.assignments.exists()


class TestActingOfficials:
    def test_a_plt_fills_a_vacant_position(self, organizer_scope, position):
        plt = appoint(
            organizer_scope, position, kind="plt", start=D(2025, 2, 1), end=D(2025, 4, 30)
        )
        assert position_holder(position=position, day=D(2025, 3, 1)) == plt
        assert plt.title_prefix == "Plt. "

    def test_no_plt_while_a_definitive_holder_serves(self, organizer_scope, position):
        appoint(
            organizer_scope, position, employee=EmployeeFactory(name="Budi"), end=D(2025, 3, 31)
        )
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plt", start=D(2025, 3, 1))
        assert (
            "A Plt is appointed only to a vacant position, but Budi holds it"
            in failed.value.message
        )
        appoint(organizer_scope, position, kind="plt", start=D(2025, 4, 1))

    def test_one_plt_at_a_time(self, organizer_scope, position):
        appoint(organizer_scope, position, kind="plt", employee=EmployeeFactory(name="Rina"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plt", start=D(2025, 5, 1))
        assert "Rina already serves as Plt" in failed.value.message

    def test_no_definitive_holder_while_a_plt_serves(self, organizer_scope, position):
        plt = appoint(organizer_scope, position, kind="plt", employee=EmployeeFactory(name="Rina"))
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, start=D(2025, 7, 1))
        assert "Rina serves as Plt" in failed.value.message
        services.assignment_end(actor=organizer_scope, assignment=plt, end_date=D(2025, 6, 30))
        appoint(organizer_scope, position, start=D(2025, 7, 1))

    def test_a_plh_stands_in_for_the_definitive_holder_and_acts_first(
        self, organizer_scope, position
    ):
        holder = appoint(organizer_scope, position)
        plh = appoint(
            organizer_scope, position, kind="plh", start=D(2025, 8, 4), end=D(2025, 8, 15)
        )
        assert position_holder(position=position, day=D(2025, 8, 10)) == plh
        assert position_holder(position=position, day=D(2025, 8, 16)) == holder

    def test_a_plh_may_stand_in_for_a_plt(self, organizer_scope, position):
        appoint(organizer_scope, position, kind="plt")
        appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))

    def test_a_plh_needs_an_end_date(self, organizer_scope, position):
        appoint(organizer_scope, position)
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 1))
        assert failed.value.errors == {
            "end_date": ["A Plh stands in temporarily: give an end date."]
        }

    def test_a_plh_needs_someone_to_stand_in_for_on_every_day(self, organizer_scope, position):
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))
        assert "has no such holder for the whole period" in failed.value.message
        appoint(organizer_scope, position, start=D(2025, 1, 1), end=D(2025, 3, 2))
        with pytest.raises(ValidationFailed):
            appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))
        appoint(organizer_scope, position, kind="plt", start=D(2025, 3, 3))
        appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 1), end=D(2025, 3, 5))

    def test_one_plh_at_a_time(self, organizer_scope, position):
        appoint(organizer_scope, position)
        appoint(
            organizer_scope,
            position,
            kind="plh",
            start=D(2025, 3, 1),
            end=D(2025, 3, 10),
            employee=EmployeeFactory(name="Andi"),
        )
        with pytest.raises(ValidationFailed) as failed:
            appoint(organizer_scope, position, kind="plh", start=D(2025, 3, 10), end=D(2025, 3, 12))
        assert "Andi already serves as Plh" in failed.value.message

    def test_a_definitive_holder_elsewhere_may_act_here(self, agency, organizer_scope, position):
        employee = EmployeeFactory()
        appoint(organizer_scope, PositionFactory(agency=agency), employee=employee)
        acting = appoint(organizer_scope, position, kind="plt", employee=employee)
        assert acting.kind == Assignment.Kind.PLT


class TestEndingAssignments:
    def test_ending_records_the_new_end_date_and_reason(self, organizer_scope, position):
        assignment = appoint(organizer_scope, position)
        services.assignment_end(
            actor=organizer_scope, assignment=assignment, end_date=D(2025, 9, 30), reason="Pensiun"
        )
        assignment.refresh_from_db()
        assert assignment.end_date == D(2025, 9, 30)
        [record] = records(assignment, "update")
        assert record.changes == {"end_date": {"old": None, "new": "2025-09-30"}}
        assert record.reason == "Pensiun"

    def test_ending_before_the_start_is_refused(self, organizer_scope, position):
        assignment = appoint(organizer_scope, position)
        with pytest.raises(ValidationFailed):
            services.assignment_end(
                actor=organizer_scope, assignment=assignment, end_date=D(2024, 1, 1)
            )

    def test_extending_into_a_successor_is_refused(self, organizer_scope, position):
        first = appoint(organizer_scope, position, end=D(2025, 6, 30))
        appoint(organizer_scope, position, start=D(2025, 7, 1))
        with pytest.raises(ValidationFailed):
            services.assignment_end(
                actor=organizer_scope, assignment=first, end_date=D(2025, 7, 15)
            )
        first.refresh_from_db()
        assert first.end_date == D(2025, 6, 30)

    def test_staff_cannot_end_assignments(self, organizer_scope, clerk_scope, position):
        assignment = appoint(organizer_scope, position)
        with pytest.raises(AccessDenied):
            services.assignment_end(
                actor=clerk_scope, assignment=assignment, end_date=D(2025, 9, 30)
            )


# --- teams -----------------------------------------------------------------------------


def new_team(actor, agency, **kwargs):
    values = {"kind": "tim_sakip", "name": "Tim SAKIP", "year": 2025}
    return services.team_create(actor=actor, agency=agency, **{**values, **kwargs})


@pytest.fixture
def team(agency, organizer_scope):
    return new_team(organizer_scope, agency, decree_number="800/15/2025")


@pytest.fixture
def colleague(agency):
    """An employee of `agency`, to be seated in its teams."""
    return AssignmentFactory(position=PositionFactory(agency=agency)).employee


class TestTeams:
    def test_a_member_is_seated_with_a_role_and_a_record(self, team, colleague, organizer_scope):
        member = services.team_member_add(
            actor=organizer_scope, team=team, employee=colleague, role=TeamMember.Role.CHAIR
        )
        assert list(team.members.all()) == [member]
        [record] = records(member, "create")
        assert record.changes == {
            "team": {"old": None, "new": team.pk},
            "employee": {"old": None, "new": colleague.pk},
            "role": {"old": None, "new": "ketua"},
        }
        assert record.user_id == organizer_scope.user_id

    def test_removing_a_member_archives_the_seat_with_the_reason(
        self, team, colleague, organizer_scope
    ):
        member = services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        services.team_member_remove(actor=organizer_scope, member=member, reason="Mutasi")
        member.refresh_from_db()
        assert member.archived_at is not None
        assert list(team.members.all()) == [member]  # kept, not deleted
        [record] = records(member, "archive")
        assert (record.reason, record.user_id) == ("Mutasi", organizer_scope.user_id)

    def test_removing_a_member_twice_is_a_conflict(self, team, colleague, organizer_scope):
        member = services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        services.team_member_remove(actor=organizer_scope, member=member)
        with pytest.raises(Conflict) as conflict:
            services.team_member_remove(actor=organizer_scope, member=member)
        assert conflict.value.message == f"{colleague.name} has already left the team."
        assert len(records(member, "archive")) == 1

    def test_someone_who_left_returns_in_a_new_seat(self, team, colleague, organizer_scope):
        first = services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        services.team_member_remove(actor=organizer_scope, member=first)
        again = services.team_member_add(
            actor=organizer_scope, team=team, employee=colleague, role=TeamMember.Role.SECRETARY
        )
        assert again.pk != first.pk
        first.refresh_from_db()
        assert first.is_archived and first.role == TeamMember.Role.MEMBER
        assert list(TeamMember.objects.filter(team=team, archived_at__isnull=True)) == [again]

    def test_members_come_from_the_agency_and_sit_once(self, team, colleague, organizer_scope):
        with pytest.raises(ValidationFailed) as failed:
            services.team_member_add(actor=organizer_scope, team=team, employee=EmployeeFactory())
        assert failed.value.errors == {"employee": ["Choose an employee of this agency."]}
        services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        with pytest.raises(ValidationFailed) as failed:
            services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        assert failed.value.errors == {
            "employee": [f"{colleague.name} is already a member of this team."]
        }
        assert team.members.count() == 1

    def test_others_cannot_manage_teams(
        self, agency, team, colleague, organizer_scope, planner_scope, clerk_scope, outsider_scope
    ):
        member = services.team_member_add(actor=organizer_scope, team=team, employee=colleague)
        for actor in (planner_scope, clerk_scope, outsider_scope):
            with pytest.raises(AccessDenied):
                new_team(actor, agency, name="X")
            with pytest.raises(AccessDenied):
                services.team_member_add(actor=actor, team=team, employee=colleague)
            with pytest.raises(AccessDenied):
                services.team_member_remove(actor=actor, member=member)
        member.refresh_from_db()
        assert not member.is_archived
        assert list(team.members.all()) == [member]

    def test_the_team_kind_is_checked(self, agency, organizer_scope):
        with pytest.raises(ValidationFailed) as failed:
            new_team(organizer_scope, agency, kind="geng")
        assert "kind" in failed.value.errors


# --- who may change the organisation ----------------------------------------------------


ORGANIZATION_WRITES = {
    "unit_create": lambda actor, agency: new_unit(actor, agency),
    "position_create": lambda actor, agency: new_position(actor, agency),
    "employee_create": lambda actor, agency: register(actor, PositionFactory(agency=agency)),
    "assignment_create": lambda actor, agency: appoint(actor, PositionFactory(agency=agency)),
    "team_create": lambda actor, agency: new_team(actor, agency),
}


@pytest.mark.parametrize("write", list(ORGANIZATION_WRITES))
@pytest.mark.parametrize("role", [RoleKey.KEPALA_DINAS, RoleKey.SEKRETARIS, RoleKey.KASUBBAG])
def test_the_head_secretary_and_kasubbag_change_the_organisation(agency, role, write):
    actor = scope_for(staff(agency=agency, role_key=role))
    created = ORGANIZATION_WRITES[write](actor, agency)
    [record] = records(created, "create")
    assert record.user_id == actor.user_id


@pytest.mark.parametrize("write", list(ORGANIZATION_WRITES))
@pytest.mark.parametrize(
    "role", [RoleKey.KASUBBAG_PROGRAM, RoleKey.FUNGSIONAL_UMUM, RoleKey.KEPALA_BIDANG]
)
def test_planners_and_unit_heads_do_not_change_the_organisation(agency, role, write):
    actor = scope_for(staff(agency=agency, role_key=role))
    before = ChangeRecord.objects.count()
    with pytest.raises(AccessDenied) as denied:
        ORGANIZATION_WRITES[write](actor, agency)
    assert denied.value.message == "You may not change the organisation of this agency."
    assert ChangeRecord.objects.count() == before


@pytest.mark.parametrize("write", list(ORGANIZATION_WRITES))
@pytest.mark.parametrize("who", ["admin_scope", "superuser_scope"])
def test_the_government_admin_and_superuser_change_the_organisation(agency, request, who, write):
    actor = request.getfixturevalue(who)
    assert records(ORGANIZATION_WRITES[write](actor, agency), "create")


def test_position_model_is_untouched_by_a_failed_update(agency, organizer_scope):
    """A refused change leaves the stored row as it was."""
    position = PositionFactory(agency=agency, code="a")
    PositionFactory(agency=agency, code="b")
    with pytest.raises(ValidationFailed):
        update_position(organizer_scope, position, title="X", code="b")
    assert Position.objects.get(pk=position.pk).title == position.title
