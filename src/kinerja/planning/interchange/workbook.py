"""The planning document as an Excel workbook, and back.

One sheet per list of the document, one row per item (the layout is in
`layout`). Reading converts each cell (numbers may be typed the Indonesian way,
"85,5") and remembers which cell every value came from, so the import's
problems can point at "Indikator!D7".
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.domain.numbers import NumberFormatError, parse_number
from kinerja.planning.interchange.exporter import FORMAT, VERSION, json_number
from kinerja.planning.interchange.layout import (
    IDENTITY,
    IDENTITY_HEADERS,
    IDENTITY_SHEET,
    INSTRUCTIONS_SHEET,
    NO,
    NONE,
    SHEETS,
    YES,
    Column,
    Sheet,
)
from kinerja.planning.interchange.problems import ImportProblem

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _instructions() -> list[str]:
    return [
        _("Kinerja planning workbook"),
        _(
            "This workbook loads one agency's organisation, Renstra, Perjanjian Kinerja (PK), "
            "Rencana Aksi, IKI and realisasi. Fill in the sheets; one row is one item."
        ),
        _("Identitas: the government, the agency and the Renstra. Only the Nilai column is read."),
        _(
            "Codes link the sheets: a position names its unit by the unit's code, an indicator its "
            "objective by the objective's code, a PK line its indicator by the indicator's code."
        ),
        _("People are named by their 18-digit NIP; write it as text (spaces are allowed)."),
        _(
            "Numbers may be typed the Indonesian way (85,5 or 1.234,5) or with a decimal point "
            "(85.5). Dates are written YYYY-MM-DD."
        ),
        _(
            "A target is either one number (Target) or, for a range indicator, a lower and an "
            "upper bound (Batas bawah, Batas atas)."
        ),
        _(
            "PK Indikator: one row per PK line with the year's target and, for the Rencana Aksi, "
            "the target and planned action of each quarter (TW I–IV). A cumulative indicator's "
            "quarters add up to the year's target; for the others TW IV equals it."
        ),
        _(
            "PK: the head of the agency's second party (Gubernur, Bupati, Wali Kota) is not an "
            "employee: write - in NIP pihak kedua, and fill in Jabatan pihak kedua and Nama pihak "
            "kedua (bukan pegawai); its NIP only if there is one."
        ),
        _(
            "Waktu penandatanganan (signed PK only) is written YYYY-MM-DD HH:MM in the "
            "government's local time; left empty, a PK the import signs gets the time of the "
            "import."
        ),
        _(
            "Leaving a cell empty keeps what is already stored; nothing is ever deleted by an "
            "import. A signed PK cannot be changed: bring a revision as a new version."
        ),
        _(
            "The import always checks the whole workbook first and reports every problem with its "
            "cell; it changes nothing unless the whole workbook is correct."
        ),
        _("Allowed values: columns with a fixed list of values offer it as a drop-down."),
    ]


# --- writing -----------------------------------------------------------------------------------


def _cell_value(column: Column, row: dict[str, Any], key: str) -> Any:
    if key not in row:
        return None
    value = row[key]
    if value is None:
        return NONE if column.kind == "nip" else None  # an explicit "no second party"
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "date":
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value
    if column.kind == "datetime":  # kept as text: exact, offset included
        return value.isoformat() if isinstance(value, datetime.datetime) else value
    if column.kind == "number":
        return json_number(value if isinstance(value, Decimal) else Decimal(str(value)))
    return value


def _rows(sheet: Sheet, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The sheet's rows as {column key: document value}."""
    if "." not in sheet.path:
        return list(data.get(sheet.path) or [])
    parent_list, child_list = sheet.path.split(".")
    rows = []
    for parent in data.get(parent_list) or []:
        key = {c.key: parent.get(c.key) for c in sheet.parent_columns}
        if "version" in key and key["version"] is None:
            key["version"] = 1
        for child in parent.get(child_list) or []:
            row = {**child}
            for quarter in row.pop("quarters", None) or []:
                for name in ("value", "low", "high", "action"):
                    if name in quarter:
                        row[f"q{quarter['quarter']}.{name}"] = quarter[name]
            rows.append({**{f"^{k}": v for k, v in key.items()}, **row})
    return rows


def _header(ws: Worksheet, headers: Iterable[str], widths: Iterable[int]) -> None:
    ws.append(list(headers))
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _choice_list(ws: Worksheet, choices: Iterable[str], cells: str) -> None:
    validation = DataValidation(
        type="list", formula1='"{}"'.format(",".join(choices)), allow_blank=True
    )
    validation.error = _("Choose a value from the list.")
    validation.showErrorMessage = True
    ws.add_data_validation(validation)
    validation.add(cells)


def workbook_from_data(data: dict[str, Any]) -> openpyxl.Workbook:
    """The document as a workbook; with `{}` (or only format/version) an empty template."""
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    for line in _instructions():
        instructions.append([line])
        instructions.cell(row=instructions.max_row, column=1).alignment = Alignment(wrap_text=True)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110
    _identity_sheet(workbook.create_sheet(IDENTITY_SHEET), data)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.title)
        columns = sheet.all_columns
        _header(ws, (c.header for c in columns), (c.width for c in columns))
        for row in _rows(sheet, data):
            values = [
                _cell_value(c, row, ("^" if c in sheet.parent_columns else "") + c.key)
                for c in columns
            ]
            ws.append(values)
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            cells = f"{letter}2:{letter}1048576"
            if column.choices or column.kind == "bool":
                _choice_list(ws, column.choices or (YES, NO), cells)
            number_format = {"nip": "@", "text": "@", "datetime": "@", "date": "yyyy-mm-dd"}.get(
                column.kind
            )
            if number_format:
                ws.column_dimensions[letter].number_format = number_format
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
    return workbook


def _identity_sheet(ws: Worksheet, data: dict[str, Any]) -> None:
    _header(ws, IDENTITY_HEADERS, (28, 36, 60))
    defaults = {"format": FORMAT, "version": VERSION}
    for row, (key, label, kind, choices) in enumerate(IDENTITY, start=2):
        section, _dot, name = key.rpartition(".")
        value = (data.get(section) or {}).get(name) if section else data.get(key, defaults[key])
        if kind == "bool" and value is not None:
            value = YES if value else NO
        ws.append([key, label, value])
        ws.cell(row=row, column=3).number_format = "@" if kind == "text" else "General"
        if choices:
            _choice_list(ws, choices, f"C{row}")


# --- reading -----------------------------------------------------------------------------------


class _CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _convert(kind: str, value: Any) -> Any:
    """A cell's value as the document wants it; raises _CellError with a message."""
    if kind == "int":
        if isinstance(value, bool):
            raise _CellError(_("Must be a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _text(value)
        if text.isdigit():
            return int(text)
        raise _CellError(_("Must be a whole number."))
    if kind == "number":
        if isinstance(value, bool):
            raise _CellError(_("Must be a number, e.g. 85,5."))
        if isinstance(value, int | float):
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        try:
            return parse_number(_text(value))
        except NumberFormatError as exc:
            raise _CellError(_("Must be a number, e.g. 85,5.")) from exc
    if kind == "date":
        if isinstance(value, datetime.datetime | datetime.date):
            return _text(value)
        text = _text(value)
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise _CellError(_("Write the date as YYYY-MM-DD, e.g. 2025-01-02.")) from exc
    if kind == "datetime":
        if isinstance(value, datetime.datetime):  # a date-time cell: local time, to the second
            rounded = value + datetime.timedelta(microseconds=500_000)
            return rounded.replace(microsecond=0).isoformat(sep=" ")
        return _text(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in (YES, "yes", "true", "1", "y"):
            return True
        if text in (NO, "no", "false", "0", "t", "n"):
            return False
        raise _CellError(_("Write “ya” or “tidak”."))
    if kind == "nip":
        if isinstance(value, float):
            raise _CellError(
                _("The NIP was stored as a number and lost digits; format the cell as text.")
            )
        text = _text(value)
        return None if text == NONE else text
    return _text(value)


@dataclass
class WorkbookContent:
    """What was read from a workbook: the document, cell problems, and each path's cell."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)


def data_from_workbook(file: IO[bytes] | str) -> tuple[dict[str, Any], list[ImportProblem]]:
    """The document held by a workbook, and the problems of its cells ("Sheet!C5")."""
    content = read_workbook(file)
    return content.data, content.problems


def read_workbook(file: IO[bytes] | str) -> WorkbookContent:
    """Like `data_from_workbook`, plus the cell of every document path."""
    content = WorkbookContent()
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a broken or foreign file
        content.problems.append(ImportProblem("", _("The file is not an Excel workbook (.xlsx).")))
        return content
    try:
        _read_identity(workbook, content)
        for sheet in SHEETS:
            _read_sheet(workbook, sheet, content)
    finally:
        workbook.close()
    return content


def _sheet_rows(workbook: Any, title: str) -> list[tuple[Any, ...]] | None:
    if title not in workbook.sheetnames:
        return None
    return list(workbook[title].iter_rows(values_only=True))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_identity(workbook: Any, content: WorkbookContent) -> None:
    rows = _sheet_rows(workbook, IDENTITY_SHEET)
    if rows is None:
        content.problems.append(
            ImportProblem(
                IDENTITY_SHEET, _("The sheet %(sheet)s is missing.") % {"sheet": IDENTITY_SHEET}
            )
        )
        return
    kinds = {key: kind for key, _label, kind, _choices in IDENTITY}
    content.cells[""] = f"{IDENTITY_SHEET}!A1"
    for number, row in enumerate(rows[1:], start=2):
        key = _text(row[0]) if row and not _blank(row[0]) else ""
        value = row[2] if len(row) > 2 else None
        if not key:
            continue
        if key not in kinds:
            content.problems.append(
                ImportProblem(f"{IDENTITY_SHEET}!A{number}", _("Unknown key; check its spelling."))
            )
            continue
        section, _dot, name = key.rpartition(".")
        content.cells[key] = f"{IDENTITY_SHEET}!C{number}"
        if section:
            content.cells.setdefault(section, f"{IDENTITY_SHEET}!A{number}")
        if _blank(value):
            continue
        try:
            converted = _convert(kinds[key], value)
        except _CellError as exc:
            content.problems.append(ImportProblem(f"{IDENTITY_SHEET}!C{number}", str(exc)))
            continue
        if section:
            content.data.setdefault(section, {})[name] = converted
        else:
            content.data[key] = converted


def _header_index(
    sheet: Sheet, header: tuple[Any, ...], content: WorkbookContent
) -> dict[int, Column]:
    by_name: dict[str, Column] = {}
    for column in sheet.all_columns:
        by_name[" ".join(column.header.lower().split())] = column
    for column in sheet.columns:
        by_name.setdefault(column.key, column)
    found: dict[int, Column] = {}
    for index, title in enumerate(header):
        if _blank(title):
            continue
        match = by_name.get(" ".join(_text(title).lower().split()))
        if match is None:
            content.problems.append(
                ImportProblem(
                    f"{sheet.title}!{get_column_letter(index + 1)}1",
                    _("Unknown column; check its spelling."),
                )
            )
        else:
            found[index] = match
    return found


def _read_sheet(workbook: Any, sheet: Sheet, content: WorkbookContent) -> None:
    rows = _sheet_rows(workbook, sheet.title)
    parent_list, _dot, child_list = sheet.path.partition(".")
    items = None
    if not child_list:
        items = content.data.setdefault(parent_list, [])
        content.cells[parent_list] = f"{sheet.title}!A1"
    if not rows:
        return
    columns = _header_index(sheet, rows[0], content)
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(value) for value in row):
            continue
        values: dict[Column, Any] = {}
        cells: dict[Column, str] = {}
        for index, column in columns.items():
            cells[column] = f"{sheet.title}!{get_column_letter(index + 1)}{number}"
            value = row[index] if index < len(row) else None
            if _blank(value):
                continue
            try:
                values[column] = _convert(column.kind, value)
            except _CellError as exc:
                content.problems.append(ImportProblem(cells[column], str(exc)))
        first_cell = f"{sheet.title}!A{number}"
        if items is not None:
            path = f"{parent_list}[{len(items)}]"
            items.append(_item(sheet.columns, values))
            _remember(content, path, first_cell, sheet.columns, cells)
            if parent_list == "teams":
                items[-1]["members"] = []
            continue
        _attach(sheet, content, values, cells, first_cell)


def _item(columns: Iterable[Column], values: dict[Column, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    quarters: dict[int, dict[str, Any]] = {}
    for column in columns:
        if column not in values:
            continue
        if column.key.startswith("q") and "." in column.key:
            number, name = column.key[1:].split(".")
            quarters.setdefault(int(number), {"quarter": int(number)})[name] = values[column]
        else:
            item[column.key] = values[column]
    if quarters:
        item["quarters"] = [quarters[number] for number in sorted(quarters)]
    return item


def _remember(
    content: WorkbookContent,
    path: str,
    first_cell: str,
    columns: Iterable[Column],
    cells: dict[Column, str],
) -> None:
    content.cells[path] = first_cell
    quarter_cells: dict[int, dict[str, str]] = {}
    for column in columns:
        if column not in cells:
            continue
        if column.key.startswith("q") and "." in column.key:
            number, name = column.key[1:].split(".")
            quarter_cells.setdefault(int(number), {})[name] = cells[column]
        else:
            content.cells[f"{path}.{column.key}"] = cells[column]
    if quarter_cells:
        content.cells[f"{path}.quarters"] = next(iter(quarter_cells[min(quarter_cells)].values()))


def _attach(
    sheet: Sheet,
    content: WorkbookContent,
    values: dict[Column, Any],
    cells: dict[Column, str],
    first_cell: str,
) -> None:
    """Put a nested row (team member, PK line, PK programme) under its parent row."""
    parent_list, _dot, child_list = sheet.path.partition(".")
    key = tuple(values.get(column) for column in sheet.parent_columns)
    if parent_list == "agreements":
        key = (key[0], key[1], key[2] or 1)
    parents = content.data.get(parent_list) or []
    for index, parent in enumerate(parents):
        parent_key = tuple(parent.get(column.key) for column in sheet.parent_columns)
        if parent_list == "agreements":
            parent_key = (parent_key[0], parent_key[1], parent_key[2] or 1)
        if parent_key == key:
            children = parent.setdefault(child_list, [])
            path = f"{parent_list}[{index}].{child_list}[{len(children)}]"
            item = _item(sheet.columns, values)
            children.append(item)
            _remember(content, path, first_cell, sheet.columns, cells)
            for number, quarter in enumerate(item.get("quarters", [])):
                column_cells = {
                    name: cells.get(_column(sheet, f"q{quarter['quarter']}.{name}"))
                    for name in ("value", "low", "high", "action")
                }
                content.cells[f"{path}.quarters[{number}]"] = column_cells["value"] or first_cell
                for name, cell in column_cells.items():
                    if cell:
                        content.cells[f"{path}.quarters[{number}].{name}"] = cell
            return
    parent_sheet = next(s.title for s in SHEETS if s.path == parent_list)
    content.problems.append(
        ImportProblem(
            first_cell,
            _("No row in sheet %(sheet)s matches this row's first columns.")
            % {"sheet": parent_sheet},
        )
    )


def _column(sheet: Sheet, key: str) -> Column:
    return next(column for column in sheet.columns if column.key == key)
