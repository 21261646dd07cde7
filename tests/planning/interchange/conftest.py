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
    Indicator,
    IndividualIndicator,
    Objective,
    PerformanceAgreement,
    QuarterlyTarget,
    StrategicPlan,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "planning-example.json"
COUNTED = (
    Government,
    Agency,
    OrgUnit,
    Position,
    Employee,
    Assignment,
    Team,
    TeamMember,
    StrategicPlan,
    Goal,
    Objective,
    Indicator,
    AnnualTarget,
    PerformanceAgreement,
    AgreementLine,
    QuarterlyTarget,
    AgreementProgram,
    IndividualIndicator,
    Realization,
    RealizationRevision,
    ChangeRecord,
)


def load_example() -> dict:
    with EXAMPLE.open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


def row_counts() -> dict[str, int]:
    """How many rows every table the import touches holds."""
    return {model.__name__: model.objects.count() for model in COUNTED}


def sized_document(size: int) -> dict:
    """A valid document with `size` indicators, each with a target, a PK line and realisasi."""
    indicators = [
        {
            "code": f"IK{n}",
            "objective": "S1",
            "name": f"Indikator {n}",
            "unit_of_measure": "%",
            "polarity": "higher",
            "aggregation": "last",
        }
        for n in range(size)
    ]
    quarters = [{"quarter": q, "value": 20 * q} for q in (1, 2, 3, 4)]
    return {
        "format": "kinerja-planning",
        "version": 1,
        "government": {
            "code": "99",
            "name": "Kota Uji",
            "level": "kota",
            "time_zone": "Asia/Jakarta",
        },
        "agency": {"code": "dinas-uji", "name": "Dinas Uji", "short_name": "DU", "kind": "dinas"},
        "positions": [{"code": "kadis", "title": "Kepala Dinas Uji", "role_key": "kepala_dinas"}],
        "employees": [{"nip": "197005121995031002", "name": "Kepala"}],
        "assignments": [
            {
                "nip": "197005121995031002",
                "position": "kadis",
                "kind": "definitif",
                "start_date": "2020-01-01",
            }
        ],
        "strategic_plan": {"title": "Renstra", "start_year": 2021, "end_year": 2026},
        "objectives": [{"code": "S1", "statement": "Sasaran", "level": "strategis"}],
        "indicators": indicators,
        "annual_targets": [{"indicator": i["code"], "year": 2025, "value": 80} for i in indicators],
        "agreements": [
            {
                "position": "kadis",
                "year": 2025,
                "effective_date": "2025-01-02",
                "holder_nip": "197005121995031002",
                "lines": [
                    {"indicator": i["code"], "value": 80, "quarters": quarters} for i in indicators
                ],
            }
        ],
        "realizations": [
            {"indicator": i["code"], "year": 2025, "quarter": 1, "value": 20} for i in indicators
        ],
    }


@pytest.fixture
def example() -> dict:
    """A fresh copy of docs/examples/planning-example.json (numbers as Decimal)."""
    return load_example()
