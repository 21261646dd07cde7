"""Who may import what: planners the plans, the Sekretariat/Kasubbag Umum the organisation."""

import json
from typing import cast

import pytest
from django.utils import timezone, translation

from kinerja.core.errors import AccessDenied
from kinerja.core.models import ChangeRecord
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Agency, Assignment, Employee, OrgUnit, RoleKey, User
from kinerja.planning.interchange.exporter import planning_export
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.models import AnnualTarget
from tests.factories import AgencyFactory, staff
from tests.planning.interchange.conftest import row_counts

pytestmark = pytest.mark.django_db

NEW_UNIT = {"code": "upt-balai", "name": "UPT Balai Latihan", "kind": "upt"}


def imported(data, actor=None):
    report = planning_import(actor=actor, data=data, dry_run=False)
    assert report.problems == []
    assert report.applied
    return report


@pytest.fixture
def agency(example) -> Agency:
    imported(example)
    return Agency.objects.get(code="diskukm-sulteng")


@pytest.fixture
def planner(agency) -> User:
    return staff(agency=agency, role_key=RoleKey.KASUBBAG_PROGRAM)


@pytest.fixture
def organiser(agency) -> User:
    """The Kasubbag Umum: organises the agency, does not plan it."""
    return staff(agency=agency, role_key=RoleKey.KASUBBAG)


def other_agency() -> Agency:
    return cast(Agency, AgencyFactory())  # factory_boy's calls are untyped


def exported(agency: Agency) -> dict:
    """What a user downloads: the export, through JSON."""
    return json.loads(json.dumps(planning_export(scope=None, agency=agency, year=2025)))


def refusal(user: User, data: dict, *, dry_run: bool = False) -> str:
    """The AccessDenied message (in English) of an import that must write nothing."""
    before = row_counts()
    with translation.override("en"), pytest.raises(AccessDenied) as refused:
        planning_import(actor=scope_for(user), data=data, dry_run=dry_run)
    assert row_counts() == before
    return refused.value.message


def _target_of(data: dict, code: str, year: int) -> dict:
    return next(t for t in data["annual_targets"] if (t["indicator"], t["year"]) == (code, year))


# --- the planner -----------------------------------------------------------------------------


def test_a_planner_updates_targets_in_an_exported_file(agency, planner):
    data = exported(agency)
    _target_of(data, "IKU-1", 2025)["value"] = 76
    data["realizations"][0]["value"] = 18

    report = imported(data, actor=scope_for(planner))

    assert report.updated == {"annual_targets": 1, "realizations": 1}
    assert report.created == {}
    assert report.unchanged["units"] == 4  # the organisation came along, unchanged
    assert AnnualTarget.objects.get(indicator__code="IKU-1", year=2025).value == 76
    assert ChangeRecord.objects.get(model="annualtarget").user == planner


def test_a_planner_of_the_agency_may_import_and_is_recorded_as_the_author(example, planner):
    example["goals"][0]["statement"] = "Meningkatnya daya saing koperasi, UMKM dan industri"

    report = imported(example, actor=scope_for(planner))

    assert report.updated == {"goals": 1}
    assert ChangeRecord.objects.get(model="goal").user == planner


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_planner_who_adds_a_unit_is_refused_and_nothing_is_written(agency, planner, dry_run):
    data = exported(agency)
    _target_of(data, "IKU-1", 2025)["value"] = 76
    data["units"].append(NEW_UNIT)

    message = refusal(planner, data, dry_run=dry_run)

    assert "organisation" in message and "(Units)" in message
    assert "Kasubbag Umum" in message
    assert not OrgUnit.objects.filter(code="upt-balai").exists()
    assert AnnualTarget.objects.get(indicator__code="IKU-1", year=2025).value != 76


def _rename_position(data: dict) -> None:
    data["positions"][0]["title"] = "Kepala Dinas KUKM"


def _appoint(data: dict) -> None:
    data["assignments"].append(
        {
            "nip": "198003102005011003",
            "position": "kabid-koperasi",
            "kind": "plh",
            "start_date": "2025-03-03",
            "end_date": "2025-03-14",
        }
    )


def _change_member_role(data: dict) -> None:
    data["teams"][0]["members"][2]["role"] = "sekretaris"


def _add_employee(data: dict) -> None:
    data["employees"].append({"nip": "199508172020122001", "name": "Pegawai Baru"})


def _rename_team(data: dict) -> None:
    data["teams"][0]["decree_number"] = "800/016/DISKUKM/2025"


@pytest.mark.parametrize(
    ("change", "part"),
    [
        (_rename_position, "Positions"),
        (_appoint, "Assignments"),
        (_change_member_role, "Team members"),
        (_add_employee, "Employees"),
        (_rename_team, "Teams"),
    ],
)
def test_every_change_to_the_organisation_needs_the_organiser(agency, planner, change, part):
    data = exported(agency)
    change(data)

    message = refusal(planner, data)

    assert f"({part})" in message


def test_the_refusal_names_every_part_of_the_organisation_changed(agency, planner):
    data = exported(agency)
    data["units"].append(NEW_UNIT)
    _appoint(data)

    message = refusal(planner, data)

    assert "(Units, Assignments)" in message


# --- the Kasubbag Umum -----------------------------------------------------------------------


def test_the_kasubbag_umum_adds_a_unit(agency, organiser):
    data = exported(agency)
    data["units"].append(NEW_UNIT)
    _appoint(data)

    report = imported(data, actor=scope_for(organiser))

    assert report.created == {"units": 1, "assignments": 1}
    assert report.updated == {}
    assert OrgUnit.objects.get(code="upt-balai").agency == agency


def test_the_kasubbag_umum_may_not_change_targets(agency, organiser):
    """The Kasubbag Umum is no planner (access_agency_for_planning refuses them)."""
    data = exported(agency)
    _target_of(data, "IKU-1", 2025)["value"] = 76

    message = refusal(organiser, data)

    assert "plans" in message and "(Annual targets)" in message
    assert AnnualTarget.objects.get(indicator__code="IKU-1", year=2025).value != 76


def test_the_kasubbag_umum_may_not_change_the_plans_along_with_the_organisation(agency, organiser):
    data = exported(agency)
    data["units"].append(NEW_UNIT)
    data["goals"][0]["statement"] = "Lain"

    message = refusal(organiser, data)

    assert "(Goals)" in message and "Units" not in message
    assert not OrgUnit.objects.filter(code="upt-balai").exists()


def test_the_kasubbag_umum_may_re_import_an_unchanged_export(agency, organiser):
    report = imported(exported(agency), actor=scope_for(organiser))

    assert (report.created, report.updated) == ({}, {})


def test_a_government_administrator_changes_both(agency):
    admin = User.objects.create(username="admin", administered_government=agency.government)
    data = exported(agency)
    data["units"].append(NEW_UNIT)
    _target_of(data, "IKU-1", 2025)["value"] = 76

    report = imported(data, actor=scope_for(admin))

    assert report.created == {"units": 1}
    assert report.updated == {"annual_targets": 1}


# --- employees' own records ------------------------------------------------------------------


def _rename_employee(data: dict, nip: str, name: str) -> str:
    item = next(e for e in data["employees"] if e["nip"] == nip)
    item["name"] = name
    return f"employees[{data['employees'].index(item)}]"


def test_the_kasubbag_umum_corrects_an_employees_name(agency, organiser):
    data = exported(agency)
    _rename_employee(data, "199205202022212003", "Rahmawati, S.E., M.M.")

    report = imported(data, actor=scope_for(organiser))

    assert report.updated == {"employees": 1}
    assert Employee.objects.get(nip="199205202022212003").name == "Rahmawati, S.E., M.M."
    assert ChangeRecord.objects.get(model="employee").user == organiser


def test_a_planner_may_not_change_an_employees_record(agency, planner):
    data = exported(agency)
    path = _rename_employee(data, "199205202022212003", "Rahmawati, S.E., M.M.")

    report = planning_import(actor=scope_for(planner), data=data, dry_run=False)

    assert [p.path for p in report.problems] == [path]
    assert not report.applied
    assert Employee.objects.get(nip="199205202022212003").name == "Rahmawati, S.E."


def test_an_employee_without_a_current_assignment_is_changed_only_by_a_superuser(agency, organiser):
    Assignment.objects.filter(employee__nip="199205202022212003").update(archived_at=timezone.now())
    data = exported(agency)  # she is still named, as a team member
    path = _rename_employee(data, "199205202022212003", "Rahmawati, S.E., M.M.")

    report = planning_import(actor=scope_for(organiser), data=data, dry_run=False)

    assert [p.path for p in report.problems] == [path]
    superuser = User.objects.create(username="root", is_superuser=True)
    imported(data, actor=scope_for(superuser))
    assert Employee.objects.get(nip="199205202022212003").name == "Rahmawati, S.E., M.M."


def test_no_one_changes_an_employee_of_another_agency_from_here(example, agency, organiser):
    colleague = staff(agency=other_agency(), role_key=RoleKey.STAF)
    employee = Employee.objects.get(user=colleague)
    example["employees"].append({"nip": employee.nip, "name": "Nama Lain"})

    report = planning_import(actor=scope_for(organiser), data=example, dry_run=False)

    assert [p.path for p in report.problems] == ["employees[6]"]
    employee.refresh_from_db()
    assert employee.name != "Nama Lain"


# --- who may import at all -------------------------------------------------------------------


def test_an_actor_from_another_agency_is_refused_and_nothing_is_written(example, agency):
    outsider = staff(agency=other_agency(), role_key=RoleKey.KEPALA_DINAS)
    example["goals"][0]["statement"] = "Lain"

    refusal(outsider, example)


def test_a_unit_role_may_not_import_the_agency_plan(example, agency):
    head_of_division = staff(agency=agency, role_key=RoleKey.KEPALA_BIDANG)

    refusal(head_of_division, example, dry_run=True)


def test_only_a_government_administrator_may_create_an_agency(example, agency):
    planner = staff(agency=agency, role_key=RoleKey.SEKRETARIS)
    admin = User.objects.create(username="admin", administered_government=agency.government)
    new_agency = {
        **example["agency"],
        "code": "bappeda-sulteng",
        "name": "Bappeda Sulteng",
        "kind": "badan",
    }
    other = {
        "format": "kinerja-planning",
        "version": 1,
        "government": example["government"],
        "agency": new_agency,
    }

    refusal(planner, other, dry_run=True)
    report = imported(other, actor=scope_for(admin))

    assert report.created == {"agency": 1}


@pytest.mark.parametrize("role_key", [RoleKey.KASUBBAG_PROGRAM, RoleKey.KASUBBAG])
def test_neither_may_change_the_government_or_the_agency_identity(example, agency, role_key):
    user = staff(agency=agency, role_key=role_key)
    example["government"]["capital"] = "Kota Palu"
    example["agency"]["short_name"] = "DKUKM"

    report = planning_import(actor=scope_for(user), data=example, dry_run=False)

    assert [p.path for p in report.problems] == ["government", "agency"]
    assert not report.applied
