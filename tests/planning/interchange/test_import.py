"""planning_import: the documented example, idempotence, updates and dry runs."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kinerja.core.models import ChangeRecord
from kinerja.measurement.models import Realization
from kinerja.organizations.models import Agency, Employee, Position, TeamMember
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.models import (
    AnnualTarget,
    Indicator,
    IndividualIndicator,
    PerformanceAgreement,
    QuarterlyTarget,
)
from tests.factories import AgencyFactory
from tests.planning.interchange.conftest import EXAMPLE, row_counts, sized_document

pytestmark = pytest.mark.django_db


def imported(data, actor=None):
    report = planning_import(actor=actor, data=data, dry_run=False)
    assert report.problems == []
    assert report.applied
    return report


def test_the_documented_example_imports(example):
    report = imported(example)

    assert report.created["units"] == 4
    assert report.created["indicators"] == 4
    assert report.created["quarterly_targets"] == 16
    assert report.created["realizations"] == 3
    assert report.updated == {}
    agency = Agency.objects.get(code="diskukm-sulteng")
    assert agency.government.code == "72"
    assert Position.objects.get(code="sekretaris").superior.code == "kadis"
    assert Employee.objects.filter(nip="197005121995031002").exists()  # spaces removed


def test_agreement_titles_and_parties_come_from_positions_and_assignments(example):
    imported(example)

    acting = PerformanceAgreement.objects.get(position__code="kabid-ukm")
    assert acting.holder_title == "Plt. Kepala Bidang Pemberdayaan Usaha Kecil dan Menengah"
    assert acting.superior.nip == "197005121995031002"  # the head of agency, derived
    assert acting.superior_title == "Kepala Dinas Koperasi, Usaha Kecil dan Menengah"
    head = PerformanceAgreement.objects.get(position__code="kadis")
    assert head.status == PerformanceAgreement.Status.SIGNED
    assert head.superior is None
    assert head.superior_title == "Gubernur Sulawesi Tengah"
    assert head.lines.get().objective.code == "S1"


def test_the_regional_head_and_the_signing_time_are_stored(example):
    example["agreements"][0]["superior_external_nip"] = "19650817 199003 1 004"

    imported(example)

    head = PerformanceAgreement.objects.get(position__code="kadis")
    assert head.superior is None
    assert head.superior_name == "Drs. H. Abdul Rahman Tahir, M.Si."
    assert head.superior_nip == "196508171990031004"
    assert head.signed_at == datetime.datetime(2025, 1, 2, 2, 0, tzinfo=datetime.UTC)
    assert PerformanceAgreement.objects.get(position__code="kabid-koperasi").signed_at is None


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2025-01-02T10:00", datetime.datetime(2025, 1, 2, 2, 0, tzinfo=datetime.UTC)),
        ("2025-01-02 10:00:30", datetime.datetime(2025, 1, 2, 2, 0, 30, tzinfo=datetime.UTC)),
        ("2025-01-02", datetime.datetime(2025, 1, 1, 16, 0, tzinfo=datetime.UTC)),
        ("2025-01-02T03:00:00Z", datetime.datetime(2025, 1, 2, 3, 0, tzinfo=datetime.UTC)),
    ],
)
def test_a_signing_time_without_offset_is_the_governments_local_time(example, text, utc):
    example["agreements"][0]["signed_at"] = text  # Sulawesi Tengah: WITA, UTC+8

    imported(example)

    assert PerformanceAgreement.objects.get(position__code="kadis").signed_at == utc


def test_a_pk_the_import_signs_gets_the_time_of_the_import(example):
    del example["agreements"][0]["signed_at"]
    moment = datetime.datetime(2025, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        imported(example)
    example["agreements"][1]["status"] = "signed"
    with time_machine.travel(moment + datetime.timedelta(days=1), tick=False):
        imported(example)

    head = PerformanceAgreement.objects.get(position__code="kadis")
    assert head.signed_at == moment.replace(microsecond=0)
    later = PerformanceAgreement.objects.get(position__code="kabid-koperasi")
    assert later.signed_at == moment.replace(microsecond=0) + datetime.timedelta(days=1)


def test_an_employee_as_second_party_replaces_an_external_one(example):
    draft = example["agreements"][2]  # kabid-ukm: the second party is derived
    draft |= {"superior_nip": None, "superior_name": "Ir. Yusuf Mallo", "superior_title": "Wakil"}
    imported(example)
    stored = PerformanceAgreement.objects.get(position__code="kabid-ukm")
    assert (stored.superior, stored.superior_name) == (None, "Ir. Yusuf Mallo")
    del draft["superior_name"], draft["superior_title"]
    draft["superior_nip"] = "197005121995031002"

    report = imported(example)

    assert report.updated == {"agreements": 1}
    stored.refresh_from_db()
    assert stored.superior is not None and stored.superior.nip == "197005121995031002"
    assert (stored.superior_name, stored.superior_nip) == ("", "")
    assert stored.superior_title == "Kepala Dinas Koperasi, Usaha Kecil dan Menengah"


def test_the_signing_time_of_a_signed_pk_cannot_change(example):
    imported(example)
    example["agreements"][0]["signed_at"] = "2025-01-03T10:00"

    report = planning_import(actor=None, data=example, dry_run=False)

    assert [p.path for p in report.problems] == ["agreements[0]"]
    head = PerformanceAgreement.objects.get(position__code="kadis")
    assert head.signed_at == datetime.datetime(2025, 1, 2, 2, 0, tzinfo=datetime.UTC)


def test_targets_rencana_aksi_iki_and_realisasi_are_stored(example):
    imported(example)

    range_target = AnnualTarget.objects.get(indicator__code="IK-1.3", year=2025)
    assert (range_target.value, range_target.low, range_target.high) == (None, 10, 15)
    quarters = QuarterlyTarget.objects.filter(line__indicator__code="IK-1.2").order_by("quarter")
    assert [q.value for q in quarters] == [Decimal("6.5"), 6, Decimal("5.5"), 5]
    iki = IndividualIndicator.objects.get(position__code="pengelola-data-koperasi")
    assert iki.parent_line.agreement.position.code == "kabid-koperasi"
    assert iki.parent_line.indicator.code == "IK-1.1"
    realization = Realization.objects.get(indicator__code="IKU-1", year=2024, quarter=4)
    assert realization.value == Decimal("72.4")
    assert realization.source == Realization.Source.IMPORT
    assert realization.revisions.count() == 1


def test_importing_the_same_file_again_changes_nothing(example):
    imported(example)
    before = row_counts()

    report = imported(example)

    assert report.created == {}
    assert report.updated == {}
    assert report.unchanged["indicators"] == 4
    assert report.unchanged["realizations"] == 3
    assert row_counts() == before


def test_a_dry_run_reports_real_counts_and_writes_nothing(example):
    before = row_counts()

    report = planning_import(actor=None, data=example, dry_run=True)

    assert report.problems == []
    assert not report.applied
    assert report.created["agreements"] == 3
    assert row_counts() == before


def test_a_changed_file_updates_the_matching_rows_and_records_the_change(example):
    imported(example)
    example["indicators"][1]["name"] = "Jumlah koperasi yang dinilai"
    example["annual_targets"][0]["value"] = "74.5"
    example["realizations"][1]["value"] = 71
    example["units"].append({"code": "upt-balai", "name": "UPT Balai Latihan", "kind": "upt"})

    report = imported(example)

    assert report.updated == {"indicators": 1, "annual_targets": 1, "realizations": 1}
    assert report.created == {"units": 1}
    indicator = Indicator.objects.get(code="IK-1.1")
    record = ChangeRecord.objects.get(model="indicator", object_id=str(indicator.pk))
    assert record.action == "import"
    assert record.changes == {
        "name": {
            "old": "Jumlah koperasi yang dinilai kesehatannya",
            "new": "Jumlah koperasi yang dinilai",
        }
    }
    assert AnnualTarget.objects.get(indicator__code="IKU-1", year=2024).value == Decimal("74.5")
    realization = Realization.objects.get(indicator__code="IKU-1", year=2025, quarter=1)
    assert (realization.value, realization.version) == (71, 2)


def test_absent_optional_fields_keep_stored_values_and_nothing_is_deleted(example):
    imported(example)
    del example["indicators"][0]["definition"]
    example["units"] = example["units"][:1]
    example["agreements"][1]["lines"] = []

    report = imported(example)

    assert report.updated == {}
    assert Indicator.objects.get(code="IKU-1").definition.startswith("Koperasi yang")
    assert Agency.objects.get().units.count() == 4
    assert PerformanceAgreement.objects.get(position__code="kabid-koperasi").lines.count() == 1


def test_a_signed_agreement_is_not_changed_by_an_import(example):
    imported(example)
    before = row_counts()
    example["agreements"][0]["lines"][0]["quarters"][0]["action"] = "Tindakan lain"

    report = planning_import(actor=None, data=example, dry_run=False)

    assert [p.path for p in report.problems] == ["agreements[0]"]
    assert not report.applied
    assert row_counts() == before


def test_a_revision_of_a_signed_agreement_comes_as_a_new_version(example):
    imported(example)
    revision = {
        **example["agreements"][0],
        "version": 2,
        "status": "draft",
        "signed_at": None,
        "effective_date": "2025-07-01",
        "revision_reason": "Refocusing anggaran",
        "programs": [],
    }
    revision["lines"] = [
        {
            **revision["lines"][0],
            "value": 80,
            "quarters": [
                {"quarter": q, "value": v} for q, v in ((1, 70), (2, 72), (3, 76), (4, 80))
            ],
        }
    ]
    example["agreements"].append(revision)

    report = imported(example)

    assert report.created == {"agreements": 1, "agreement_lines": 1, "quarterly_targets": 4}
    new = PerformanceAgreement.objects.get(position__code="kadis", version=2)
    assert new.supersedes.version == 1
    assert new.lines.get().value == 80


def test_a_draft_agreement_may_be_signed_by_an_import(example):
    imported(example)
    example["agreements"][1]["status"] = "signed"

    report = imported(example)

    assert report.updated == {"agreements": 1}
    agreement = PerformanceAgreement.objects.get(position__code="kabid-koperasi")
    assert agreement.status == PerformanceAgreement.Status.SIGNED


def test_a_file_may_bring_only_a_later_part_of_the_plan(example):
    """References resolve against what an earlier import stored."""
    imported(example)
    later = {
        "format": "kinerja-planning",
        "version": 1,
        "agency": {"code": "diskukm-sulteng"},
        "strategic_plan": example["strategic_plan"],
        "realizations": [{"indicator": "IK-1.1", "year": 2025, "quarter": 2, "value": 41}],
    }

    report = imported(later)

    assert report.created == {"realizations": 1}


def test_a_government_and_an_agency_are_matched_by_code(example):
    agency = AgencyFactory(code="diskukm-sulteng", government__code="72")
    example["government"]["name"] = agency.government.name  # the stored name

    report = imported(example)

    assert report.created.get("agency") is None
    assert report.updated["agency"] == 1  # name, kind, … from the file
    assert Agency.objects.count() == 1


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_re_importing_does_a_constant_number_of_queries(size, django_assert_max_num_queries):
    data = sized_document(size)
    imported(data)

    # one query per kind of stored record, whatever the size of the file
    with django_assert_max_num_queries(25):
        report = planning_import(actor=None, data=data, dry_run=False)

    assert report.unchanged["indicators"] == size
    assert report.unchanged["quarterly_targets"] == 4 * size


def test_assignment_dates_and_acting_kinds_are_kept(example):
    imported(example)

    agreement = PerformanceAgreement.objects.get(position__code="kabid-ukm")
    assignment = agreement.holder.assignments.get(position__code="kabid-ukm")
    assert assignment.kind == "plt"
    assert assignment.end_date == datetime.date(2025, 6, 30)


def test_the_abbreviated_example_in_the_documentation_imports():
    text = (EXAMPLE.parent.parent / "import-format.md").read_text(encoding="utf-8")
    block = text.split("```json\n")[1].split("```")[0]

    report = planning_import(actor=None, data=json.loads(block), dry_run=True)

    assert report.problems == []
    assert report.created["quarterly_targets"] == 4


def test_an_indicator_whose_objective_changed_is_moved(example):
    imported(example)
    example["indicators"][2]["objective"] = "S1.1"

    report = imported(example)

    assert report.updated == {"indicators": 1, "agreement_lines": 1}  # the line follows
    assert Indicator.objects.get(code="IK-1.2").objective.code == "S1.1"
    assert Indicator.objects.filter(code="IK-1.2").count() == 1


def test_a_standing_in_holder_signs_as_plh(example):
    example["assignments"].append(
        {
            "nip": "198003102005011003",
            "position": "kabid-koperasi",
            "kind": "plh",
            "start_date": "2025-01-02",
            "end_date": "2025-01-10",
        }
    )
    example["agreements"][1]["holder_nip"] = "198003102005011003"
    del example["agreements"][1]["superior_nip"]

    imported(example)

    agreement = PerformanceAgreement.objects.get(position__code="kabid-koperasi")
    assert agreement.holder_title == "Plh. Kepala Bidang Kelembagaan dan Pengawasan Koperasi"
    assert agreement.superior.nip == "197005121995031002"


def test_team_members_and_iki_are_updated_in_place(example):
    imported(example)
    example["teams"][0]["members"][2]["role"] = "sekretaris"
    example["individual_indicators"][0]["value"] = 110

    report = imported(example)

    assert report.updated == {"team_members": 1, "individual_indicators": 1}
    iki = IndividualIndicator.objects.get(position__code="pengelola-data-koperasi")
    assert iki.value == 110
    assert iki.parent_line.agreement.version == 1


def _seat(nip: str) -> TeamMember:
    return TeamMember.objects.get(employee__nip=nip, archived_at__isnull=True)


def test_someone_back_in_a_team_they_left_gets_a_new_seat(example):
    imported(example)
    former = _seat("199205202022212003")
    former.archived_at = timezone.now()
    former.save()
    example["teams"][0]["members"][2]["role"] = "sekretaris"

    report = imported(example)

    assert report.created == {"team_members": 1}
    assert report.updated == {}
    seats = TeamMember.objects.filter(employee__nip="199205202022212003").order_by("pk")
    assert [(seat.role, seat.is_archived) for seat in seats] == [
        ("anggota", True),  # the former seat is history, untouched
        ("sekretaris", False),
    ]


def test_a_member_absent_from_the_file_keeps_their_seat(example):
    imported(example)
    del example["teams"][0]["members"][1]

    report = imported(example)

    assert report.unchanged["team_members"] == 2
    assert report.updated == {}
    assert not _seat("198003102005011003").is_archived


def test_a_pk_line_without_rencana_aksi_is_accepted(example):
    del example["agreements"][1]["lines"][0]["quarters"]

    report = imported(example)

    assert report.created["quarterly_targets"] == 12
