"""The recap as files: an Excel workbook (openpyxl) and a PDF (WeasyPrint).

Both are official documents, so they are written in Indonesian whatever the
user's language (like the PK document and `documents.generators`). The PDF is
rendered from `collection/recap_pdf.html` on F4 (or A4) landscape, with the
numbers the Indonesian way and a signature block for the Kepala Dinas; it may
fetch nothing from outside. The workbook holds real numbers: its number
formats are the file format's locale-free codes ("#,##0.00"), which Excel shows
with the reader's separators ("1.234,50" on an Indonesian system), and the
generated date carries the Indonesian locale tag so its month name is Indonesian.
Every text typed by a user (names, analysis, obstacles, follow-up) goes through
`_text`: control characters pasted from Word would make openpyxl refuse the
whole file, and a text starting with "=" would become a formula.
"""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet as Sheet

from kinerja.collection.domain.workbook_checks import clean_text
from kinerja.collection.recap import RecapRow, RecapTable, Signatory
from kinerja.documents.generators import render_pdf
from kinerja.measurement.domain.achievement import NOT_COMPUTABLE_TEXT, TargetRange

#: paper key → CSS page size (landscape); F4 is the Indonesian government's folio
PAPER_SIZES = {"f4": "330mm 215mm", "a4": "A4 landscape"}
#: decimals a realisasi or target is stored with at most
_MAX_PLACES = 4
_ACHIEVEMENT_FORMAT = "#,##0.00"
_DATE_FORMAT = "[$-421]d mmmm yyyy"
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def recap_title(table: RecapTable) -> str:
    """ "Rekapitulasi Data Kinerja Triwulan II Tahun 2025" (in the active language)."""
    return _("Performance data recap %(period)s %(year)s") % {
        "period": table.period_label,
        "year": table.year,
    }


# --- workbook -------------------------------------------------------------------------------


def number_format(value: Decimal) -> str:
    """A number format showing exactly the decimals the value has (at most four)."""
    exponent = value.normalize().as_tuple().exponent
    places = min(-exponent, _MAX_PLACES) if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


def _text(sheet: Sheet, row: int, column: int, text: str) -> None:
    """Text stays text: no control characters (which openpyxl refuses), never a formula."""
    cell = sheet.cell(row=row, column=column, value=clean_text(text) or None)
    if cell.value is not None:
        cell.data_type = "s"


def _number(sheet: Sheet, row: int, column: int, value: Decimal | None) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if value is not None:
        cell.number_format = number_format(value)


def _headers() -> list[tuple[str, int]]:
    """(heading, column width) of the recap sheet, left to right."""
    return [
        (_("No."), 5),
        (_("Unit"), 24),
        (_("Code"), 10),
        (_("Performance indicator"), 40),
        (_("Unit of measure"), 12),
        (_("Target"), 12),
        (_("Target (low)"), 12),
        (_("Target (high)"), 12),
        (_("Realisation"), 12),
        (_("Numerator"), 12),
        (_("Denominator"), 12),
        (_("Achievement (%)"), 12),
        (_("Rating"), 14),
        (_("Analysis"), 40),
        (_("Obstacles"), 40),
        (_("Follow-up"), 40),
        (_("Data holder"), 24),
        (_("Worksheet status"), 14),
    ]


def _title_block(sheet: Sheet, table: RecapTable, width: int) -> int:
    """The title and the agency, period, year and date rows; returns the next free row."""
    sheet.cell(row=1, column=1, value=recap_title(table).upper()).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    facts = [
        (_("Agency"), table.agency.name, None),
        (_("Period"), table.period_label, None),
        (_("Year"), table.year, "0"),
        (_("Generated on"), table.generated_on, _DATE_FORMAT),
    ]
    for offset, (label, value, code) in enumerate(facts, start=2):
        sheet.cell(row=offset, column=1, value=label).font = _BOLD
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=3)
        if isinstance(value, str):
            _text(sheet, offset, 4, value)
        else:
            sheet.cell(row=offset, column=4, value=value)
        cell = sheet.cell(row=offset, column=4)
        cell.alignment = Alignment(horizontal="left")
        if code:
            cell.number_format = code
    return len(facts) + 3


def _achievement_cells(sheet: Sheet, row: int, column: int, item: RecapRow) -> None:
    if item.achievement.computable:
        cell = sheet.cell(row=row, column=column, value=item.achievement.rounded())
        cell.number_format = _ACHIEVEMENT_FORMAT
    else:
        _text(sheet, row, column, f"{NOT_COMPUTABLE_TEXT} ({item.reason})")
    _text(sheet, row, column + 1, item.rating or "")


def _recap_sheet(sheet: Sheet, table: RecapTable) -> None:
    sheet.title = _("Recap")[:31]
    headers = _headers()
    top = _title_block(sheet, table, len(headers))
    for column, (heading, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=top, column=column, value=heading)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEADER_FILL, _BOX, _WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    line = top
    for unit in table.units:
        for item in unit.rows:
            line += 1
            target = item.target
            single = None if isinstance(target, TargetRange) else target
            low, high = (
                (target.low, target.high) if isinstance(target, TargetRange) else (None, None)
            )
            sheet.cell(row=line, column=1, value=line - top)
            _text(sheet, line, 2, unit.unit.name)
            _text(sheet, line, 3, item.indicator.code)
            _text(sheet, line, 4, item.indicator.name)
            _text(sheet, line, 5, item.indicator.unit_of_measure)
            for column, value in enumerate(
                (single, low, high, item.value, item.numerator, item.denominator), start=6
            ):
                _number(sheet, line, column, value)
            _achievement_cells(sheet, line, 12, item)
            _text(sheet, line, 14, item.analysis)
            _text(sheet, line, 15, item.obstacles)
            _text(sheet, line, 16, item.follow_up)
            _text(sheet, line, 17, item.data_holder.name if item.data_holder else "")
            sheet.cell(row=line, column=18, value=unit.status_label)
            for column in range(1, len(headers) + 1):
                cell = sheet.cell(row=line, column=column)
                cell.border, cell.alignment = _BOX, _WRAP
    sheet.freeze_panes = sheet.cell(row=top + 1, column=5)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(line, top)}"


def _summary_sheet(sheet: Sheet, table: RecapTable) -> None:
    """Indicators per predikat for each unit and for the whole agency."""
    sheet.title = _("Summary")[:31]
    labels = [band.label for band in table.scale.bands]
    headers = [_("Unit"), *labels, _("Cannot be computed"), _("Indicators")]
    for column, heading in enumerate(headers, start=1):
        _text(sheet, 1, column, heading)  # the labels are the government's own
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BOX
        sheet.column_dimensions[get_column_letter(column)].width = 30 if column == 1 else 16
    lines = [
        (unit.unit.name, unit.rating_counts, unit.not_computable, len(unit.rows))
        for unit in table.units
    ]
    lines.append((_("Total"), table.rating_counts, table.not_computable, table.indicator_count))
    for offset, (name, counts, not_computable, total) in enumerate(lines, start=2):
        _text(sheet, offset, 1, name)
        sheet.cell(row=offset, column=1).border = _BOX
        numbers = [*(count.count for count in counts), not_computable, total]
        for column, value in enumerate(numbers, start=2):
            cell = sheet.cell(row=offset, column=column, value=value)
            cell.border, cell.number_format = _BOX, "#,##0"
        if offset == len(lines) + 1:
            for column in range(1, len(numbers) + 2):
                sheet.cell(row=offset, column=column).font = _BOLD


def recap_xlsx(table: RecapTable) -> bytes:
    """The recap as an .xlsx workbook: the recap sheet and a summary per predikat."""
    workbook = Workbook()
    with translation.override("id"):
        _recap_sheet(workbook.active, table)
        _summary_sheet(workbook.create_sheet(), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------


def recap_html(table: RecapTable, *, signatory: Signatory | None = None, paper: str = "f4") -> str:
    """The recap document as HTML, in Indonesian, for WeasyPrint."""
    government = table.agency.government
    with translation.override("id"):
        return render_to_string(
            "collection/recap_pdf.html",
            {
                "table": table,
                "title": recap_title(table),
                "agency": table.agency,
                "government": government,
                "place": government.capital,
                "signatory": signatory,
                "page_size": PAPER_SIZES[paper],
            },
        )


def recap_pdf(table: RecapTable, *, signatory: Signatory | None = None, paper: str = "f4") -> bytes:
    """The recap as PDF on F4 (or A4) landscape; an empty signature block without
    `signatory`, to be filled in by hand."""
    return render_pdf(recap_html(table, signatory=signatory, paper=paper))
