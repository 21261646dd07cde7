"""The review chain is read off each seed's Pengumpulan Data Kinerja SOP."""

import pytest

from kinerja.collection.chain import DEFAULT_CHAIN
from kinerja.collection.domain.chain import chain_from_sop
from kinerja.sops import definition_paths
from kinerja.workflow.definitions import parse_sop

SEEDS = {path.name: path for path in definition_paths() if "pengumpulan-data" in path.name}


@pytest.mark.parametrize(
    ("seed", "chain"),
    [
        # steps 13-15: Kasubbag checks, Sekretaris checks, Kepala Dinas signs
        ("dinkop-ukm-sulteng--pengumpulan-data-kinerja.yaml", DEFAULT_CHAIN),
        # the Kasubbag Perencanaan socialises and compiles; nobody above signs
        ("diskopukmperindag-balangan--pengumpulan-data-kinerja.yaml", ("kasubbag_program",)),
        # the Sub Koordinator analyses and compiles
        ("disperinaker-limapuluhkota--pengumpulan-data-kinerja.yaml", ("kasubbag_program",)),
        # the Tim SAKIP analyses (a team, not a role), the Sekretaris asks, the Kadis signs
        ("dpmptsp-pematangsiantar--pengumpulan-data-kinerja.yaml", ("sekretaris", "kepala_dinas")),
    ],
)
def test_each_seed_gives_its_chain(seed, chain):
    definition = parse_sop(SEEDS[seed].read_text(encoding="utf-8"))

    assert chain_from_sop(definition, reviewers=DEFAULT_CHAIN) == chain
