"""Pure rules of a worksheet's Excel round trip: the layout, reading cells, what a row's
upload means.

A downloaded workbook carries its identification (which worksheet, unit, agency,
year and period, the header texts, and per row the row id and the entry version
it was made from), signed by the server. On upload the layout must be exactly the
one downloaded, every cell must read, and a row counts as changed by the file only
when it differs from the version the file was made from; if Kinerja's current
version is another one, the row was changed meanwhile and the file may not
overwrite it (`RowOutcome.STALE`).

No Django, no openpyxl: the callers read the workbook and translate the issues.
"""

import datetime
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from enum import StrEnum

from kinerja.core.domain.numbers import NumberFormatError, parse_number

FORMAT = "kinerja-kertas-kerja"
LAYOUT_VERSION = 1

#: the columns of the worksheet sheet, in order (A, B, …)
COLUMNS = (
    "code",
    "indicator",
    "unit_of_measure",
    "target",
    "value",
    "numerator",
    "denominator",
    "analysis",
    "obstacles",
    "follow_up",
    "data_holder",
)
NUMBER_FIELDS = ("value", "numerator", "denominator")
RATIO_FIELDS = ("numerator", "denominator")
TEXT_FIELDS = ("analysis", "obstacles", "follow_up")
#: the columns a unit types in, in column order
INPUT_FIELDS = NUMBER_FIELDS + TEXT_FIELDS

#: longest text kept from one cell (Excel's own limit is 32.767 characters)
MAX_TEXT = 4000
#: the entry's number fields: 16 digits before the decimal point, 4 after
MAX_WHOLE_DIGITS = 16
MAX_DECIMAL_PLACES = 4

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: the parts of an Excel number format that are shown as they are, not interpreted:
#: quoted text, an escaped character, a padding (_x) or fill (*x) character, [colour] etc.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]')


def column_number(name: str) -> int:
    """The 1-based column of one of `COLUMNS`."""
    return COLUMNS.index(name) + 1


@dataclass(frozen=True, slots=True)
class EntryData:
    """What one entry version holds of a row (`collection.models.Entry`'s data fields)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    analysis: str = ""
    obstacles: str = ""
    follow_up: str = ""

    def as_dict(self) -> dict[str, Decimal | str | None]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def changed_fields(self, other: "EntryData") -> list[str]:
        """The fields (in column order) whose values differ from `other`'s."""
        return [name for name in INPUT_FIELDS if getattr(self, name) != getattr(other, name)]


EMPTY = EntryData()


def clean_text(text: str) -> str:
    """A text as a workbook cell keeps it: "\\n" line breaks, no control characters, stripped."""
    return _CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def as_in_workbook(data: EntryData) -> EntryData:
    """`data` with its texts as they come back from a downloaded workbook."""
    return EntryData(
        value=data.value,
        numerator=data.numerator,
        denominator=data.denominator,
        analysis=clean_text(data.analysis),
        obstacles=clean_text(data.obstacles),
        follow_up=clean_text(data.follow_up),
    )


# --- reading cells ---------------------------------------------------------------------------


class CellIssue(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DECIMALS = "too_many_decimals"
    TOO_LARGE = "too_large"
    TEXT_TOO_LONG = "text_too_long"
    NO_RATIO = "no_ratio"


class CellValueError(ValueError):
    def __init__(self, issue: CellIssue) -> None:
        super().__init__(issue.value)
        self.issue = issue


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """Any cell value as text (a whole float without its ".0", a date as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return clean_text(str(value))


def is_percent_format(number_format: str | None) -> bool:
    """Whether Excel shows a cell of this number format as a percentage (its value × 100):
    a "%" outside the format's literal parts ("0.0%" yes; '0.0"%"' and "0.0\\%" no)."""
    return "%" in _FORMAT_LITERALS.sub("", number_format or "")


def number_cell_value(value: object, number_format: str | None) -> object:
    """A number column's cell value as its user typed it.

    Excel stores "85,5%" typed into a cell as 0.855 with a percent number format;
    the user meant 85,5, so a number shown as a percentage is multiplied by 100
    (exactly, in Decimal). Any other value is returned as it is.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not is_percent_format(number_format):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        return Decimal(repr(value)) * 100  # the shortest text that reads back as this float
    return Decimal(value) * 100


def number_from_cell(value: object) -> Decimal | None:
    """A number cell: an Excel number, or text typed the Indonesian way ("85,5", "1.234,5",
    "85,5 %"); blank gives None. Raises `CellValueError`."""
    if is_blank(value):
        return None
    number: Decimal | None
    if isinstance(value, bool):
        raise CellValueError(CellIssue.NOT_A_NUMBER)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellValueError(CellIssue.NOT_A_NUMBER)
        number = Decimal(repr(value))  # the shortest text that reads back as this float
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = parse_number(value)
        except NumberFormatError:
            raise CellValueError(CellIssue.NOT_A_NUMBER) from None
    else:  # a date, a time, an error value
        raise CellValueError(CellIssue.NOT_A_NUMBER)
    if number is None or not number.is_finite():
        raise CellValueError(CellIssue.NOT_A_NUMBER)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        raise CellValueError(CellIssue.TOO_MANY_DECIMALS)
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise CellValueError(CellIssue.TOO_LARGE)
    return number


def entry_from_cells(
    cells: Mapping[str, object], *, has_ratio: bool, base: EntryData
) -> tuple[EntryData | None, dict[str, CellIssue]]:
    """A row's input cells (field → cell value) as entry data, or None and each bad field's issue.

    Without a ratio the numerator and denominator cells must stay empty; the row
    keeps `base`'s (the version the file was made from) for them.
    """
    issues: dict[str, CellIssue] = {}
    values: dict[str, Decimal | str | None] = {}
    for name in NUMBER_FIELDS:
        raw = cells.get(name)
        if name in RATIO_FIELDS and not has_ratio:
            if not is_blank(raw):
                issues[name] = CellIssue.NO_RATIO
            values[name] = getattr(base, name)
            continue
        try:
            values[name] = number_from_cell(raw)
        except CellValueError as error:
            issues[name] = error.issue
    for name in TEXT_FIELDS:
        text = cell_text(cells.get(name))
        if len(text) > MAX_TEXT and text != clean_text(getattr(base, name)):
            issues[name] = CellIssue.TEXT_TOO_LONG
        values[name] = text
    if issues:
        return None, issues
    return EntryData(**values), {}  # type: ignore[arg-type]


# --- what a row's upload means ---------------------------------------------------------------


class RowOutcome(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    STALE = "stale"


def row_outcome(
    *,
    new: EntryData,
    base: EntryData,
    current: EntryData,
    file_version: int,
    current_version: int,
) -> RowOutcome:
    """What the file does to a row.

    `base` is the version the file was made from (`file_version`), `current` the
    one in Kinerja now. A row the file leaves as it was downloaded is unchanged,
    even when someone changed it in Kinerja since; a row the file changes is
    stale when Kinerja's version moved on, unless both hold the same data.
    """
    if new == as_in_workbook(current) or new == as_in_workbook(base):
        return RowOutcome.UNCHANGED
    if file_version != current_version:
        return RowOutcome.STALE
    return RowOutcome.CHANGED


# --- identification ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Which worksheet a file belongs to."""

    worksheet_id: int
    agency: str
    unit: str
    year: int
    period: str


@dataclass(frozen=True, slots=True)
class Metadata:
    """The identification a downloaded workbook carries; `rows` are (row id, entry version)."""

    identity: Identity
    headers: tuple[str, ...]
    rows: tuple[tuple[int, int], ...]
    format: str = FORMAT
    layout_version: int = LAYOUT_VERSION

    def payload(self) -> str:
        """The canonical text the server signs."""
        return json.dumps(
            {
                "format": self.format,
                "layout_version": self.layout_version,
                "identity": astuple(self.identity),
                "headers": self.headers,
                "rows": self.rows,
            },
            separators=(",", ":"),
            ensure_ascii=True,
        )


_KEYS = ("format", "layout_version", "worksheet", "agency", "unit", "year", "period", "headers")
_ROWS_MARKER = ("row", "version")


def metadata_rows(metadata: Metadata, signature: str) -> list[list[object]]:
    """The hidden sheet's rows: key/value pairs, the signature, then one row per worksheet row."""
    identity = metadata.identity
    values = (
        metadata.format,
        metadata.layout_version,
        identity.worksheet_id,
        identity.agency,
        identity.unit,
        identity.year,
        identity.period,
        json.dumps(metadata.headers, ensure_ascii=False),
    )
    rows: list[list[object]] = [[key, value] for key, value in zip(_KEYS, values, strict=True)]
    rows.append(["signature", signature])
    rows.append(list(_ROWS_MARKER))
    rows.extend([row_id, version] for row_id, version in metadata.rows)
    return rows


def _whole(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    return int(str(value).strip())


def metadata_from_rows(rows: Sequence[Sequence[object]]) -> tuple[Metadata, str] | None:
    """The metadata and signature read back from the hidden sheet; None when malformed."""
    pairs = [tuple(row[:2]) + (None,) * (2 - len(row[:2])) for row in rows]
    head = len(_KEYS) + 2
    if len(pairs) < head or [key for key, _value in pairs[: len(_KEYS)]] != list(_KEYS):
        return None
    found = {key: value for key, value in pairs[: len(_KEYS)]}
    signature_key, signature = pairs[len(_KEYS)]
    if signature_key != "signature" or not isinstance(signature, str):
        return None
    if pairs[len(_KEYS) + 1] != _ROWS_MARKER:
        return None
    try:
        headers = json.loads(str(found["headers"]))
        if not isinstance(headers, list):
            return None
        identity = Identity(
            worksheet_id=_whole(found["worksheet"]),
            agency=str(found["agency"]),
            unit=str(found["unit"]),
            year=_whole(found["year"]),
            period=str(found["period"]),
        )
        entries = tuple(
            (_whole(row_id), _whole(version))
            for row_id, version in pairs[head:]
            if not (is_blank(row_id) and is_blank(version))
        )
        metadata = Metadata(
            identity=identity,
            headers=tuple(str(header) for header in headers),
            rows=entries,
            format=str(found["format"]),
            layout_version=_whole(found["layout_version"]),
        )
    except (TypeError, ValueError):  # json's errors are ValueErrors too
        return None
    return metadata, signature


class Mismatch(StrEnum):
    AGENCY = "agency"
    UNIT = "unit"
    PERIOD = "period"
    WORKSHEET = "worksheet"


def identity_mismatch(found: Identity, expected: Identity) -> Mismatch | None:
    """How a file's identity differs from the worksheet's, the broadest difference first."""
    if found.agency != expected.agency:
        return Mismatch.AGENCY
    if found.unit != expected.unit:
        return Mismatch.UNIT
    if (found.year, found.period) != (expected.year, expected.period):
        return Mismatch.PERIOD
    if found.worksheet_id != expected.worksheet_id:
        return Mismatch.WORKSHEET
    return None


# --- layout ----------------------------------------------------------------------------------


class LayoutIssue(StrEnum):
    HEADER_CHANGED = "header_changed"
    ROWS_CHANGED = "rows_changed"
    ROWS_ADDED = "rows_added"
    UNKNOWN_ROW = "unknown_row"


@dataclass(frozen=True, slots=True)
class LayoutProblem:
    issue: LayoutIssue
    #: where in the sheet: 0-based position among the body rows (-1: the header row), 1-based column
    position: int
    column: int


def layout_problem(
    *,
    metadata: Metadata,
    header: Sequence[object],
    body: Sequence[Sequence[object]],
    codes: Mapping[int, str],
) -> LayoutProblem | None:
    """The first place where the sheet is not laid out as downloaded, or None.

    `header` is the header row's cells, `body` the rows below it (in order), `codes`
    each of the worksheet's row ids with its indicator code. Row i of the body must
    hold the indicator of the metadata's row i; nothing may follow the last one.
    """
    width = max(len(header), len(metadata.headers))
    for index in range(width):
        expected = metadata.headers[index] if index < len(metadata.headers) else ""
        found = cell_text(header[index]) if index < len(header) else ""
        if " ".join(found.split()) != " ".join(expected.split()):
            return LayoutProblem(LayoutIssue.HEADER_CHANGED, -1, index + 1)
    for position, (row_id, _version) in enumerate(metadata.rows):
        if row_id not in codes:
            return LayoutProblem(LayoutIssue.UNKNOWN_ROW, position, 1)
        line = body[position] if position < len(body) else ()
        code = cell_text(line[0]) if line else ""
        if code != codes[row_id]:
            return LayoutProblem(LayoutIssue.ROWS_CHANGED, position, 1)
    for position in range(len(metadata.rows), len(body)):
        line = body[position]
        for index, value in enumerate(line):
            if not is_blank(value):
                return LayoutProblem(LayoutIssue.ROWS_ADDED, position, index + 1)
    return None
