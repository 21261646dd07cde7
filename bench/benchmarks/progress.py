"""The completeness page of a government with 40 agencies (10×: 400).

Each agency has 6 units and 40 indicators; nine in ten have opened the TW II
collection, with about a third of their worksheets approved, a third submitted
(a quarter of those late) and the rest still being filled in. The first agency
runs its collection through its Pengumpulan Data Kinerja SOP. Measured: the
government's page (`government_progress`, as its administrator) and the first
agency's own page (`collection_progress`, as its coordinator), whose size does
not change with the number of agencies.
"""

from bench.generate import PERIOD, YEAR, AgencyWorld, Generator
from bench.measure import Figure, Run, measure, timed
from kinerja.collection.models import Worksheet, WorksheetRow
from kinerja.collection.progress import collection_progress, government_progress
from kinerja.collection.selectors import collection_get
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Government

NAME = "progress"
BASE = {"agencies": 40}
UNITS = 6
INDICATORS = 40


def sizes(scale: float) -> dict[str, int]:
    return {"agencies": max(1, round(BASE["agencies"] * scale))}


def _world(gen: Generator, government: Government, number: int) -> AgencyWorld:
    world = gen.agency(government=government, units=UNITS, indicators=INDICATORS, sop=number == 0)
    if number % 10 == 9:
        return world  # this agency has not started the period's collection
    gen.collection(world)
    gen.entries(world, filled=gen.rng.choice([0.5, 0.8, 1.0]), corrected=0.1)
    gen.progress(world, approved=0.35, submitted=0.3)
    return world


def run(*, agencies: int, seed: int = 2025, repeat: int = 3) -> Run:
    gen = Generator(seed=seed)
    setup: dict[str, float] = {}
    (government, admin), _seconds = timed(lambda: gen.government(name="Kabupaten Progres"))
    worlds, setup["agencies, plans, collections, entries"] = timed(
        lambda: [_world(gen, government, number) for number in range(agencies)]
    )
    worksheets = Worksheet.objects.filter(collection__agency__government=government).count()
    rows = WorksheetRow.objects.filter(worksheet__collection__agency__government=government).count()
    data = f"{agencies} agencies, {worksheets:,} worksheets, {rows:,} rows"
    overseer = scope_for(admin)

    lines, seconds, queries = measure(
        lambda: government_progress(
            scope=overseer, government=government, year=YEAR, period=PERIOD
        ),
        repeat=repeat,
    )
    figures = [Figure(NAME, "government_progress", data, agencies, seconds, queries)]
    if len(lines) != agencies:
        raise RuntimeError(f"the page lists {len(lines)} agencies, not {agencies}")
    first = worlds[0]
    assert first.collection is not None
    scope = first.scope
    collection = collection_get(scope=scope, collection_id=first.collection.pk)
    one = f"1 agency, {UNITS} units, {INDICATORS} rows"
    _progress, seconds, queries = measure(
        lambda: collection_progress(scope=scope, collection=collection), repeat=repeat
    )
    figures.append(Figure(NAME, "collection_progress", one, INDICATORS, seconds, queries))
    return Run(figures=figures, setup=setup)
