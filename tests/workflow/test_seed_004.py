"""The seven SOPs of seed 004 (Dinas Koperasi dan UKM Provinsi Sulawesi Tengah), as transcribed.

The expectations below are read off the seed (004_2e3684b3e347c22d.txt), not
off the YAML: step count, who acts in each step, where each decision's "Ya"
and "Tidak" lead, and the durations. A transcription slip shows up here.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja.sops import SOPS_DIR

AGENCY = "dinkop-ukm-sulteng"
DEMO_DATA = SOPS_DIR.parent / "demo" / "data" / "01-dinkop-ukm-sulteng.json"

# One letter per step for the actor; the keys are those of the YAML actors.
ACTOR_LETTERS = {
    "K": "kepala_dinas",
    "S": "sekretaris",
    "P": "kasubbag_program",
    "F": "fungsional_umum",
    "U": "bidang_upt",
    "T": "tim_lkjip",
    "X": "pd_terkait",
}
# The flowchart columns, left to right: the LKjIP SOP has the Tim Penyusun LKjIP
# where the others have Bidang/UPT Balai Pelatihan.
COLUMNS = [ACTOR_LETTERS[letter] for letter in "KSPFUX"]
LKJIP_COLUMNS = [ACTOR_LETTERS[letter] for letter in "KSPFTX"]

# code: (columns, actors per step, {decision: (yes, no)}, {step: minutes}, total minutes)
EXPECTED = {
    "pengumpulan-data-kinerja": (
        COLUMNS,
        "KSPFPSKSPFUFPSKSPFPSKSPX",
        {5: (6, 4), 6: (7, 5), 13: (14, 12), 14: (15, 13), 19: (20, 18), 20: (21, 19)},
        {1: 5, 4: 240, 10: 60, 11: 2400, 12: 960, 13: 60, 23: 480, 24: 480},
        5090,
    ),
    "penetapan-perjanjian-kinerja": (
        COLUMNS,
        "KSPFPSKSPFPSKSPFUFPSKSPFPSKSPX",
        {
            5: (6, 4),
            6: (7, 5),
            11: (12, 10),
            12: (13, 11),
            19: (20, 18),
            20: (21, 19),
            25: (26, 24),
            26: (27, 25),
        },
        {9: 480, 10: 240, 17: 2400, 18: 960, 19: 60, 29: 480, 30: 480},
        5840,
    ),
    "penyusunan-lkjip": (
        LKJIP_COLUMNS,
        "KSPFPSKSTFPSKSPFPSKSPX",
        # Fungsional Umum checks completeness and returns to the Tim; so do the
        # Kasubbag and the Sekretaris when they correct the draft LKjIP.
        {5: (6, 4), 6: (7, 5), 10: (11, 9), 11: (12, 9), 12: (13, 9), 17: (18, 16), 18: (19, 17)},
        {8: 5, 9: 9600, 10: 480, 11: 480, 12: 480, 16: 240, 21: 480},
        12580,
    ),
    "penyusunan-iki": (
        COLUMNS,
        "KSPFPSKSPFUFPSKSPFPSKSPX",
        {5: (6, 4), 6: (7, 5), 13: (14, 12), 14: (15, 13), 19: (20, 18), 20: (21, 19)},
        {3: 10, 11: 2400, 12: 960, 19: 10, 24: 480},
        5090,
    ),
    "penyusunan-rencana-aksi": (
        COLUMNS,
        "KSPFPSKSPFUFPSKSPFPSKSPX",
        {5: (6, 4), 6: (7, 5), 13: (14, 12), 14: (15, 13), 19: (20, 18), 20: (21, 19)},
        {7: 5, 11: 2400, 12: 960, 18: 240, 23: 480},
        5090,
    ),
    "pengukuran-kinerja": (
        COLUMNS,
        "KSPFPSKSPFUFPSKSPFPSKSPFPSKSPFPSKSPX",
        {
            5: (6, 4),
            6: (7, 5),
            13: (14, 12),
            14: (15, 13),
            19: (20, 18),
            20: (21, 19),
            25: (26, 24),
            26: (27, 25),
            31: (32, 30),
            32: (33, 31),
        },
        {11: 2400, 12: 960, 23: 480, 24: 960, 25: 60, 35: 480, 36: 480},
        6940,
    ),
    "penyusunan-laporan-kinerja-individu": (
        COLUMNS,
        "KSPFPSKSPFUFPSKSPFPSKSPX",
        {5: (6, 4), 6: (7, 5), 13: (14, 12), 14: (15, 13), 19: (20, 18), 20: (21, 19)},
        {2: 5, 11: 2400, 12: 960, 20: 10, 24: 480},
        5090,
    ),
}


def _path(code: str) -> Path:
    return SOPS_DIR / f"{AGENCY}--{code}.yaml"


def _definition(code: str):
    from kinerja.workflow.definitions import parse_sop

    return parse_sop(_path(code).read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", EXPECTED)
def test_file_validates(code):
    from kinerja.workflow.definitions import validate_sop

    problems = validate_sop(_path(code).read_text(encoding="utf-8"))

    assert [str(problem) for problem in problems] == []


@pytest.mark.parametrize("code", EXPECTED)
def test_columns_and_actor_of_every_step_are_the_seeds(code):
    columns, letters, _decisions, _durations, _total = EXPECTED[code]
    definition = _definition(code)

    assert definition.code == code
    assert definition.agency_code == AGENCY
    assert [actor.key for actor in definition.actors] == columns
    assert [step.number for step in definition.steps] == list(range(1, len(letters) + 1))
    assert [step.actor for step in definition.steps] == [ACTOR_LETTERS[c] for c in letters]


@pytest.mark.parametrize("code", EXPECTED)
def test_decisions_keep_the_seeds_ya_tidak_loops(code):
    _columns, _letters, decisions, _durations, _total = EXPECTED[code]
    definition = _definition(code)

    found = {
        step.number: (step.yes, step.no)
        for step in definition.steps
        if step.kind.value == "decision"
    }
    assert found == decisions
    kinds = [step.kind.value for step in definition.steps]
    assert kinds[0] == "start"
    assert kinds[-1] == "end"
    assert set(kinds[1:-1]) == {"task", "decision"}


@pytest.mark.parametrize("code", EXPECTED)
def test_durations_are_as_written(code):
    _columns, _letters, _decisions, durations, total = EXPECTED[code]
    definition = _definition(code)

    for number, minutes in durations.items():
        duration = definition.step(number).duration
        assert duration is not None
        assert (duration.value, duration.unit.value) == (Decimal(minutes), "menit")
    assert definition.total_working_minutes() == total


@pytest.mark.parametrize("code", EXPECTED)
def test_every_actor_is_inferred_with_a_reason(code):
    """The OCR of seed 004 kept no flowchart symbol, so no actor is printed."""
    definition = _definition(code)

    assert all(step.inferred and step.inferred_reason for step in definition.steps)


@pytest.mark.parametrize("code", EXPECTED)
def test_identity_sheet(code):
    identity = _definition(code).identity

    assert identity.number == ""
    assert identity.agency_name == (
        "Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Sulawesi Tengah"
    )
    assert identity.approved_by is not None
    assert identity.approved_by.nip == "197807071997121001"
    assert len(identity.legal_basis) == 4
    assert len(identity.qualifications) == 3
    assert identity.related_sops[0] == "SOP Surat Menyurat"
    assert identity.records == ("Disimpan sebagai data elektronik dan manual",)


def test_unit_and_team_columns():
    collection = _definition("pengumpulan-data-kinerja")
    lkjip = _definition("penyusunan-lkjip")

    unit = collection.actor("bidang_upt")
    assert (unit.label, unit.role_key, unit.each_unit) == (
        "Bidang/UPT Balai Pelatihan",
        "kepala_bidang",
        True,
    )
    assert collection.actor("pd_terkait").external
    assert lkjip.actor("tim_lkjip").team == "tim_lkjip"
    assert lkjip.step(9).duration.value == Decimal("9600")  # printed "9.600 Menit"


def test_demo_agency_has_a_position_or_team_for_every_column():
    demo = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    role_keys = {position["role_key"] for position in demo["positions"]}
    team_kinds = {team["kind"] for team in demo["teams"]}

    assert demo["agency"]["code"] == AGENCY
    for code in EXPECTED:
        for actor in _definition(code).actors:
            if actor.role_key is not None:
                assert actor.role_key in role_keys, (code, actor.key)
            if actor.team is not None:
                assert actor.team in team_kinds, (code, actor.key)
