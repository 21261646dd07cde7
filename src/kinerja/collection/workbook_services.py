"""Importing a filled-in worksheet workbook: a dry run first, then all or nothing.

`worksheet_import_preview` reads the file and reports what it would change
(per row and field, old → new) and every problem by cell, changing nothing.
A file made for another worksheet, unit, period, year or agency, or whose layout
was changed, is refused as a whole (`ValidationFailed` keyed "file").
`worksheet_import_apply` does the same checks again under the worksheet's lock
and, only when there is no problem at all, appends the new entry versions in
bulk (`entries_record_many`, a constant number of queries whatever the number of
rows) and keeps the uploaded file as a document of the agency, held by the import
(`held_by_record`: not on the Documents pages, never versioned there).
"""

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from kinerja.collection import workbook
from kinerja.collection.access import access_row_for_entry, can_enter_row
from kinerja.collection.domain.workbook_checks import (
    COLUMNS,
    EMPTY,
    FORMAT,
    LAYOUT_VERSION,
    MAX_DECIMAL_PLACES,
    MAX_TEXT,
    CellIssue,
    EntryData,
    LayoutIssue,
    Metadata,
    Mismatch,
    RowOutcome,
    as_in_workbook,
    column_number,
    entry_from_cells,
    identity_mismatch,
    layout_problem,
    row_outcome,
)
from kinerja.collection.grid import can_view_worksheet
from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.core.domain.numbers import format_number
from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.documents.domain.filetype import XLSX
from kinerja.documents.models import DocumentKind
from kinerja.documents.services import TITLE_MAX, document_upload
from kinerja.documents.uploads import CheckedUpload, upload_check
from kinerja.measurement.selectors import PERIOD_LABELS, PERIOD_PARAMS
from kinerja.organizations.access import UserScope

#: the key of a refusal of the whole file in `ValidationFailed.errors`
FILE = "file"


@dataclass(frozen=True)
class Change:
    """One field of one row the file changes (old: Kinerja's current value)."""

    row_id: int
    code: str
    indicator: str
    field: str
    label: str
    old: Decimal | str | None
    new: Decimal | str | None

    @property
    def old_text(self) -> str:
        return _shown(self.old)

    @property
    def new_text(self) -> str:
        return _shown(self.new)


@dataclass(frozen=True)
class Problem:
    """Why a cell cannot be imported; `cell` like "Kertas Kerja!E9"."""

    cell: str
    message: str
    #: the indicator's code, when the problem is in one row
    code: str = ""


@dataclass(frozen=True)
class WorkbookImport:
    """What a file does to a worksheet; `revision` is the worksheet's when it was checked."""

    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    sha256: str
    revision: int

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.changes)

    @property
    def rows_changed(self) -> int:
        return len({change.row_id for change in self.changes})


def _shown(value: Decimal | str | None) -> str:
    if isinstance(value, Decimal):
        return format_number(value)
    return value or "–"


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed({FILE: [message]})


# --- who may import, and when ----------------------------------------------------------------


def _refuse_unless_editable(worksheet: Worksheet) -> None:
    if worksheet.collection.status == Collection.Status.LOCKED:
        raise ValidationFailed(_("This data collection is locked; its data can no longer change."))
    if worksheet.status not in Worksheet.EDITABLE:
        raise ValidationFailed(
            _("This worksheet has been submitted; its data can no longer change.")
        )


def _rows(worksheet: Worksheet) -> list[WorksheetRow]:
    rows = list(
        WorksheetRow.objects.filter(worksheet=worksheet)
        .select_related("indicator")
        .order_by("sort_order", "pk")
    )
    for row in rows:
        row.worksheet = worksheet  # already loaded: no query per row
    return rows


def _check_may_import(actor: UserScope, worksheet: Worksheet, rows: list[WorksheetRow]) -> None:
    if not can_view_worksheet(actor, worksheet):
        raise NotFound("worksheet")
    _refuse_unless_editable(worksheet)
    if not any(can_enter_row(actor, row) for row in rows):
        raise AccessDenied(_("Only the unit or the data holders of its rows may import its data."))


def worksheet_import_check(*, actor: UserScope, worksheet: Worksheet) -> None:
    """Raise unless `actor` may import a workbook into the worksheet now (upload page)."""
    _check_may_import(actor, worksheet, _rows(worksheet))


# --- reading the file ------------------------------------------------------------------------


def _checked(content: bytes) -> CheckedUpload:
    """Size, type from the content and sha256, by the same rules as every upload."""
    checked = upload_check(ContentFile(content, name="kertas-kerja.xlsx"), field=FILE)
    if checked.file_type != XLSX:
        raise _refuse(_("The file is not an Excel workbook (.xlsx)."))
    return checked


def _period_text(period: str, year: int) -> str:
    label = PERIOD_LABELS[PERIOD_PARAMS[period]] if period in PERIOD_PARAMS else period
    return f"{label} {year}"


def _mismatch_message(mismatch: Mismatch, found: Metadata, worksheet: Worksheet) -> str:
    file, here = found.identity, workbook.identity_of(worksheet)
    if mismatch is Mismatch.AGENCY:
        return _(
            "This file belongs to another agency (%(found)s), not to %(expected)s. Download "
            "this worksheet's file and fill that in."
        ) % {"found": file.agency, "expected": here.agency}
    if mismatch is Mismatch.UNIT:
        return _(
            "This file is the worksheet of another unit (%(found)s), not of %(expected)s. "
            "Download this worksheet's file and fill that in."
        ) % {"found": file.unit, "expected": here.unit}
    if mismatch is Mismatch.PERIOD:
        return _(
            "This file is for another period (%(found)s), not for %(expected)s. Download this "
            "worksheet's file and fill that in."
        ) % {
            "found": _period_text(file.period, file.year),
            "expected": _period_text(here.period, here.year),
        }
    return _(
        "This file was made for another worksheet of this unit and period (of a data "
        "collection that was replaced). Download this worksheet's file and fill that in."
    )


def _layout_message(issue: LayoutIssue, cell: str) -> str:
    messages = {
        LayoutIssue.HEADER_CHANGED: _(
            "The header row was changed at %(cell)s: columns may not be added, removed, moved "
            "or renamed. Download the worksheet's file again."
        ),
        LayoutIssue.ROWS_CHANGED: _(
            "The rows were changed at %(cell)s: rows may not be added, deleted or moved. "
            "Download the worksheet's file again."
        ),
        LayoutIssue.ROWS_ADDED: _(
            "Something was added below the worksheet's rows at %(cell)s: rows may not be "
            "added. Download the worksheet's file again."
        ),
        LayoutIssue.UNKNOWN_ROW: _(
            "The file names a row that is not in this worksheet (%(cell)s). Download the "
            "worksheet's file again."
        ),
    }
    return messages[issue] % {"cell": cell}


def _read_checked(
    content: bytes, worksheet: Worksheet, rows: list[WorksheetRow]
) -> workbook.WorkbookFile:
    """The file, refused as a whole unless it is this worksheet's, laid out as downloaded."""
    file = workbook.read_workbook(content)
    metadata = file.metadata
    if not file.has_metadata_sheet:
        raise _refuse(
            _(
                "The file has no Kinerja identification: it was not downloaded from Kinerja or "
                "its hidden sheet was removed. Download the worksheet's file and fill that in."
            )
        )
    if (
        metadata is None
        or metadata.format != FORMAT
        or metadata.layout_version != LAYOUT_VERSION
        or not workbook.signature_valid(metadata, file.signature)
    ):
        raise _refuse(
            _(
                "The file's hidden identification was changed, or the file was made by another "
                "version of Kinerja. Download the worksheet's file again."
            )
        )
    mismatch = identity_mismatch(metadata.identity, workbook.identity_of(worksheet))
    if mismatch is not None:
        raise _refuse(_mismatch_message(mismatch, metadata, worksheet))
    if not file.has_sheet:
        raise _refuse(
            _(
                "The sheet %(sheet)s is missing: the layout of the file was changed. Download "
                "the worksheet's file again."
            )
            % {"sheet": workbook.SHEET}
        )
    problem = layout_problem(
        metadata=metadata,
        header=file.header,
        body=file.body,
        codes={row.pk: row.indicator.code for row in rows},
    )
    if problem is not None:
        row_number = workbook.HEADER_ROW if problem.position < 0 else workbook.FIRST_ROW
        row_number += max(problem.position, 0)
        raise _refuse(
            _layout_message(problem.issue, workbook.cell_name(problem.column, row_number))
        )
    return file


# --- what the file does ----------------------------------------------------------------------


def _data_of(entry: Entry | None) -> EntryData:
    if entry is None:
        return EMPTY
    return EntryData(**{name: getattr(entry, name) for name in EMPTY.as_dict()})


def _newest_version() -> Subquery:
    """The version of the entry's row's newest entry (to filter `Entry` by)."""
    return Subquery(
        Entry.objects.filter(row=OuterRef("row")).order_by("-version").values("version")[:1]
    )


def _current_entries(worksheet: Worksheet) -> dict[int, Entry]:
    """row id → its newest entry (one query)."""
    return {
        entry.row_id: entry
        for entry in Entry.objects.filter(row__worksheet=worksheet, version=_newest_version())
    }


def _base_entries(
    worksheet: Worksheet, wanted: set[tuple[int, int]]
) -> dict[tuple[int, int], Entry]:
    """(row id, version) → that entry, for the versions files were made from (one query)."""
    if not wanted:
        return {}
    versions = {version for _row_id, version in wanted}
    return {
        (entry.row_id, entry.version): entry
        for entry in Entry.objects.filter(row__worksheet=worksheet, version__in=versions)
        if (entry.row_id, entry.version) in wanted
    }


def _cell_message(issue: CellIssue) -> str:
    messages = {
        CellIssue.NOT_A_NUMBER: _("Not a number: type it like 85,5 or 1.234,5."),
        CellIssue.TOO_MANY_DECIMALS: _("Use at most %(places)s decimal places.")
        % {"places": MAX_DECIMAL_PLACES},
        CellIssue.TOO_LARGE: _("This number is too large."),
        CellIssue.TEXT_TOO_LONG: _("Write at most %(limit)s characters.")
        % {"limit": format_number(MAX_TEXT)},
        CellIssue.NO_RATIO: _(
            "This indicator is not measured as a ratio; leave the numerator and denominator empty."
        ),
    }
    return messages[issue]


@dataclass
class _Findings:
    """What a file does, row by row; `data` and `versions` are what applying writes
    (row id → the new data, and → the version it replaces)."""

    labels: dict[str, str]
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data: dict[int, EntryData] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)


def _examine_row(
    findings: _Findings,
    *,
    actor: UserScope,
    row: WorksheetRow,
    line: tuple[object, ...],
    number: int,
    file_version: int,
    now: Entry | None,
    base_entry: Entry | None,
) -> None:
    """Add what the file does to one row (its sheet row `number`) to `findings`."""
    code = row.indicator.code
    now_version = now.version if now is not None else 0
    now_data = _data_of(now)
    base = now_data if file_version == now_version else _data_of(base_entry)
    cells = {name: line[column_number(name) - 1] for name in EMPTY.as_dict()}
    new, issues = entry_from_cells(cells, has_ratio=row.indicator.has_ratio, base=base)
    for name, issue in issues.items():
        cell = workbook.cell_name(column_number(name), number)
        findings.problems.append(Problem(cell, _cell_message(issue), code))
    if new is None:
        return
    outcome = row_outcome(
        new=new, base=base, current=now_data, file_version=file_version, current_version=now_version
    )
    if outcome is RowOutcome.UNCHANGED:
        return
    if outcome is RowOutcome.STALE:
        edited = new.changed_fields(as_in_workbook(base))[0]
        message = _(
            "This row was changed in Kinerja after the file was downloaded (version %(file)s, "
            "now %(current)s). Download the file again and enter your change there."
        ) % {"file": file_version, "current": now_version}
        findings.problems.append(
            Problem(workbook.cell_name(column_number(edited), number), message, code)
        )
        return
    changed = new.changed_fields(as_in_workbook(now_data))
    if not can_enter_row(actor, row):
        cell = workbook.cell_name(column_number(changed[0]), number)
        message = _("Only the row's data holder or the unit may enter its data.")
        findings.problems.append(Problem(cell, message, code))
        return
    findings.data[row.pk] = new
    findings.versions[row.pk] = now_version
    findings.changes.extend(
        Change(
            row_id=row.pk,
            code=code,
            indicator=row.indicator.name,
            field=name,
            label=findings.labels[name],
            old=getattr(now_data, name),
            new=getattr(new, name),
        )
        for name in changed
    )


def _examine(
    actor: UserScope, worksheet: Worksheet, content: bytes
) -> tuple[WorkbookImport, _Findings]:
    rows = _rows(worksheet)
    _check_may_import(actor, worksheet, rows)
    checked = _checked(content)
    file = _read_checked(content, worksheet, rows)
    metadata = file.metadata
    assert metadata is not None  # _read_checked refused the file otherwise
    by_id = {row.pk: row for row in rows}
    current = _current_entries(worksheet)
    moved_on = {
        (row_id, version)
        for row_id, version in metadata.rows
        if version > 0 and version != (current[row_id].version if row_id in current else 0)
    }
    bases = _base_entries(worksheet, moved_on)
    findings = _Findings(labels=dict(zip(COLUMNS, workbook.headers(), strict=True)))
    for position, (row_id, file_version) in enumerate(metadata.rows):
        _examine_row(
            findings,
            actor=actor,
            row=by_id[row_id],
            line=file.body[position],
            number=workbook.FIRST_ROW + position,
            file_version=file_version,
            now=current.get(row_id),
            base_entry=bases.get((row_id, file_version)),
        )
    result = WorkbookImport(
        changes=tuple(findings.changes),
        problems=tuple(findings.problems),
        sha256=checked.sha256,
        revision=worksheet.revision,
    )
    return result, findings


def worksheet_import_preview(
    *, actor: UserScope, worksheet: Worksheet, content: bytes
) -> WorkbookImport:
    """The dry run: what the file would change and every problem by cell; changes nothing."""
    return _examine(actor, worksheet, content)[0]


def _problems_error(problems: tuple[Problem, ...]) -> ValidationFailed:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.cell, []).append(problem.message)
    return ValidationFailed(errors)


def worksheet_import_apply(
    *, actor: UserScope, worksheet: Worksheet, content: bytes, expected_revision: int
) -> WorkbookImport:
    """Check the file again under the worksheet's lock and write every change, or nothing.

    `expected_revision` is the worksheet's revision the preview was made at
    (`WorkbookImport.revision`); another one means the worksheet changed since:
    Conflict. Any problem: ValidationFailed keyed by cell, nothing written. The
    file is kept as a held document of the agency ("lainnya") with its sha256.
    """
    with transaction.atomic():
        locked = (
            Worksheet.objects.select_for_update(of=("self",))
            .select_related("collection__agency__government", "unit__agency")
            .get(pk=worksheet.pk)
        )
        if locked.revision != expected_revision:
            raise Conflict(_("The worksheet was changed after the preview; upload the file again."))
        result, findings = _examine(actor, locked, content)
        if result.problems:
            raise _problems_error(result.problems)
        if not result.changes:
            return result
        entries_record_many(
            actor=actor,
            worksheet=locked,
            data=findings.data,
            versions=findings.versions,
            reason=_("Imported from a worksheet workbook (sha256 %(sha256)s).")
            % {"sha256": result.sha256},
        )
        collection = locked.collection
        document_upload(
            actor=actor,
            agency=collection.agency,
            kind=DocumentKind.OTHER,
            title=(
                _("Filled-in worksheet — %(unit)s %(period)s %(year)s")
                % {
                    "unit": locked.unit.name,
                    "period": collection.get_period_display(),
                    "year": collection.year,
                }
            )[:TITLE_MAX],
            uploaded=ContentFile(content, name=workbook.workbook_filename(locked)),
            subject=str(locked),
            held_by_record=True,
        )
    return result


# --- the bulk writer -------------------------------------------------------------------------


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _insert_in_one_statement(entries: list[Entry]) -> None:
    """INSERT every entry with one statement, whatever their number.

    `bulk_create` splits an insert into batches of at most 999 parameters on
    SQLite (one statement per 90 entries), so its query count grows with the
    rows. Here the rows travel as one JSON parameter, read back by `json_each`
    (SQLite) or `jsonb_to_recordset` (PostgreSQL, the other supported database);
    each value is prepared by its model field as `bulk_create` prepares it
    (defaults, `auto_now_add`, database adaptation).
    """
    fields = [f for f in Entry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    rows = [
        {
            f"c{index}": _jsonable(f.get_db_prep_save(f.pre_save(entry, True), connection))
            for index, f in enumerate(fields)
        }
        for entry in entries
    ]
    columns = ", ".join(quote(cast(str, f.column)) for f in fields)
    if connection.vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$.c{index}')" for index in range(len(fields)))
        source = "json_each(%s)"
    else:
        values = ", ".join(f"c{index}" for index in range(len(fields)))
        record = ", ".join(f"c{index} {f.db_type(connection)}" for index, f in enumerate(fields))
        source = f"jsonb_to_recordset(%s::jsonb) AS r({record})"
    sql = f"INSERT INTO {quote(Entry._meta.db_table)} ({columns}) SELECT {values} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows)])


def entries_record_many(
    *,
    actor: UserScope,
    worksheet: Worksheet,
    data: Mapping[int, EntryData],
    versions: Mapping[int, int],
    reason: str = "",
) -> list[Entry]:
    """Add a version to each row of `data` (row id → its new data) whose data changed.

    The bulk form of `services.entry_record`, with its rules: only who may enter
    a row (AccessDenied), only while the worksheet is editable, `versions[row id]`
    is the version the user saw (another current one: Conflict), texts stripped,
    version + 1, the next submission's number. The worksheet's revision is bumped
    once and one change record notes how many rows changed. A constant number of
    queries whatever the number of rows; returns the new entries.
    """
    with transaction.atomic():
        locked = (
            Worksheet.objects.select_for_update(of=("self",))
            .select_related("collection__agency", "unit__agency")
            .get(pk=worksheet.pk)
        )
        rows = {row.pk: row for row in WorksheetRow.objects.filter(worksheet=locked)}
        for row_id in data:
            row = rows.get(row_id)
            if row is None:
                raise NotFound("row")
            row.worksheet = locked
            access_row_for_entry(actor, row)
        _refuse_unless_editable(locked)
        current = _current_entries(locked)
        created: list[Entry] = []
        for row_id, entry_data in data.items():
            new = {
                **entry_data.as_dict(),
                "analysis": entry_data.analysis.strip(),
                "obstacles": entry_data.obstacles.strip(),
                "follow_up": entry_data.follow_up.strip(),
            }
            seen = current.get(row_id)
            seen_version = seen.version if seen is not None else 0
            if seen_version != versions[row_id]:
                raise Conflict(
                    _("Someone else changed this data meanwhile; reload it and try again.")
                )
            if _data_of(seen).as_dict() == new:
                continue
            created.append(
                Entry(
                    row_id=row_id,
                    version=seen_version + 1,
                    entered_by_id=actor.user_id,
                    submission_no=locked.submission_count + 1,
                    **new,
                )
            )
        if not created:
            return []
        _insert_in_one_statement(created)
        written = {(entry.row_id, entry.version) for entry in created}
        created = [
            entry
            for entry in _current_entries(locked).values()
            if (entry.row_id, entry.version) in written
        ]
        old_revision = locked.revision
        locked.revision += 1
        locked.save(update_fields=["revision", "updated_at"])
        change_record_create(
            instance=locked,
            action="import",
            user_id=actor.user_id,
            changes={"entries": (0, len(created)), "revision": (old_revision, locked.revision)},
            reason=reason,
        )
    return created
