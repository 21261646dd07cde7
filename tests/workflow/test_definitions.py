"""SOP definition files: the schema, every rule with its path, the export, the shipped seeds."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import translation
from jsonschema import Draft202012Validator

from kinerja.demo.loader import DATA_DIR
from kinerja.organizations.models import RoleKey, Team
from kinerja.sops import definition_paths
from kinerja.workflow.definitions import (
    SopInvalid,
    SopProblem,
    parse_sop,
    sop_schema,
    sop_to_data,
    validate_sop,
    validate_sop_data,
)
from kinerja.workflow.domain.definition import Duration, DurationUnit, Signatory, StepKind

VALID: dict[str, Any] = {
    "format": "kinerja-sop",
    "format_version": 1,
    "code": "pengumpulan-data-kinerja",
    "agency": "dinas-contoh",
    "identity": {
        "number": "01/SOP/2025",
        "name": "Pengumpulan Data Kinerja",
        "agency_name": "Dinas Contoh",
        "made_on": "2025-01-06",
        "approved_by": {"title": "Kepala Dinas", "name": "A", "nip": "197704151996122001"},
    },
    "actors": [
        {"key": "kepala_dinas", "label": "Kepala Dinas", "role_key": "kepala_dinas"},
        {
            "key": "pemegang_data",
            "label": "Pemegang Data",
            "role_key": "pemegang_data",
            "each_unit": True,
        },
        {"key": "tim_sakip", "label": "Tim SAKIP", "team": "tim_sakip"},
        {"key": "bappeda", "label": "BAPPEDA", "external": True},
    ],
    "steps": [
        {
            "number": 1,
            "activity": "Memerintahkan",
            "actor": "kepala_dinas",
            "kind": "start",
            "duration": {"value": "15", "unit": "menit"},
        },
        {
            "number": 2,
            "activity": "Mengisi data",
            "actor": "pemegang_data",
            "kind": "task",
            "duration": {"value": "1.5", "unit": "jam"},
        },
        {
            "number": 3,
            "activity": "Memeriksa",
            "actor": "tim_sakip",
            "kind": "decision",
            "yes": 4,
            "no": 2,
            "duration": {"value": "2", "unit": "hari"},
        },
        {"number": 4, "activity": "Menandatangani", "actor": "kepala_dinas", "kind": "end"},
    ],
}


def _yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _paths(problems):
    return [problem.path for problem in problems]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(sop_schema())


def test_role_keys_and_team_kinds_are_the_models_choices():
    actor = sop_schema()["$defs"]["actor"]["properties"]
    assert actor["role_key"]["enum"] == RoleKey.values
    assert set(actor["team"]["enum"]) <= set(Team.Kind.values)


def test_a_valid_document_has_no_problem_and_parses():
    assert validate_sop(_yaml(VALID)) == []

    definition = parse_sop(_yaml(VALID))

    assert definition.code == "pengumpulan-data-kinerja"
    assert definition.agency_code == "dinas-contoh"
    assert definition.version == 1
    assert definition.identity.approved_by is not None
    assert definition.identity.approved_by.nip == "197704151996122001"
    assert definition.actor("pemegang_data").each_unit
    assert definition.actor("tim_sakip").team == "tim_sakip"
    assert definition.actor("bappeda").external
    decision = definition.step(3)
    assert (decision.kind, decision.yes, decision.no) == (StepKind.DECISION, 4, 2)
    assert definition.step(2).duration == Duration(Decimal("1.5"), DurationUnit.HOUR)
    assert definition.step(4).duration is None


def test_yes_and_no_keys_and_unquoted_dates_are_read_as_written():
    """YAML 1.1 would make `yes:`/`no:` booleans and 2025-01-06 a date; we read YAML 1.2."""
    text = _yaml(VALID).replace("'yes': 4", "yes: 4").replace("'no': 2", "no: 2")
    text = text.replace("'2025-01-06'", "2025-01-06")
    assert "  yes: 4\n  no: 2\n" in text
    assert "made_on: 2025-01-06\n" in text

    definition = parse_sop(text)

    assert (definition.step(3).yes, definition.step(3).no) == (4, 2)
    assert definition.identity.made_on == "2025-01-06"


def _set(path, value):
    def change(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return change


_DELETE = object()


def _step(index, **fields):
    def change(data):
        data["steps"][index] |= fields
        for name, value in fields.items():
            if value is _DELETE:
                del data["steps"][index][name]

    return change


def _steps(*steps):
    def change(data):
        data["steps"] = list(steps)

    return change


def _task(number, **extra):
    return {"number": number, "activity": f"Langkah {number}", "actor": "kepala_dinas"} | extra


RULES = [
    # structure (JSON Schema)
    ("format missing", _set(["format"], _DELETE), "format", "required"),
    ("format wrong", _set(["format"], "sop"), "format", '"kinerja-sop"'),
    ("format_version wrong", _set(["format_version"], 2), "format_version", "Must be 1"),
    ("unknown top-level field", _set(["bogus"], 1), "bogus", "Unknown field"),
    ("code not a slug", _set(["code"], "Data Kinerja"), "code", "hyphens"),
    ("agency missing", _set(["agency"], _DELETE), "agency", "required"),
    ("identity name missing", _set(["identity", "name"], _DELETE), "identity.name", "required"),
    ("date not ISO", _set(["identity", "made_on"], "06-01-2025"), "identity.made_on", "YYYY-MM-DD"),
    (
        "date impossible",
        _set(["identity", "effective_on"], "2025-02-30"),
        "identity.effective_on",
        "not a date",
    ),
    (
        "nip with spaces",
        _set(["identity", "approved_by", "nip"], "19770415 199612 2 001"),
        "identity.approved_by.nip",
        "18 digits",
    ),
    (
        "nip unquoted",
        _set(["identity", "approved_by", "nip"], 197704151996122001),
        "identity.approved_by.nip",
        "quotes",
    ),
    (
        "legal basis not a list",
        _set(["identity", "legal_basis"], "Perpres 29/2014"),
        "identity.legal_basis",
        "list",
    ),
    ("no actors", _set(["actors"], []), "actors", "empty"),
    ("actor key bad", _set(["actors", 0, "key"], "Kepala Dinas"), "actors[0].key", "underscores"),
    (
        "unknown role key",
        _set(["actors", 0, "role_key"], "bupati"),
        "actors[0].role_key",
        "not allowed",
    ),
    ("unknown team", _set(["actors", 2, "team"], "tim_lain"), "actors[2].team", "not allowed"),
    ("no steps", _set(["steps"], []), "steps", "empty"),
    ("step number not a number", _step(0, number="1"), "steps[0].number", "whole number"),
    ("activity empty", _step(0, activity=""), "steps[0].activity", "empty"),
    ("unknown kind", _step(1, kind="proses"), "steps[1].kind", "not allowed"),
    ("unknown step field", _step(1, durasi="1 jam"), "steps[1].durasi", "Unknown field"),
    (
        "duration unit unknown",
        _step(1, duration={"value": "1", "unit": "minggu"}),
        "steps[1].duration.unit",
        "not allowed",
    ),
    (
        "duration with comma",
        _step(1, duration={"value": "1,5", "unit": "jam"}),
        "steps[1].duration.value",
        "dot for decimals",
    ),
    (
        "duration unquoted",
        _step(1, duration={"value": 1.5, "unit": "jam"}),
        "steps[1].duration.value",
        "quotes",
    ),
    (
        "duration unit missing",
        _step(1, duration={"value": "1"}),
        "steps[1].duration.unit",
        "required",
    ),
    # actors
    ("actor key twice", _set(["actors", 1, "key"], "kepala_dinas"), "actors[1].key", "twice"),
    (
        "actor with role and team",
        _set(["actors", 0, "team"], "tim_sakip"),
        "actors[0]",
        "exactly one",
    ),
    ("actor with nothing", _set(["actors", 0, "role_key"], _DELETE), "actors[0]", "exactly one"),
    (
        "each_unit without role",
        _set(["actors", 2, "each_unit"], True),
        "actors[2].each_unit",
        "role_key",
    ),
    # numbering and references
    ("numbers skip", _step(3, number=5), "steps[3].number", "must be 4"),
    ("number twice", _step(1, number=1), "steps[1].number", "must be 2"),
    ("unknown actor", _step(1, actor="kabid"), "steps[1].actor", "no actor"),
    # start and end
    ("first step not the start", _step(0, kind="task"), "steps[0].kind", "first step"),
    ("a second start", _step(1, kind="start"), "steps[1].kind", "Only the first"),
    ("no end", _step(3, kind="task", next=1), "steps", "at least one end"),
    # decisions and links
    ("decision without no", _step(2, no=_DELETE), "steps[2].no", "both yes"),
    ("decision without yes", _step(2, yes=_DELETE), "steps[2].yes", "both yes"),
    ("decision yes to a missing step", _step(2, yes=9), "steps[2].yes", "no step 9"),
    ("decision no to a missing step", _step(2, no=0), "steps[2].no", "at least 1"),
    ("decision no forwards", _step(2, yes=2, no=4), "steps[2].no", "earlier step"),
    ("decision no to itself", _step(2, no=3), "steps[2].no", "earlier step"),
    ("decision with next", _step(2, next=4), "steps[2].next", "yes and no"),
    ("task with yes", _step(1, yes=3), "steps[1].yes", "Only a decision"),
    ("task with no", _step(1, no=1), "steps[1].no", "Only a decision"),
    ("end with next", _step(3, next=1), "steps[3].next", "leads nowhere"),
    ("next to a missing step", _step(1, next=7), "steps[1].next", "no step 7"),
    (
        "last step is not an end",
        _steps(_task(1, kind="start"), _task(2, kind="end"), _task(3)),
        "steps[2].next",
        "No step follows step 3",
    ),
    # the flow
    (
        "step skipped",
        _steps(_task(1, kind="start", next=3), _task(2), _task(3, kind="end")),
        "steps[1]",
        "cannot be reached",
    ),
    (
        "loop without exit",
        _steps(_task(1, kind="start"), _task(2), _task(3, next=2), _task(4, kind="end")),
        "steps[1]",
        "no end step can be reached",
    ),
    (
        "decision loops back for ever",
        _steps(
            _task(1, kind="start"),
            _task(2),
            _task(3, kind="decision", yes=2, no=1),
            _task(4, kind="end"),
        ),
        "steps[0]",
        "no end step can be reached",
    ),
    # durations and inference
    (
        "zero duration",
        _step(1, duration={"value": "0", "unit": "jam"}),
        "steps[1].duration.value",
        "more than zero",
    ),
    ("inferred without reason", _step(1, inferred=True), "steps[1].inferred_reason", "why"),
    ("working minutes wrong", _step(1, working_minutes=60), "steps[1].working_minutes", "90"),
    (
        "working minutes without duration",
        _step(3, working_minutes=0),
        "steps[3].working_minutes",
        "null",
    ),
    ("total wrong", _set(["total_working_minutes"], 1), "total_working_minutes", "1065"),
]


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [rule[1:] for rule in RULES],
    ids=[rule[0] for rule in RULES],
)
def test_every_rule_is_reported_with_its_path(change, path, fragment):
    data = copy.deepcopy(VALID)
    change(data)

    with translation.override("en"):
        problems = validate_sop(_yaml(data))

    matching = [problem for problem in problems if problem.path == path]
    assert matching, problems
    assert any(fragment in problem.message for problem in matching), matching


def test_problems_come_in_document_order():
    data = copy.deepcopy(VALID)
    data["steps"][2]["no"] = 4
    data["steps"][1]["actor"] = "kabid"
    data["actors"][1]["key"] = "kepala_dinas"

    assert _paths(validate_sop(_yaml(data))) == [
        "actors[1].key",
        "steps[1].actor",
        "steps[2].no",
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("steps: [1, 2\n", "Not valid YAML (line 2)"),
        ("code: a\ncode: b\n", "The key “code” appears twice (line 2)"),
        ("- 1\n- 2\n", "object"),
        ("", "object"),
    ],
)
def test_a_file_that_is_not_a_document_is_one_problem_for_the_whole_file(text, fragment):
    with translation.override("en"):
        problems = validate_sop(text)

    assert len(problems) == 1
    assert problems[0].path == ""
    assert fragment in problems[0].message


def test_messages_follow_the_active_language():
    data = copy.deepcopy(VALID)
    del data["code"]

    with translation.override("id"):
        problems = validate_sop(_yaml(data))

    assert problems == [SopProblem("code", "Kolom ini wajib diisi.")]


def test_parse_refuses_an_invalid_document_with_every_problem():
    data = copy.deepcopy(VALID)
    data["steps"][1]["actor"] = "kabid"
    data["steps"][2]["no"] = 4

    with translation.override("en"), pytest.raises(SopInvalid) as refused:
        parse_sop(_yaml(data))

    assert _paths(refused.value.problems) == ["steps[1].actor", "steps[2].no"]
    assert set(refused.value.errors) == {"steps[1].actor", "steps[2].no"}


def test_parse_refuses_broken_yaml():
    with pytest.raises(SopInvalid) as refused:
        parse_sop("steps: [")

    assert refused.value.errors.keys() == {"__all__"}


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        ("15", "menit", 15),
        ("2400", "menit", 2400),
        ("1.5", "jam", 90),
        ("3", "jam", 180),
        ("1", "hari", 480),
        ("2", "hari", 960),
        ("0.5", "menit", 1),
    ],
)
def test_export_gives_each_step_its_working_minutes(value, unit, minutes):
    data = copy.deepcopy(VALID)
    data["steps"][1]["duration"] = {"value": value, "unit": unit}

    exported = sop_to_data(parse_sop(_yaml(data)))

    assert exported["steps"][1]["duration"] == {"value": value, "unit": unit}
    assert exported["steps"][1]["working_minutes"] == minutes
    assert exported["steps"][3]["working_minutes"] is None
    assert exported["total_working_minutes"] == 15 + minutes + 960


def test_export_is_json_and_reads_back_to_the_same_definition():
    definition = parse_sop(_yaml(VALID))

    exported = json.loads(json.dumps(sop_to_data(definition)))

    assert validate_sop_data(exported) == []
    assert parse_sop(_yaml(exported)) == definition
    assert exported["steps"][2] == {
        "number": 3,
        "activity": "Memeriksa",
        "actor": "tim_sakip",
        "kind": "decision",
        "inputs": [],
        "duration": {"value": "2", "unit": "hari"},
        "working_minutes": 960,
        "outputs": [],
        "note": "",
        "yes": 4,
        "no": 2,
    }


# --- the shipped definitions ----------------------------------------------------------------

SHIPPED = definition_paths()


def _demo(agency_code):
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["agency"]["code"] == agency_code:
            return data
    raise AssertionError(f"no demo data for {agency_code}")


def test_the_three_pengumpulan_data_seeds_are_shipped():
    names = {path.name for path in SHIPPED}
    assert {
        "dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml",
        "diskopukmperindag-balangan--pengumpulan-data-kinerja.yaml",
        "disperinaker-limapuluhkota--pengumpulan-data-kinerja.yaml",
    } <= names


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_each_shipped_file_is_valid_and_named_after_its_agency_and_code(path: Path):
    text = path.read_text(encoding="utf-8")

    with translation.override("en"):
        assert validate_sop(text) == []
    definition = parse_sop(text)

    assert path.name == f"{definition.agency_code}--{definition.code}.yaml"
    assert all(step.inferred_reason for step in definition.steps if step.inferred)


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_each_shipped_actor_exists_in_the_agency_demo_data(path: Path):
    definition = parse_sop(path.read_text(encoding="utf-8"))
    demo = _demo(definition.agency_code)
    unit_kinds = {unit["code"]: unit["kind"] for unit in demo["units"]}
    roles = {position["role_key"] for position in demo["positions"]}
    unit_roles = {
        position["role_key"]
        for position in demo["positions"]
        if unit_kinds.get(position.get("unit")) in ("bidang", "upt")
    }
    teams = {team["kind"] for team in demo.get("teams") or ()}

    for actor in definition.actors:
        if actor.each_unit:
            assert actor.role_key in unit_roles, actor
        elif actor.role_key is not None:
            assert actor.role_key in roles, actor
        elif actor.team is not None:
            assert actor.team in teams, actor


# (actor key, duration value, unit) of every step, as the seeds write them.
SEEDS = {
    "dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml": (
        ["Kepala Dinas", "Sekretaris", "Tim SAKIP", "Pemegang Data"],
        [
            ("kepala_dinas", "15", "menit"),
            ("sekretaris", "1", "hari"),
            ("tim_sakip", "1", "hari"),
            ("pemegang_data", "2", "hari"),
            ("tim_sakip", "1", "hari"),
            ("sekretaris", "1", "hari"),
            ("kepala_dinas", "1", "hari"),
        ],
        3375,
    ),
    "diskopukmperindag-balangan--pengumpulan-data-kinerja.yaml": (
        [
            "Sekretaris",
            "Kepala Bidang",
            "Kasubbag Perencanaan dan Pelaporan",
            "Pejabat Fungsional",
            "Pengelola Program dan Pelaporan",
        ],
        [
            ("sekretaris", "15", "menit"),
            ("kepala_bidang", "30", "menit"),
            ("pengelola_program", "2", "menit"),
            ("pejabat_fungsional", "30", "menit"),
            ("kasubbag_perencanaan", "30", "menit"),
            ("kasubbag_perencanaan", "2", "hari"),
            ("pejabat_fungsional", "120", "hari"),
            ("kepala_bidang", "60", "menit"),
            ("kasubbag_perencanaan", "15", "menit"),
        ],
        15 + 30 + 2 + 30 + 30 + 2 * 480 + 120 * 480 + 60 + 15,
    ),
    "disperinaker-limapuluhkota--pengumpulan-data-kinerja.yaml": (
        ["Kepala Dinas", "Sekretaris", "Kabid", "Sub Koordinator Program dan Pelaporan", "Staf"],
        [
            ("kepala_dinas", "30", "menit"),
            ("sub_koordinator", "3", "jam"),
            ("sekretaris", "1.5", "jam"),
            ("kabid", "1.5", "jam"),
            ("staf", "2", "hari"),
            ("sub_koordinator", "3", "hari"),
            ("sub_koordinator", "3", "hari"),
        ],
        30 + 180 + 90 + 90 + 2 * 480 + 3 * 480 + 3 * 480,
    ),
}


def _shipped(name):
    return parse_sop((SHIPPED[0].parent / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SEEDS)
def test_the_seed_steps_actors_and_durations_are_transcribed_as_written(name):
    labels, steps, total = SEEDS[name]
    definition = _shipped(name)

    assert [actor.label for actor in definition.actors] == labels
    assert [step.number for step in definition.steps] == list(range(1, len(steps) + 1))
    assert [
        (step.actor, format(step.duration.value, "f"), step.duration.unit.value)
        for step in definition.steps
    ] == steps
    assert definition.steps[0].kind is StepKind.START
    assert definition.steps[-1].kind is StepKind.END
    assert definition.total_working_minutes() == total


def test_dpmptsp_keeps_the_two_symbols_the_ocr_kept_and_infers_the_rest():
    definition = _shipped("dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml")

    assert [step.inferred for step in definition.steps] == [False] + [True] * 5 + [False]
    assert definition.step(1).activity == "Memerintahkan untuk melakukan pengumpulan data"
    assert definition.actor("pemegang_data").each_unit
    assert definition.actor("tim_sakip").team == "tim_sakip"
    assert definition.identity.approved_by == Signatory(
        "Kepala Dinas", "SOEFIE M. SARAGIH, S.STP. M.Si", "197704151996122001", "Pembina Utama Muda"
    )
    assert definition.identity.made_on == "2025-01-06"


def test_balangan_reads_ya_tidak_as_the_kepala_bidang_returning_the_semester_report():
    definition = _shipped("diskopukmperindag-balangan--pengumpulan-data-kinerja.yaml")

    decisions = [step for step in definition.steps if step.kind is StepKind.DECISION]
    assert [(step.number, step.yes, step.no) for step in decisions] == [(8, 9, 7)]
    assert definition.actor("kepala_bidang").each_unit
    assert [step.inferred for step in definition.steps] == [False] + [True] * 8
    assert "2 Menit" in definition.step(3).note
    assert "120 Hari" in definition.step(7).note


def test_lima_puluh_kota_has_each_bidang_fill_in_the_format_in_parallel():
    definition = _shipped("disperinaker-limapuluhkota--pengumpulan-data-kinerja.yaml")

    each_unit = [step.number for step in definition.steps if definition.actor(step.actor).each_unit]
    assert each_unit == [4]
    assert definition.step(4).activity == "Mengisi format data kinerja di masing-masing bidang"
    assert all(step.inferred for step in definition.steps)
    assert definition.actor("sub_koordinator").role_key == "kasubbag_program"


def test_the_example_of_the_format_documentation_is_valid():
    doc = Path(__file__).resolve().parents[2] / "docs" / "sop-format.md"
    example = doc.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]

    definition = parse_sop(example)

    assert (definition.step(3).yes, definition.step(3).no) == (4, 2)
    assert sop_to_data(definition)["total_working_minutes"] == 15 + 960 + 90 + 480
