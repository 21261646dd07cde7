"""The JSON Schema: a valid schema, in step with the models' choices, and reworded errors."""

import pytest
from django.utils import translation
from jsonschema import Draft202012Validator

from kinerja.core.domain.paths import format_path
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Government,
    OrgUnit,
    RoleKey,
    Team,
    TeamMember,
)
from kinerja.planning.interchange.problems import ImportProblem, locate
from kinerja.planning.interchange.schema import planning_schema, schema_problems
from kinerja.planning.models import Aggregation, Objective, PerformanceAgreement, Polarity
from tests.planning.interchange.conftest import load_example


def _property(*path):
    node = planning_schema()
    for key in path:
        node = node["properties"][key] if key != "[]" else node["items"]
        node = planning_schema()["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
    return node


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(planning_schema())


@pytest.mark.parametrize(
    ("path", "choices"),
    [
        (("government", "level"), Government.Level.values),
        (("government", "time_zone"), Government.TimeZone.values),
        (("agency", "kind"), Agency.Kind.values),
        (("units", "[]", "kind"), OrgUnit.Kind.values),
        (("positions", "[]", "role_key"), RoleKey.values),
        (("assignments", "[]", "kind"), Assignment.Kind.values),
        (("teams", "[]", "kind"), Team.Kind.values),
        (("teams", "[]", "members", "[]", "role"), TeamMember.Role.values),
        (("objectives", "[]", "level"), Objective.Level.values),
        (("indicators", "[]", "polarity"), Polarity.values),
        (("indicators", "[]", "aggregation"), Aggregation.values),
        (("agreements", "[]", "status"), PerformanceAgreement.Status.values),
    ],
)
def test_enumerations_match_the_models(path, choices):
    assert _property(*path)["enum"] == choices


def test_the_example_fits_the_schema():
    assert schema_problems(load_example()) == []


def test_errors_are_reported_in_document_order_with_readable_messages():
    data = load_example()
    data["realizations"][0]["quarter"] = 5
    data["units"][2]["kind"] = "divisi"
    del data["indicators"][0]["name"]
    data["bogus"] = 1

    with translation.override("en"):
        problems = schema_problems(data)

    assert problems == [
        ImportProblem("units[2].kind", problems[0].message),
        ImportProblem("indicators[0].name", "This field is required."),
        ImportProblem("realizations[0].quarter", "Must be at most 4."),
        ImportProblem("bogus", "Unknown field; check its spelling."),
    ]


def test_a_document_that_is_not_an_object_is_one_problem():
    assert [p.path for p in schema_problems([1, 2])] == [""]


def test_paths_are_written_like_javascript():
    assert format_path(["agreements", 1, "lines", 0, "value"]) == "agreements[1].lines[0].value"


def test_problems_are_located_at_the_nearest_known_cell():
    cells = {"": "Identitas!A1", "units[0]": "Unit!A2", "units[0].kind": "Unit!C2"}

    located = locate(
        [
            ImportProblem("units[0].kind", "x"),
            ImportProblem("units[0].parent", "y"),
            ImportProblem("strategic_plan", "z"),
        ],
        cells,
    )

    assert [p.path for p in located] == ["Unit!C2", "Unit!A2", "Identitas!A1"]
