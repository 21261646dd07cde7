"""A unit's worksheet as an Excel workbook to fill in offline, and reading a filled one back.

The download has three sheets: "Kertas Kerja" (a title block, the header row, one
row per indicator of the unit with its current data; protected, only the input
cells unlocked, with data validation), "Petunjuk" (how to fill it in) and a very
hidden sheet holding the identification the upload is checked against
(`domain.workbook_checks.Metadata`), signed with the server's key so it cannot be
edited unnoticed. What the upload means is decided in `workbook_services`.
"""

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from django.core.signing import Signer
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet as Sheet

from kinerja.collection.access import can_enter_row
from kinerja.collection.domain.validation import CUMULATIVE
from kinerja.collection.domain.workbook_checks import (
    COLUMNS,
    INPUT_FIELDS,
    MAX_TEXT,
    NUMBER_FIELDS,
    RATIO_FIELDS,
    TEXT_FIELDS,
    Identity,
    Metadata,
    clean_text,
    column_number,
    metadata_from_rows,
    metadata_rows,
    number_cell_value,
)
from kinerja.collection.grid import can_view_worksheet, is_editable
from kinerja.collection.models import Worksheet, WorksheetRow
from kinerja.collection.selectors import RowView, worksheet_rows
from kinerja.core.domain.numbers import format_number
from kinerja.core.errors import NotFound, ValidationFailed
from kinerja.documents.uploads import max_upload_bytes
from kinerja.organizations.access import UserScope

SHEET = "Kertas Kerja"
INSTRUCTIONS_SHEET = "Petunjuk"
METADATA_SHEET = "_kinerja"
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1
#: an xlsx is a zip of XML; refuse one that unpacks to more than this many times the upload limit
MAX_EXPANSION = 10

_SIGNING_SALT = "kinerja.collection.workbook"
_WIDTHS = (14, 48, 12, 14, 14, 14, 14, 40, 40, 40, 26)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNUSED_FILL = PatternFill("solid", fgColor="EDEDED")
_UNLOCKED = Protection(locked=False)
#: the number cells' format: General, on purpose. Excel stores "85,5%" typed into a
#: General cell as 0.855 and gives the cell a percent format, by which the upload reads it
#: back as 85,5. A fixed format such as "0.00" does not stop Excel reading "%" as
#: hundredths, and where the cell kept that format a typed 85,5% could no longer be told
#: from a real 0,855; only the text format would stop it, at the cost of the number
#: validation and of numbers typed in another language's Excel.
_NUMBER_FORMAT = "General"
#: the 0-based columns of the number fields in a body row
_NUMBER_COLUMNS = frozenset(column_number(name) - 1 for name in NUMBER_FIELDS)
_WRAP = Alignment(wrap_text=True, vertical="top")


def headers() -> tuple[str, ...]:
    """The header row, one text per `COLUMNS` entry, in the active language."""
    return (
        _("Code"),
        _("Indicator"),
        _("Unit of measure"),
        _("Target"),
        _("Realisation"),
        _("Numerator"),
        _("Denominator"),
        _("Explanation"),
        _("Obstacles"),
        _("Follow-up (efforts/solutions)"),
        _("Data holder"),
    )


def cell_name(column: int, row: int) -> str:
    """A cell of the worksheet sheet as problems name it: "Kertas Kerja!E9"."""
    return f"{SHEET}!{get_column_letter(column)}{row}"


def identity_of(worksheet: Worksheet) -> Identity:
    collection = worksheet.collection
    return Identity(
        worksheet_id=worksheet.pk,
        agency=collection.agency.code,
        unit=worksheet.unit.code,
        year=collection.year,
        period=collection.period,
    )


def workbook_filename(worksheet: Worksheet) -> str:
    """kertas-kerja-<unit code>-<period>-<year>.xlsx"""
    collection = worksheet.collection
    return f"kertas-kerja-{worksheet.unit.code}-{collection.period}-{collection.year}.xlsx"


def sign(metadata: Metadata) -> str:
    return Signer(salt=_SIGNING_SALT).signature(metadata.payload())


def signature_valid(metadata: Metadata, signature: str) -> bool:
    return constant_time_compare(sign(metadata), signature)


# --- writing ---------------------------------------------------------------------------------


def _target_text(row: WorksheetRow) -> str:
    if row.target_value is not None:
        return format_number(row.target_value)
    if row.target_low is not None and row.target_high is not None:
        return f"{format_number(row.target_low)}–{format_number(row.target_high)}"
    return "–"


def _number_cell(value: Decimal | None) -> float | str | None:
    """A stored number as Excel keeps it: a float when that is exact, else Indonesian text."""
    if value is None:
        return None
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return format_number(value)


def _put_text(sheet: Sheet, row: int, column: int, text: str) -> None:
    """Text stays text: a value starting with "=" must not become a formula."""
    cell = sheet.cell(row=row, column=column, value=clean_text(text) or None)
    if cell.value is not None:
        cell.data_type = "s"


def _title_block(sheet: Sheet, worksheet: Worksheet) -> None:
    collection = worksheet.collection
    government = collection.agency.government
    deadline = timezone.localtime(worksheet.deadline, ZoneInfo(government.time_zone))
    sheet["A1"] = _("Performance data worksheet")
    sheet["A1"].font = Font(bold=True, size=14)
    facts = (
        (_("Agency"), collection.agency.name),
        (_("Unit"), worksheet.unit.name),
        (_("Period"), str(collection.get_period_display())),
        (_("Year"), collection.year),
        (_("Deadline"), formats.date_format(deadline, "j F Y H:i")),
    )
    for offset, (label, value) in enumerate(facts):
        sheet.cell(row=2 + offset, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=2 + offset, column=2, value=value).alignment = Alignment(horizontal="left")


def _header_row(sheet: Sheet, texts: tuple[str, ...]) -> None:
    for column, (text, width) in enumerate(zip(texts, _WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.cell(row=HEADER_ROW, column=column_number("value")).comment = Comment(
        _(
            "Cumulative indicators: enter this period's own amount, not the total since the "
            "start of the year. Kinerja adds the periods up."
        ),
        "Kinerja",
    )
    sheet.cell(row=HEADER_ROW, column=column_number("numerator")).comment = Comment(
        _("Only for indicators measured as a ratio; the grey cells stay empty."), "Kinerja"
    )
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=column_number("unit_of_measure"))


def _data_row(sheet: Sheet, number: int, view: RowView, *, unlocked: bool) -> None:
    row, entry, indicator = view.row, view.current, view.row.indicator
    _put_text(sheet, number, column_number("code"), indicator.code)
    _put_text(sheet, number, column_number("indicator"), indicator.name)
    _put_text(sheet, number, column_number("unit_of_measure"), indicator.unit_of_measure)
    _put_text(sheet, number, column_number("target"), _target_text(row))
    _put_text(
        sheet, number, column_number("data_holder"), row.data_holder.name if row.data_holder else ""
    )
    sheet.cell(row=number, column=column_number("indicator")).alignment = _WRAP
    for name in NUMBER_FIELDS:
        cell = sheet.cell(row=number, column=column_number(name))
        if name in RATIO_FIELDS and not indicator.has_ratio:
            cell.fill = _UNUSED_FILL
            continue
        cell.value = _number_cell(getattr(entry, name) if entry else None)
        cell.number_format = _NUMBER_FORMAT
    for name in TEXT_FIELDS:
        _put_text(sheet, number, column_number(name), getattr(entry, name) if entry else "")
        sheet.cell(row=number, column=column_number(name)).alignment = _WRAP
    if not unlocked:
        return
    for name in INPUT_FIELDS:
        if name in RATIO_FIELDS and not indicator.has_ratio:
            continue
        cell = sheet.cell(row=number, column=column_number(name))
        cell.protection = _UNLOCKED
        cell.fill = _INPUT_FILL
    if indicator.aggregation == CUMULATIVE:
        sheet.cell(row=number, column=column_number("value")).comment = Comment(
            _("Cumulative indicator: enter this period's own amount, not the year-to-date total."),
            "Kinerja",
        )


def _validations(sheet: Sheet, last_row: int) -> None:
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-9999999999999999",
        formula2="9999999999999999",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Not a number"),
        error=_("Enter a number, such as 85,5 or 1.234,5."),
    )
    texts = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Text too long"),
        error=_("Write at most %(limit)s characters.") % {"limit": format_number(MAX_TEXT)},
    )
    first, last = (
        get_column_letter(column_number("value")),
        get_column_letter(column_number("denominator")),
    )
    numbers.add(f"{first}{FIRST_ROW}:{last}{last_row}")
    first, last = (
        get_column_letter(column_number("analysis")),
        get_column_letter(column_number("follow_up")),
    )
    texts.add(f"{first}{FIRST_ROW}:{last}{last_row}")
    sheet.add_data_validation(numbers)
    sheet.add_data_validation(texts)


def _protect(sheet: Sheet) -> None:
    """Protected with no password (the upload checks the layout anyway); column widths and
    row heights may still be changed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def instructions(worksheet: Worksheet) -> list[str]:
    collection = worksheet.collection
    return [
        _("How to fill in this worksheet"),
        _(
            "This file is the worksheet of %(unit)s for %(period)s %(year)s. Fill it in and "
            "upload it on the worksheet's page in Kinerja (Upload the filled-in worksheet)."
        )
        % {
            "unit": worksheet.unit.name,
            "period": collection.get_period_display(),
            "year": collection.year,
        },
        _(
            "Type only in the yellow cells of the sheet Kertas Kerja: the realisation, the "
            "numerator and denominator (only for indicators measured as a ratio), the "
            "explanation, the obstacles and the follow-up (efforts/solutions). The other cells "
            "are locked."
        ),
        _(
            "Type numbers as numbers (85,5 or 1.234,5). A number typed as text the Indonesian "
            "way (“85,5”, “1.234,5”, “85,5 %”) is read as well; at most 4 decimal places."
        ),
        _(
            "Cumulative indicators: enter this period's own amount, not the total since the "
            "start of the year. Kinerja adds the periods up."
        ),
        _("An emptied cell empties the value in Kinerja; earlier values stay in the history."),
        _(
            "Do not add, delete, move or rename rows, columns or sheets, and keep the hidden "
            "identification: a file whose layout was changed is refused, and so is a file of "
            "another unit, period, year or agency."
        ),
        _(
            "Uploading saves nothing yet: Kinerja first lists what will change and every "
            "problem with its cell (for example Kertas Kerja!E9). Only when you confirm are the "
            "changes saved, all of them or none."
        ),
        _(
            "If a row was changed in Kinerja after you downloaded this file and the file changes "
            "it too, the row is reported as a problem: download the file again and enter your "
            "change there."
        ),
    ]


def _instructions_sheet(sheet: Sheet, worksheet: Worksheet) -> None:
    for line in instructions(worksheet):
        sheet.append([line])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def worksheet_workbook(*, scope: UserScope, worksheet: Worksheet) -> bytes:
    """The worksheet's rows (and only those) as an .xlsx with their current data.

    Only who may open the worksheet may download it (NotFound otherwise); the input
    cells are unlocked only for rows the user may enter while the worksheet is editable.
    """
    if not can_view_worksheet(scope, worksheet):
        raise NotFound("worksheet")
    views = worksheet_rows(scope=scope, worksheet=worksheet)
    editable = is_editable(worksheet)
    texts = headers()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Sheet)
    sheet.title = SHEET
    _title_block(sheet, worksheet)
    _header_row(sheet, texts)
    for offset, view in enumerate(views):
        view.row.worksheet = worksheet  # already loaded: no query per row
        unlocked = editable and can_enter_row(scope, view.row)
        _data_row(sheet, FIRST_ROW + offset, view, unlocked=unlocked)
    if views:
        _validations(sheet, FIRST_ROW + len(views) - 1)
    _protect(sheet)
    _instructions_sheet(workbook.create_sheet(INSTRUCTIONS_SHEET), worksheet)
    metadata = Metadata(
        identity=identity_of(worksheet),
        headers=texts,
        rows=tuple((view.row.pk, view.version) for view in views),
    )
    hidden = workbook.create_sheet(METADATA_SHEET)
    for line in metadata_rows(metadata, sign(metadata)):
        hidden.append(line)
    hidden.sheet_state = "veryHidden"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookFile:
    """What an uploaded workbook holds, cell values as read (no conversion yet, except
    that a number column's cell Excel shows as a percentage holds the number typed:
    Excel keeps "85,5%" as 0.855, this holds 85.5; see `number_cell_value`).

    `metadata` is None when the hidden sheet is missing or malformed; `has_sheet`
    says whether the sheet Kertas Kerja is there; `body` holds the rows below
    the header, each padded to the layout's columns.
    """

    metadata: Metadata | None
    signature: str
    has_metadata_sheet: bool
    has_sheet: bool
    header: tuple[object, ...]
    body: tuple[tuple[object, ...], ...]


def _not_a_workbook() -> ValidationFailed:
    return ValidationFailed({"file": [_("The file is not an Excel workbook (.xlsx).")]})


def _refuse_zip_bomb(content: bytes) -> None:
    limit = MAX_EXPANSION * max_upload_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _not_a_workbook() from None
    if unpacked > limit:
        raise ValidationFailed(
            {"file": [_("The workbook is too large to read; upload the worksheet's own file.")]}
        )


def _padded(row: tuple[object, ...]) -> tuple[object, ...]:
    width = len(COLUMNS)
    return tuple(row[:width]) + (None,) * (width - len(row[:width]))


def _line_values(cells: tuple[Any, ...]) -> tuple[object, ...]:
    """A body row's cell values; in the number columns a percentage as typed (85,5% → 85.5)."""
    return tuple(
        number_cell_value(cell.value, cell.number_format)
        if index in _NUMBER_COLUMNS
        else cell.value
        for index, cell in enumerate(cells)
    )


def read_workbook(content: bytes) -> WorkbookFile:
    """The sheets of an uploaded workbook; ValidationFailed when it cannot be read at all."""
    _refuse_zip_bomb(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a broken or foreign file
        raise _not_a_workbook() from None
    try:
        metadata, signature = None, ""
        has_metadata_sheet = METADATA_SHEET in workbook.sheetnames
        if has_metadata_sheet:
            rows = list(workbook[METADATA_SHEET].iter_rows(values_only=True))
            found = metadata_from_rows(rows)
            if found is not None:
                metadata, signature = found
        has_sheet = SHEET in workbook.sheetnames
        header: tuple[object, ...] = ()
        body: list[tuple[object, ...]] = []
        if has_sheet:
            lines = workbook[SHEET].iter_rows(min_row=HEADER_ROW)
            header = tuple(cell.value for cell in next(lines, ()))
            body = [_padded(_line_values(line)) for line in lines]
    except Exception:  # a damaged part surfaces only while reading
        raise _not_a_workbook() from None
    finally:
        workbook.close()
    while body and all(value is None for value in body[-1]):
        body.pop()
    return WorkbookFile(
        metadata=metadata,
        signature=signature,
        has_metadata_sheet=has_metadata_sheet,
        has_sheet=has_sheet,
        header=header,
        body=tuple(body),
    )
