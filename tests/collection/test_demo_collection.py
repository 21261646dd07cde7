"""The demo ships a data collection waiting for its units, run by seed 004's SOP."""

from kinerja.collection.demo import DEMO_AGENCY, DEMO_PERIOD, DEMO_YEAR, load_demo_collection
from kinerja.collection.models import Collection, Worksheet
from kinerja.workflow.models import Task


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
