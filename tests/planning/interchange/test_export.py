"""planning_export: the import format back, so that re-importing it changes nothing."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Agency, RoleKey, TeamMember
from kinerja.planning.interchange.exporter import json_number, planning_export
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.interchange.schema import schema_problems
from kinerja.planning.models import PerformanceAgreement
from tests.factories import (
    AgencyFactory,
    AgreementLineFactory,
    AssignmentFactory,
    EmployeeFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PerformanceAgreementFactory,
    PositionFactory,
    QuarterlyTargetFactory,
    StrategicPlanFactory,
    staff,
)
from tests.planning.interchange.conftest import row_counts, sized_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(example):
    report = planning_import(actor=None, data=example, dry_run=False)
    assert report.applied
    return Agency.objects.get(code="diskukm-sulteng")


def test_the_export_fits_the_schema_and_survives_json(agency):
    data = planning_export(scope=None, agency=agency, year=2025)

    assert schema_problems(json.loads(json.dumps(data))) == []
    assert data["format"] == "kinerja-planning"
    assert [a["position"] for a in data["agreements"]] == ["kadis", "kabid-koperasi", "kabid-ukm"]
    assert data["agreements"][2]["holder_title"].startswith("Plt. ")
    assert {r["year"] for r in data["realizations"]} == {2025}
    assert {t["year"] for t in data["annual_targets"]} == {2024, 2025}


def test_re_importing_an_export_changes_nothing(agency):
    data = json.loads(json.dumps(planning_export(scope=None, agency=agency, year=2025)))
    before = row_counts()

    report = planning_import(actor=None, data=data, dry_run=False)

    assert report.problems == []
    assert report.created == {}
    assert report.updated == {}
    assert row_counts() == before


def test_rows_made_outside_the_import_round_trip_too(db):
    """Data entered through the app (factories here), not only imported data."""
    plan = StrategicPlanFactory()
    agency = plan.agency
    head = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_DINAS, sort_order=0)
    assignment = AssignmentFactory(position=head)
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan), aggregation="cumulative")
    agreement = PerformanceAgreementFactory(position=head, holder=assignment.employee)
    line = AgreementLineFactory(agreement=agreement, indicator=indicator, value=Decimal("80"))
    for quarter in (1, 2, 3, 4):
        QuarterlyTargetFactory(line=line, quarter=quarter, value=Decimal("20"))
    data = json.loads(json.dumps(planning_export(scope=None, agency=agency, year=2025)))
    before = row_counts()

    report = planning_import(actor=None, data=data, dry_run=False)

    assert report.problems == []
    assert report.created == {}
    assert report.updated == {}
    assert row_counts() == before


def test_only_current_team_members_are_exported(agency):
    TeamMember.objects.filter(employee__nip="198003102005011003").update(archived_at=timezone.now())
    data = json.loads(json.dumps(planning_export(scope=None, agency=agency, year=2025)))
    before = row_counts()

    report = planning_import(actor=None, data=data, dry_run=False)

    assert [m["nip"] for m in data["teams"][0]["members"]] == [
        "197208151998032004",
        "199205202022212003",
    ]
    assert (report.problems, report.created, report.updated) == ([], {}, {})
    assert row_counts() == before  # the former member is not brought back


def test_a_planner_may_export_their_agency(agency):
    reader = staff(agency=agency, role_key=RoleKey.STAF)

    data = planning_export(scope=scope_for(reader), agency=agency, year=2025)

    assert data["agency"]["code"] == agency.code


def test_an_agency_outside_the_scope_is_not_found(agency):
    outsider = staff(agency=AgencyFactory(), role_key=RoleKey.KEPALA_DINAS)

    with pytest.raises(NotFound):
        planning_export(scope=scope_for(outsider), agency=agency, year=2025)


def test_an_agreement_without_second_party_says_so_explicitly(agency):
    data = planning_export(scope=None, agency=agency, year=2025)

    head = data["agreements"][0]
    assert head["superior_nip"] is None
    assert head["superior_title"] == "Gubernur Sulawesi Tengah"


def test_the_regional_head_and_the_signing_time_are_exported(agency):
    data = planning_export(scope=None, agency=agency, year=2025)

    head, with_superior = data["agreements"][0], data["agreements"][1]
    assert head["superior_name"] == "Drs. H. Abdul Rahman Tahir, M.Si."
    assert "superior_external_nip" not in head
    assert head["signed_at"] == "2025-01-02T10:00:00+08:00"  # WITA
    assert "superior_name" not in with_superior and "signed_at" not in with_superior


def test_values_entered_in_the_app_round_trip_exactly(agency):
    PerformanceAgreement.objects.filter(position__code="kadis").update(
        superior_nip="196508171990031004",
        signed_at=datetime.datetime(2025, 1, 2, 1, 2, 3, tzinfo=datetime.UTC),
    )
    data = json.loads(json.dumps(planning_export(scope=None, agency=agency, year=2025)))
    before = row_counts()

    report = planning_import(actor=None, data=data, dry_run=False)

    head = data["agreements"][0]
    assert (head["superior_external_nip"], head["signed_at"]) == (
        "196508171990031004",
        "2025-01-02T09:02:03+08:00",
    )
    assert (report.problems, report.created, report.updated) == ([], {}, {})
    assert row_counts() == before


def test_an_external_party_is_not_exported_next_to_an_employee(agency):
    PerformanceAgreement.objects.filter(position__code="kabid-koperasi").update(
        superior_name="Sisa data lama"
    )

    data = planning_export(scope=None, agency=agency, year=2025)

    assert "superior_name" not in data["agreements"][1]


def test_a_year_without_plans_exports_the_organisation_only(agency):
    data = planning_export(scope=None, agency=agency, year=2030)

    assert "strategic_plan" not in data
    assert "agreements" not in data
    assert len(data["positions"]) == 7


def test_an_employee_named_only_as_second_party_is_exported(agency):
    outsider = EmployeeFactory()
    PerformanceAgreement.objects.filter(position__code="kabid-koperasi").update(superior=outsider)

    data = planning_export(scope=None, agency=agency, year=2025)

    assert outsider.nip in {e["nip"] for e in data["employees"]}


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (Decimal("80.0000"), 80),
        (Decimal("85.5000"), 85.5),
        (Decimal("1250000000.00"), 1250000000),
        (Decimal("0.0001"), 0.0001),
        (Decimal("1234567890123.4567"), "1234567890123.4567"),
        (None, None),
    ],
)
def test_numbers_are_written_exactly(number, expected):
    assert json_number(number) == expected
    if number is not None:
        assert Decimal(str(expected)) == number


@pytest.mark.parametrize("size", [3, 30])
def test_the_export_does_a_constant_number_of_queries(size, django_assert_max_num_queries):
    planning_import(actor=None, data=sized_document(size), dry_run=False)
    agency = Agency.objects.get(code="dinas-uji")

    with django_assert_max_num_queries(20):
        data = planning_export(scope=None, agency=agency, year=2025)

    assert len(data["agreements"][0]["lines"]) == size
