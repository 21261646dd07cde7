"""Every kind of bad input is reported with its path, and nothing is written."""

import pytest
from django.utils import translation

from kinerja.planning.interchange.importer import planning_import
from tests.factories import AgencyFactory
from tests.planning.interchange.conftest import row_counts

pytestmark = pytest.mark.django_db


def _set(path, value):
    def change(data):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value

    return change


DELETE = object()

CASES = {
    # structure (JSON Schema)
    "wrong format": (_set(["format"], "other"), "format"),
    "missing agency": (_set(["agency"], DELETE), "agency"),
    "missing required field": (
        _set(["indicators", 0, "polarity"], DELETE),
        "indicators[0].polarity",
    ),
    "unknown enumeration value": (
        _set(["indicators", 1, "polarity"], "naik"),
        "indicators[1].polarity",
    ),
    "unknown field": (_set(["units", 0, "colour"], "blue"), "units[0].colour"),
    "number with a decimal comma": (
        _set(["annual_targets", 0, "value"], "85,5"),
        "annual_targets[0].value",
    ),
    "text where a year belongs": (_set(["teams", 0, "year"], "2025"), "teams[0].year"),
    "date in the wrong notation": (
        _set(["assignments", 0, "start_date"], "01-03-2022"),
        "assignments[0].start_date",
    ),
    "code with spaces": (_set(["units", 0, "code"], "sekre tariat"), "units[0].code"),
    # values
    "date that does not exist": (
        _set(["assignments", 0, "start_date"], "2022-02-30"),
        "assignments[0].start_date",
    ),
    "invalid NIP": (_set(["employees", 0, "nip"], "1970051219950310"), "employees[0].nip"),
    "too many decimals": (
        _set(["annual_targets", 0, "value"], "73.12345"),
        "annual_targets[0].value",
    ),
    "invalid e-mail": (_set(["employees", 4, "email"], "andi@"), "employees[4].email"),
    # references and duplicates
    "unknown unit": (_set(["positions", 1, "unit"], "bidang-x"), "positions[1].unit"),
    "unknown superior": (_set(["positions", 1, "superior"], "x"), "positions[1].superior"),
    "duplicate unit code": (_set(["units", 1, "code"], "sekretariat"), "units[1].code"),
    "unit under its own sub-unit": (
        _set(["units", 0, "parent"], "subbag-program"),
        "units[0].parent",
    ),
    "unknown NIP in an assignment": (
        _set(["assignments", 0, "nip"], "198501012010011001"),
        "assignments[0].nip",
    ),
    "assignment ending before it starts": (
        _set(["assignments", 2, "end_date"], "2024-01-01"),
        "assignments[2].end_date",
    ),
    "unknown goal": (_set(["objectives", 0, "goal"], "T9"), "objectives[0].goal"),
    "unknown objective": (_set(["indicators", 0, "objective"], "S9"), "indicators[0].objective"),
    "duplicate indicator code": (_set(["indicators", 1, "code"], "IKU-1"), "indicators[1].code"),
    "unknown indicator in a target": (
        _set(["annual_targets", 0, "indicator"], "IK-9"),
        "annual_targets[0].indicator",
    ),
    "year outside the Renstra": (_set(["realizations", 0, "year"], 2019), "realizations[0].year"),
    "duplicate team member": (
        _set(["teams", 0, "members", 1, "nip"], "197208151998032004"),
        "teams[0].members[1].nip",
    ),
    "plan needed": (_set(["strategic_plan"], DELETE), "strategic_plan"),
    "plan years reversed": (_set(["strategic_plan", "end_year"], 2020), "strategic_plan.end_year"),
    # targets
    "range given for a non-range indicator": (
        _set(["annual_targets", 1], {"indicator": "IKU-1", "year": 2025, "low": 1, "high": 2}),
        "annual_targets[1].low",
    ),
    "value given for a range indicator": (
        _set(["annual_targets", 4, "value"], 12),
        "annual_targets[4].value",
    ),
    "range upside down": (_set(["annual_targets", 4, "low"], 20), "annual_targets[4].low"),
    "negative target": (_set(["annual_targets", 1, "value"], -1), "annual_targets[1]"),
    "target missing": (_set(["annual_targets", 1, "value"], DELETE), "annual_targets[1].value"),
    # Rencana Aksi
    "cumulative quarters not adding up": (
        _set(["agreements", 1, "lines", 0, "quarters", 0, "value"], 25),
        "agreements[1].lines[0].quarters",
    ),
    "last quarter not the year's target": (
        _set(["agreements", 0, "lines", 0, "quarters", 3, "value"], 74),
        "agreements[0].lines[0].quarters[3].value",
    ),
    "quarter missing": (
        _set(["agreements", 0, "lines", 0, "quarters", 3], {"quarter": 4, "action": "Evaluasi"}),
        "agreements[0].lines[0].quarters[3].value",
    ),
    "quarter of the wrong shape": (
        _set(["agreements", 2, "lines", 1, "quarters", 0], {"quarter": 1, "value": 3}),
        "agreements[2].lines[1].quarters[0].value",
    ),
    "duplicate PK line": (
        _set(["agreements", 2, "lines", 1, "indicator"], "IK-1.2"),
        "agreements[2].lines[1].indicator",
    ),
    "PK revision without the previous version": (
        _set(["agreements", 1, "version"], 2),
        "agreements[1].version",
    ),
    "unknown PK holder": (
        _set(["agreements", 0, "holder_nip"], "198501012010011001"),
        "agreements[0].holder_nip",
    ),
    "external second party next to an employee": (
        _set(["agreements", 1, "superior_name"], "Drs. H. Abdul Rahman Tahir"),
        "agreements[1].superior_name",
    ),
    "external second party where the superior's holder is derived": (
        _set(["agreements", 2, "superior_external_nip"], "196508171990031004"),
        "agreements[2].superior_external_nip",
    ),
    "external NIP without a name": (
        _set(["agreements", 0, "superior_name"], None),
        "agreements[0].superior_name",
    ),
    "invalid external NIP": (
        _set(["agreements", 0, "superior_external_nip"], "19650817"),
        "agreements[0].superior_external_nip",
    ),
    "signing time of a draft": (
        _set(["agreements", 1, "signed_at"], "2025-01-02T10:00"),
        "agreements[1].signed_at",
    ),
    "signing time in the wrong notation": (
        _set(["agreements", 0, "signed_at"], "02-01-2025 10:00"),
        "agreements[0].signed_at",
    ),
    "signing time that does not exist": (
        _set(["agreements", 0, "signed_at"], "2025-02-30T10:00"),
        "agreements[0].signed_at",
    ),
    "negative budget": (
        _set(["agreements", 0, "programs", 0, "budget"], -5),
        "agreements[0].programs[0].budget",
    ),
    # IKI
    "IKI parent is not the direct superior": (
        _set(["individual_indicators", 0, "parent_position"], "kadis"),
        "individual_indicators[0].parent_position",
    ),
    "IKI parent line missing": (
        _set(["individual_indicators", 0, "parent_indicator"], "IKU-1"),
        "individual_indicators[0].parent_indicator",
    ),
    "IKI parent version missing": (
        _set(["individual_indicators", 0, "parent_version"], 3),
        "individual_indicators[0].parent_version",
    ),
    # realisasi
    "realisasi without a value": (
        _set(["realizations", 2], {"indicator": "IK-1.1", "year": 2025, "quarter": 2}),
        "realizations[2].value",
    ),
    "realisasi twice for a quarter": (
        _set(["realizations", 2, "indicator"], "IKU-1"),
        "realizations[2].quarter",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_at_its_path_and_changes_nothing(example, case):
    change, path = CASES[case]
    example["agreements"][0]["superior_external_nip"] = "196508171990031004"
    change(example)
    before = row_counts()

    report = planning_import(actor=None, data=example, dry_run=False)

    assert path in [problem.path for problem in report.problems], report.problems
    assert all(problem.message for problem in report.problems)
    assert not report.applied
    assert row_counts() == before


def test_every_problem_of_a_file_is_reported_at_once(example):
    example["units"][1]["parent"] = "x"
    example["indicators"][0]["objective"] = "S9"
    example["realizations"][0]["year"] = 2019

    report = planning_import(actor=None, data=example, dry_run=True)

    assert [p.path for p in report.problems] == [
        "units[1].parent",
        "indicators[0].objective",
        "realizations[0].year",
    ]


def test_messages_say_what_is_wrong(example):
    example["indicators"][1]["polarity"] = "naik"
    example["employees"][0]["nip"] = "1970"
    example["positions"][1]["unit"] = "bidang-x"

    with translation.override("en"):
        report = planning_import(actor=None, data=example, dry_run=True)

    assert [(p.path, p.message) for p in report.problems] == [
        ("indicators[1].polarity", "“naik” is not allowed; use one of: higher, lower, range."),
    ]
    example["indicators"][1]["polarity"] = "higher"

    with translation.override("en"):
        report = planning_import(actor=None, data=example, dry_run=True)

    messages = {p.path: p.message for p in report.problems}
    assert messages["employees[0].nip"] == "A NIP has exactly 18 digits."
    assert messages["positions[1].unit"] == "Unknown unit bidang-x."


def test_a_new_agency_needs_a_government(example):
    del example["government"]

    report = planning_import(actor=None, data=example, dry_run=True)

    assert "government" in [p.path for p in report.problems]


def test_an_agency_of_another_government_is_refused(example):
    AgencyFactory(code="diskukm-sulteng")

    report = planning_import(actor=None, data=example, dry_run=True)

    assert "agency.code" in [p.path for p in report.problems]


def test_an_unreadable_value_is_reported_once(example):
    example["annual_targets"][1]["value"] = "75.00001"

    report = planning_import(actor=None, data=example, dry_run=True)

    assert [p.path for p in report.problems] == ["annual_targets[1].value"]
