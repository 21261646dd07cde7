"""Importing a filled-in worksheet workbook of 2,000 rows (10×: 20,000) into one unit.

The data holder downloads the worksheet (`worksheet_workbook`), fills every row's
realisasi (and a third of the analyses) with openpyxl as a user would in Excel,
then uploads it: the dry run (`worksheet_import_preview`) and applying it
(`worksheet_import_apply`, which writes every row's first entry version).
"""

import io
from decimal import Decimal

import openpyxl

from bench.generate import Generator
from bench.measure import Figure, Run, measure, timed
from kinerja.collection import grid, workbook
from kinerja.collection.domain.workbook_checks import column_number
from kinerja.collection.models import Worksheet, WorksheetRow
from kinerja.collection.workbook import worksheet_workbook
from kinerja.collection.workbook_services import (
    worksheet_import_apply,
    worksheet_import_preview,
)
from kinerja.organizations.access import scope_for

NAME = "import"
BASE = {"rows": 2000}


def sizes(scale: float) -> dict[str, int]:
    return {"rows": max(1, round(BASE["rows"] * scale))}


def _filled(content: bytes, worksheet: Worksheet, gen: Generator) -> bytes:
    """The downloaded workbook with every row's realisasi typed in (and some analyses)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[workbook.SHEET]
    rows = WorksheetRow.objects.filter(worksheet=worksheet).order_by("sort_order", "pk")
    for offset, row in enumerate(rows):
        number = workbook.FIRST_ROW + offset
        target = row.target_value or row.target_high or Decimal(1)
        sheet.cell(row=number, column=column_number("value"), value=float(gen.near(target)))
        if offset % 3 == 0:
            sheet.cell(
                row=number,
                column=column_number("analysis"),
                value="Realisasi sesuai jadwal kegiatan triwulan.",
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(*, rows: int, seed: int = 2025, repeat: int = 3) -> Run:
    gen = Generator(seed=seed)
    setup: dict[str, float] = {}
    (government, _admin), _seconds = timed(lambda: gen.government(name="Kabupaten Impor"))
    world, setup["organisation and plans"] = timed(
        lambda: gen.agency(government=government, units=1, indicators=rows)
    )
    collection, setup["collection_create"] = timed(lambda: gen.collection(world))
    unit = world.units[0]
    holder = scope_for(world.holders[unit.pk].user)  # type: ignore[arg-type]
    sheet_id = Worksheet.objects.get(collection=collection, unit=unit).pk
    worksheet = grid.worksheet_for_page(scope=holder, worksheet_id=sheet_id)
    data = f"{rows:,} rows"

    content, seconds, queries = measure(
        lambda: worksheet_workbook(scope=holder, worksheet=worksheet),
        repeat=repeat,
    )
    figures = [Figure(NAME, "download (worksheet_workbook)", data, rows, seconds, queries)]
    filled, setup["filling the workbook (openpyxl)"] = timed(
        lambda: _filled(content, worksheet, gen)
    )
    preview, seconds, queries = measure(
        lambda: worksheet_import_preview(actor=holder, worksheet=worksheet, content=filled),
        repeat=repeat,
    )
    figures.append(Figure(NAME, "preview (dry run)", data, rows, seconds, queries))
    if not preview.can_apply or preview.rows_changed != rows:
        raise RuntimeError(f"the preview refuses the file: {preview.problems[:3]}")
    applied, seconds, queries = measure(
        lambda: worksheet_import_apply(
            actor=holder,
            worksheet=worksheet,
            content=filled,
            expected_revision=preview.revision,
        )
    )
    figures.append(Figure(NAME, "apply", data, rows, seconds, queries))
    if applied.rows_changed != rows:
        raise RuntimeError("the import did not change every row")
    return Run(figures=figures, setup=setup)
