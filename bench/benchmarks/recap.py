"""The recap of an agency with 200 indicators across 12 units (10×: 2,000 across 120).

Every worksheet approved, nearly every row filled, a fifth of them corrected once.
Measured: building the recap table (`recap_build`), its workbook (`recap_xlsx`,
from the table already built) and, on the same collection, the completeness page
(`collection_progress`), which grows with the agency's rows the same way.
"""

from bench.generate import Generator
from bench.measure import Figure, Run, measure, timed
from kinerja.collection.progress import collection_progress
from kinerja.collection.recap import recap_build
from kinerja.collection.recap_export import recap_xlsx
from kinerja.collection.selectors import collection_get

NAME = "recap"
BASE = {"units": 12, "indicators": 200}


def sizes(scale: float) -> dict[str, int]:
    return {
        "units": max(1, round(BASE["units"] * scale)),
        "indicators": max(1, round(BASE["indicators"] * scale)),
    }


def run(*, units: int, indicators: int, seed: int = 2025, repeat: int = 3) -> Run:
    gen = Generator(seed=seed)
    setup: dict[str, float] = {}
    (government, _admin), _seconds = timed(lambda: gen.government(name="Kabupaten Rekap"))
    world, setup["organisation and plans"] = timed(
        lambda: gen.agency(government=government, units=units, indicators=indicators)
    )
    created, setup["collection_create"] = timed(lambda: gen.collection(world))
    _entries, setup["entries"] = timed(lambda: gen.entries(world, filled=0.97, corrected=0.2))
    gen.progress(world, approved=1.0, submitted=0.0)
    scope = world.scope
    collection = collection_get(scope=scope, collection_id=created.pk)
    data = f"{indicators:,} indicators, {units} units"

    table, seconds, queries = measure(
        lambda: recap_build(scope=scope, collection=collection), repeat=repeat
    )
    figures = [Figure(NAME, "recap_build", data, indicators, seconds, queries)]
    if table.indicator_count != indicators:
        raise RuntimeError(f"the recap has {table.indicator_count} rows, not {indicators}")
    _xlsx, seconds, queries = measure(lambda: recap_xlsx(table), repeat=repeat)
    figures.append(Figure(NAME, "recap_xlsx", data, indicators, seconds, queries))
    _progress, seconds, queries = measure(
        lambda: collection_progress(scope=scope, collection=collection), repeat=repeat
    )
    figures.append(Figure(NAME, "collection_progress", data, indicators, seconds, queries))
    return Run(figures=figures, setup=setup)
