"""Fixtures for the planning import/export tests: the documented example and row counts."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja.core.models import ChangeRecord
from kinerja.measurement.models import Realization, RealizationRevision
from kinerja.organizations.models import (
    Agency,
    Assignment,
    Employee,
    Government,
    OrgUnit,
    Position,
    Team,
    TeamMember,
)
from kinerja.planning.models import (
    AgreementLine,
    AgreementProgram,
    AnnualTarget,
    Goal,
    IndividualIndicator,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "planning-example.json"
COUNTED = (
    Government, Agency, OrgUnit, Position, Employee, Assignment, Team, TeamMember, StrategicPlan,
    Goal, Objective, Indicator, AnnualTarget, PerformanceAgreement, AgreementLine,
    QuarterlyTarget, AgreementProgram, IndividualIndicator, Realization, RealizationRevision,
    ChangeRecord,
)


def load_example() -> dict:
    with EXAMPLE.open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


def row_counts() -> dict[str, int]:
    """How many rows every table the import touches holds."""
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def example() -> dict:
    """A fresh copy of docs/examples/planning-example.json (numbers as Decimal)."""
    return load_example()
