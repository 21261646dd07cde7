"""Which step of a Pengumpulan Data Kinerja SOP is the units', and which Bidang/UPT a unit
reports through."""

import pytest

from kinerja.collection.domain.units import units_step, work_unit_of
from kinerja.sops import definition_paths
from kinerja.workflow.definitions import parse_sop
from kinerja.workflow.domain.definition import StepKind

SEEDS = {path.name: path for path in definition_paths() if "pengumpulan-data" in path.name}


@pytest.mark.parametrize(
    ("seed", "number"),
    [
        ("dinkop-ukm-sulteng--pengumpulan-data-kinerja.yaml", 11),
        # seed 002 also has a later each-unit *decision* (step 8): not the units' report
        ("diskopukmperindag-balangan--pengumpulan-data-kinerja.yaml", 2),
        ("disperinaker-limapuluhkota--pengumpulan-data-kinerja.yaml", 4),
        ("dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml", 4),
    ],
)
def test_the_units_step_of_each_seed(seed, number):
    definition = parse_sop(SEEDS[seed].read_text(encoding="utf-8"))

    step = units_step(definition)

    assert step is not None
    assert step.number == number
    assert step.kind is StepKind.TASK
    assert definition.actor(step.actor).each_unit


PARENTS = {1: None, 2: 1, 3: 2, 4: None, 5: 5}


@pytest.mark.parametrize(
    ("unit", "work_units", "expected"),
    [
        (3, {2}, 2),  # a Seksi reports through its Bidang
        (2, {2}, 2),  # the Bidang itself
        (3, {1, 2}, 2),  # the nearest ancestor wins
        (4, {2}, None),  # outside every Bidang/UPT (the Sekretariat)
        (5, {2}, None),  # a cycle ends the climb
        (9, {2}, None),  # unknown unit
    ],
)
def test_work_unit_of(unit, work_units, expected):
    assert work_unit_of(unit, parents=PARENTS, work_units=work_units) == expected
