"""The demo ships a data collection waiting for its units, run by seed 004's SOP; every
demo agency can run one with its own seed SOP."""

from kinerja.collection.chain import approval_chain
from kinerja.collection.demo import DEMO_AGENCY, DEMO_PERIOD, DEMO_YEAR, load_demo_collection
from kinerja.collection.domain.units import units_step
from kinerja.collection.grid import COLLECTION_SOP_CODE
from kinerja.collection.models import Collection, Worksheet
from kinerja.collection.services import collection_create
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Agency, User
from kinerja.workflow.models import Task
from kinerja.workflow.selectors import sop_definition, sop_latest


def test_the_demo_collection_waits_at_the_units_step(demo):
    collection = Collection.objects.get(agency__code=DEMO_AGENCY)

    open_steps = set(
        Task.objects.filter(instance=collection.process, status=Task.Status.OPEN).values_list(
            "step_number", flat=True
        )
    )
    assert (collection.year, collection.period) == (DEMO_YEAR, DEMO_PERIOD)
    assert collection.status == Collection.Status.OPEN
    assert collection.process.sop.code == "pengumpulan-data-kinerja"
    assert open_steps == {11}  # seed 004: "Melakukan Pengukuran Data Kinerja", every Bidang/UPT
    assert Worksheet.objects.filter(collection=collection).count() >= 4
    holder_rows = Worksheet.objects.get(
        collection=collection, unit__code="bidang-kelembagaan"
    ).rows.filter(data_holder__assignments__position__code="pd-kelembagaan")
    assert holder_rows.exists()


def test_loading_it_again_adds_nothing(demo):
    before = (Collection.objects.count(), Task.objects.count())

    load_demo_collection()

    assert (Collection.objects.count(), Task.objects.count()) == before


def test_every_demo_agency_runs_a_collection_with_its_own_seed_sop(demo):
    admin = scope_for(User.objects.get(username="admin"))
    seeds = {
        "dinkop-ukm-sulteng": 11,  # seed 004
        "dpmptsp-pematangsiantar": 4,  # seed 001
        "diskopukmperindag-balangan": 2,  # seed 002
        "disperinaker-limapuluhkota": 4,  # seed 003
    }
    for code, step in seeds.items():
        agency = Agency.objects.get(code=code)
        sop = sop_latest(agency=agency, code=COLLECTION_SOP_CODE)

        collection = collection_create(actor=admin, agency=agency, year=2025, period="tw3", sop=sop)

        assert units_step(sop_definition(sop)).number == step, code
        assert collection.process is not None and collection.process.sop == sop, code
        assert collection.worksheets.exists(), code
        assert approval_chain(collection), code
