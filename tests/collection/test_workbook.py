"""The Excel round trip of a worksheet through its services: download, preview, apply."""

import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.collection.models import Collection, Entry, Worksheet
from kinerja.collection.review import worksheet_submit
from kinerja.collection.selectors import worksheet_rows
from kinerja.collection.services import (
    collection_create,
    entry_record,
    worksheet_row_data_holder_set,
)
from kinerja.collection.workbook import FIRST_ROW, HEADER_ROW, SHEET, worksheet_workbook
from kinerja.collection.workbook_services import (
    worksheet_import_apply,
    worksheet_import_preview,
)
from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents.models import Document, DocumentKind
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Employee, RoleKey
from kinerja.planning.models import Indicator
from tests.collection.world import collection_world
from tests.documents.samples import pdf, xlsx_file
from tests.factories import AgencyFactory, staff

YEAR = 2025
D = Decimal
pytestmark = pytest.mark.usefixtures("english")

#: the columns of the sheet Kertas Kerja by field
COLUMN = {
    "code": "A",
    "target": "D",
    "value": "E",
    "numerator": "F",
    "denominator": "G",
    "analysis": "H",
    "obstacles": "I",
    "follow_up": "J",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(agency):
    return collection_world(agency)


def create(world, period="tw2"):
    return collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period=period)


@pytest.fixture
def collection(world):
    return create(world)


def sheet_of(collection, unit) -> Worksheet:
    return Worksheet.objects.select_related("collection__agency__government", "unit__agency").get(
        collection=collection, unit=unit
    )


@pytest.fixture
def ws(world, collection) -> Worksheet:
    """Bidang A's worksheet: the cumulative indicator (row 9) and the last-value one (row 10)."""
    return sheet_of(collection, world.units[0])


@pytest.fixture
def holder(world):
    return scope_for(world.data_holder.user)


def fresh(ws) -> Worksheet:
    return sheet_of(ws.collection, ws.unit)


def enter(actor, ws, indicator, value, analysis=""):
    """Save a row through the web's service, as the grid does."""
    row = ws.rows.get(indicator=indicator)
    current = Entry.objects.filter(row=row).order_by("-version").first()
    return entry_record(
        actor=actor,
        row=row,
        value=None if value is None else D(value),
        analysis=analysis,
        expected_version=current.version if current else 0,
    )


def load(content: bytes, *, read_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), read_only=read_only)


def save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def line_of(sheet, code: str) -> int:
    for number in range(FIRST_ROW, sheet.max_row + 1):
        if sheet[f"A{number}"].value == code:
            return number
    raise AssertionError(f"{code} is not in the sheet")


def filled(content: bytes, values: dict[str, dict[str, object]]) -> bytes:
    """The downloaded file with cells typed in, by indicator code → field → value."""
    workbook = load(content)
    sheet = workbook[SHEET]
    for code, fields in values.items():
        number = line_of(sheet, code)
        for name, value in fields.items():
            sheet[f"{COLUMN[name]}{number}"] = value
    return save(workbook)


def edited(content: bytes, change) -> bytes:
    """The downloaded file after `change(workbook)`."""
    workbook = load(content)
    change(workbook)
    return save(workbook)


def refusal(excinfo) -> str:
    errors = excinfo.value.errors
    assert list(errors) == ["file"], errors
    return " ".join(errors["file"])


def changes_of(preview) -> list[tuple[str, str, str, str]]:
    return [(c.code, c.field, c.old_text, c.new_text) for c in preview.changes]


def apply(actor, ws, content):
    return worksheet_import_apply(
        actor=actor, worksheet=ws, content=content, expected_revision=fresh(ws).revision
    )


class TestDownload:
    def test_holds_the_units_rows_only_with_their_current_data(self, world, holder, ws):
        enter(holder, ws, world.cumulative, "12.5", analysis="Sesuai rencana")

        workbook = load(worksheet_workbook(scope=holder, worksheet=ws))

        assert workbook.sheetnames == ["Kertas Kerja", "Petunjuk", "_kinerja"]
        assert workbook["_kinerja"].sheet_state == "veryHidden"
        sheet = workbook[SHEET]
        codes = [sheet[f"A{n}"].value for n in range(FIRST_ROW, sheet.max_row + 1)]
        assert codes == [world.cumulative.code, world.last_value.code]
        assert sheet["E9"].value == 12.5
        assert sheet["H9"].value == "Sesuai rencana"
        assert sheet["E10"].value is None
        assert sheet["D9"].value == "20"  # the TW II target
        assert sheet["D10"].value == "40"
        block = [sheet[f"B{n}"].value for n in range(2, 7)]
        assert block[:4] == [world.agency.name, "Bidang A", "Quarter II", YEAR]
        assert [c.value for c in sheet[HEADER_ROW]][:5] == [
            "Code",
            "Indicator",
            "Unit of measure",
            "Target",
            "Realisation",
        ]

    def test_is_protected_with_only_the_input_cells_unlocked(self, world, holder, ws):
        sheet = load(worksheet_workbook(scope=holder, worksheet=ws))[SHEET]

        assert sheet.protection.sheet is True
        unlocked = {
            cell.coordinate
            for line in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=12)
            for cell in line
            if not cell.protection.locked
        }
        # realisasi, penjelasan, kendala, upaya per row; no ratio, so no numerator/denominator
        assert unlocked == {f"{c}{n}" for c in "EHIJ" for n in (9, 10)}

    def test_a_ratio_indicator_unlocks_its_numerator_and_denominator(self, world, holder):
        Indicator.objects.filter(pk=world.last_value.pk).update(
            numerator_label="Koperasi sehat", denominator_label="Koperasi aktif"
        )
        ws = sheet_of(create(world), world.units[0])

        sheet = load(worksheet_workbook(scope=holder, worksheet=ws))[SHEET]

        assert not sheet["F10"].protection.locked
        assert not sheet["G10"].protection.locked
        assert sheet["F9"].protection.locked

    def test_number_cells_have_the_general_format(self, world, holder, ws):
        """General, so a percentage typed in Excel keeps its percent format (read back x 100)."""
        enter(holder, ws, world.cumulative, "12.5")

        sheet = load(worksheet_workbook(scope=holder, worksheet=ws))[SHEET]

        assert (sheet["E9"].number_format, sheet["E10"].number_format) == ("General", "General")

    def test_number_and_text_cells_are_validated(self, holder, ws):
        sheet = load(worksheet_workbook(scope=holder, worksheet=ws))[SHEET]

        rules = {dv.type: dv for dv in sheet.data_validations.dataValidation}
        assert str(rules["decimal"].sqref) == "E9:G10"
        assert rules["decimal"].error == "Enter a number, such as 85,5 or 1.234,5."
        assert rules["decimal"].showErrorMessage
        assert str(rules["textLength"].sqref) == "H9:J10"
        assert rules["textLength"].formula1 == "4000"

    def test_cumulative_indicators_are_entered_as_the_periods_own_amount(self, holder, ws):
        workbook = load(worksheet_workbook(scope=holder, worksheet=ws))

        instructions = " ".join(str(c.value) for c in workbook["Petunjuk"]["A"])
        assert "Cumulative indicators: enter this period's own amount" in instructions
        assert "own amount" in workbook[SHEET]["E8"].comment.text
        assert "own amount" in workbook[SHEET]["E9"].comment.text  # the cumulative row
        assert workbook[SHEET]["E10"].comment is None

    def test_a_submitted_worksheet_downloads_fully_locked(self, world, holder, ws):
        enter(holder, ws, world.cumulative, "20")
        enter(holder, ws, world.last_value, "40")
        worksheet_submit(actor=holder, worksheet=ws, expected_revision=fresh(ws).revision)

        sheet = load(worksheet_workbook(scope=holder, worksheet=fresh(ws)))[SHEET]

        assert sheet["E9"].protection.locked

    def test_another_units_staff_get_not_found(self, world, ws):
        head_b = scope_for(world.small.unit_heads[1].user)

        with pytest.raises(NotFound):
            worksheet_workbook(scope=head_b, worksheet=ws)


class TestRoundTrip:
    def test_download_fill_preview_apply(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws),
            {
                world.cumulative.code: {"value": 12.5, "analysis": "Sesuai rencana"},
                world.last_value.code: {"value": "85,5", "obstacles": " Hujan "},
            },
        )
        revision = fresh(ws).revision

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert changes_of(preview) == [
            (world.cumulative.code, "value", "–", "12,5"),
            (world.cumulative.code, "analysis", "–", "Sesuai rencana"),
            (world.last_value.code, "value", "–", "85,5"),
            (world.last_value.code, "obstacles", "–", "Hujan"),
        ]
        assert preview.problems == ()
        assert preview.can_apply and preview.rows_changed == 2
        assert preview.revision == revision
        assert Entry.objects.count() == 0  # a dry run

        result = worksheet_import_apply(
            actor=holder, worksheet=ws, content=content, expected_revision=revision
        )

        assert result.changes == preview.changes
        views = {v.row.indicator_id: v for v in worksheet_rows(scope=holder, worksheet=ws)}
        cumulative, last = views[world.cumulative.pk], views[world.last_value.pk]
        assert (cumulative.version, cumulative.current.value) == (1, D("12.5"))
        assert cumulative.current.analysis == "Sesuai rencana"
        assert (last.version, last.current.value, last.current.obstacles) == (1, D("85.5"), "Hujan")
        assert {e.entered_by_id for e in Entry.objects.all()} == {holder.user_id}
        assert {e.submission_no for e in Entry.objects.all()} == {1}
        assert fresh(ws).revision == revision + 1
        record = ChangeRecord.objects.get(model="worksheet", object_id=str(ws.pk), action="import")
        assert record.changes["entries"] == {"old": 0, "new": 2}
        assert result.sha256 in record.reason

    def test_the_applied_file_is_kept_as_a_document_with_its_sha256(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 7}}
        )

        apply(holder, ws, content)

        document = Document.objects.get(kind=DocumentKind.OTHER)
        assert document.agency == world.agency
        assert document.held_by_record is True  # off the Documents pages
        assert document.title == "Filled-in worksheet — Bidang A Quarter II 2025"
        version = document.versions.get()
        assert version.sha256 == hashlib.sha256(content).hexdigest()

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [("85,5", D("85.5")), ("1.234,5", D("1234.5")), ("85,5 %", D("85.5")), ("7", D(7))],
    )
    def test_numbers_typed_as_text_the_indonesian_way(self, world, holder, ws, typed, stored):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws),
            {world.cumulative.code: {"value": typed}},
        )

        apply(holder, ws, content)

        assert Entry.objects.get(row__indicator=world.cumulative).value == stored

    def test_a_percentage_typed_in_excel_reads_as_the_number_typed(self, world, holder, ws):
        """Excel keeps "85,5%" typed into a cell as 0.855 shown with a percent format."""

        def typed_as_percent(workbook):
            cell = workbook[SHEET]["E9"]  # the cumulative row's realisation
            cell.value = 0.855
            cell.number_format = "0.0%"

        content = edited(worksheet_workbook(scope=holder, worksheet=ws), typed_as_percent)

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)
        apply(holder, ws, content)

        assert changes_of(preview) == [(world.cumulative.code, "value", "–", "85,5")]
        assert Entry.objects.get(row__indicator=world.cumulative).value == D("85.5")

    def test_a_second_round_adds_the_next_version_and_shows_the_old_value(self, world, holder, ws):
        enter(holder, ws, world.cumulative, "10", analysis="Awal")
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 15}}
        )

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)
        apply(holder, ws, content)

        assert changes_of(preview) == [(world.cumulative.code, "value", "10", "15")]
        versions = list(
            Entry.objects.filter(row__indicator=world.cumulative).values_list(
                "version", "value", "analysis"
            )
        )
        assert versions == [(1, D(10), "Awal"), (2, D(15), "Awal")]

    def test_an_emptied_cell_empties_the_value(self, world, holder, ws):
        enter(holder, ws, world.cumulative, "10")
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": None}}
        )

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert changes_of(preview) == [(world.cumulative.code, "value", "10", "–")]

    def test_an_untouched_file_changes_nothing(self, world, holder, ws):
        enter(holder, ws, world.cumulative, "12.3456", analysis="Baris satu\r\nbaris dua")
        content = worksheet_workbook(scope=holder, worksheet=ws)

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert preview.changes == () and preview.problems == ()
        assert not preview.can_apply

    def test_the_ratio_of_an_indicator_that_defines_one(self, world, holder):
        Indicator.objects.filter(pk=world.last_value.pk).update(
            numerator_label="Koperasi sehat", denominator_label="Koperasi aktif"
        )
        ws = sheet_of(create(world), world.units[0])
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws),
            {world.last_value.code: {"value": 40, "numerator": 8, "denominator": "20"}},
        )

        apply(holder, ws, content)

        entry = Entry.objects.get(row__indicator=world.last_value)
        assert (entry.value, entry.numerator, entry.denominator) == (D(40), D(8), D(20))


class TestRefusedFiles:
    def refused(self, actor, ws, content) -> str:
        before = Entry.objects.count()
        with pytest.raises(ValidationFailed) as excinfo:
            worksheet_import_preview(actor=actor, worksheet=ws, content=content)
        with pytest.raises(ValidationFailed):
            apply(actor, ws, content)
        assert Entry.objects.count() == before
        return refusal(excinfo)

    def test_another_units_file(self, world, holder, collection, ws):
        other = sheet_of(collection, world.units[1])
        content = worksheet_workbook(scope=world.coordinator, worksheet=other)

        message = self.refused(holder, ws, content)

        assert message.startswith("This file is the worksheet of another unit (bidang-b)")

    def test_another_periods_file(self, world, holder, ws):
        tw3 = sheet_of(create(world, period="tw3"), world.units[0])
        content = worksheet_workbook(scope=holder, worksheet=tw3)

        message = self.refused(holder, ws, content)

        assert message.startswith(
            "This file is for another period (Quarter III 2025), not for Quarter II 2025."
        )

    def test_another_agencys_file(self, holder, ws, government):
        elsewhere = collection_world(AgencyFactory(government=government))
        theirs = sheet_of(create(elsewhere), elsewhere.units[0])
        content = worksheet_workbook(scope=elsewhere.coordinator, worksheet=theirs)

        message = self.refused(holder, ws, content)

        assert message.startswith("This file belongs to another agency")

    def test_a_file_of_a_replaced_collection(self, world, holder, collection, ws):
        content = worksheet_workbook(scope=holder, worksheet=ws)
        Collection.objects.filter(pk=collection.pk).update(archived_at=timezone.now())
        again = sheet_of(create(world), world.units[0])

        message = self.refused(holder, again, content)

        assert message.startswith("This file was made for another worksheet")

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (lambda wb: wb[SHEET].delete_rows(9), "The rows were changed at Kertas Kerja!A9"),
            (lambda wb: wb[SHEET].delete_rows(10), "The rows were changed at Kertas Kerja!A10"),
            (lambda wb: wb[SHEET].insert_rows(10), "The rows were changed at Kertas Kerja!A10"),
            (
                lambda wb: wb[SHEET].cell(row=11, column=1, value="IK-baru"),
                "Something was added below the worksheet's rows at Kertas Kerja!A11",
            ),
            (
                lambda wb: (
                    wb[SHEET].move_range("A9:K10", rows=1)
                    or wb[SHEET].move_range("A11:K11", rows=-2)
                ),
                "The rows were changed at Kertas Kerja!A9",
            ),
            (
                lambda wb: wb[SHEET].cell(row=8, column=5, value="Nilai"),
                "The header row was changed at Kertas Kerja!E8",
            ),
            (lambda wb: wb[SHEET].delete_cols(3), "The header row was changed at Kertas Kerja!C8"),
            (
                lambda wb: wb[SHEET].cell(row=8, column=12, value="Catatan"),
                "The header row was changed at Kertas Kerja!L8",
            ),
            (lambda wb: setattr(wb[SHEET], "title", "Data"), "The sheet Kertas Kerja is missing"),
            (lambda wb: wb.remove(wb["_kinerja"]), "The file has no Kinerja identification"),
            (
                lambda wb: wb["_kinerja"].cell(row=12, column=2, value=0),
                "The file's hidden identification was changed",
            ),
            (
                lambda wb: wb["_kinerja"].cell(row=5, column=2, value="bidang-b"),
                "The file's hidden identification was changed",
            ),
            (
                lambda wb: wb["_kinerja"].delete_rows(3),
                "The file's hidden identification was changed",
            ),
        ],
        ids=[
            "first-row-deleted",
            "last-row-deleted",
            "row-inserted",
            "row-added-below",
            "rows-reordered",
            "header-renamed",
            "column-deleted",
            "column-added",
            "sheet-renamed",
            "identification-removed",
            "version-altered",
            "unit-altered",
            "identification-damaged",
        ],
    )
    def test_a_changed_layout(self, world, holder, ws, change, expected):
        enter(holder, ws, world.last_value, "30")  # row 10 is at version 1
        content = edited(worksheet_workbook(scope=holder, worksheet=ws), change)

        assert self.refused(holder, ws, content).startswith(expected)

    @pytest.mark.parametrize(
        "content", [pdf(), b"bukan excel", xlsx_file()], ids=["pdf", "text", "another-xlsx"]
    )
    def test_not_the_worksheets_workbook(self, holder, ws, content):
        message = self.refused(holder, ws, content)

        assert message in (
            "The file is not an Excel workbook (.xlsx).",
            "This type of file is not accepted. Upload a PDF, PNG or JPEG file, "
            "a Word document (docx) or an Excel workbook (xlsx).",
        ) or message.startswith("The file has no Kinerja identification")

    def test_a_file_over_the_upload_limit(self, holder, ws, settings):
        content = worksheet_workbook(scope=holder, worksheet=ws)
        settings.KINERJA_MAX_UPLOAD_BYTES = len(content) - 1

        assert self.refused(holder, ws, content).startswith("The file is larger than the limit")


class TestCellProblems:
    def test_a_bad_number_is_reported_by_cell_and_nothing_is_applied(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws),
            {
                world.cumulative.code: {"value": 12},  # fine on its own
                world.last_value.code: {"value": "banyak", "analysis": "Lihat catatan"},
            },
        )

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert [(p.cell, p.code, p.message) for p in preview.problems] == [
            (
                "Kertas Kerja!E10",
                world.last_value.code,
                "Not a number: type it like 85,5 or 1.234,5.",
            )
        ]
        assert not preview.can_apply
        with pytest.raises(ValidationFailed) as excinfo:
            apply(holder, ws, content)
        assert excinfo.value.errors == {
            "Kertas Kerja!E10": ["Not a number: type it like 85,5 or 1.234,5."]
        }
        assert Entry.objects.count() == 0
        assert not Document.objects.exists()

    @pytest.mark.parametrize(
        ("field", "typed", "message"),
        [
            ("value", "12,34567", "Use at most 4 decimal places."),
            ("value", 1e17, "This number is too large."),
            ("value", "1,2,3", "Not a number: type it like 85,5 or 1.234,5."),
            (
                "numerator",
                5,
                "This indicator is not measured as a ratio; leave the numerator and "
                "denominator empty.",
            ),
            ("analysis", "x" * 4001, "Write at most 4.000 characters."),
        ],
    )
    def test_each_kind_of_bad_cell(self, world, holder, ws, field, typed, message):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {field: typed}}
        )

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert [(p.cell, p.message) for p in preview.problems] == [
            (f"Kertas Kerja!{COLUMN[field]}9", message)
        ]

    def test_a_row_changed_in_kinerja_after_the_download_is_a_problem(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws),
            {world.cumulative.code: {"value": 12}, world.last_value.code: {"value": 35}},
        )
        enter(world.coordinator, ws, world.cumulative, "11")  # in the web, after the download

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert [(p.cell, p.message) for p in preview.problems] == [
            (
                "Kertas Kerja!E9",
                "This row was changed in Kinerja after the file was downloaded (version 0, "
                "now 1). Download the file again and enter your change there.",
            )
        ]
        with pytest.raises(ValidationFailed):
            apply(holder, ws, content)
        assert list(Entry.objects.values_list("row__indicator", "value")) == [
            (world.cumulative.pk, D(11))
        ]

    def test_a_row_changed_in_kinerja_but_not_in_the_file_is_left_alone(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.last_value.code: {"value": 35}}
        )
        enter(world.coordinator, ws, world.cumulative, "11")

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)
        apply(holder, ws, content)

        assert changes_of(preview) == [(world.last_value.code, "value", "–", "35")]
        current = {
            v.row.indicator_id: v.current.value for v in worksheet_rows(scope=holder, worksheet=ws)
        }
        assert current == {world.cumulative.pk: D(11), world.last_value.pk: D(35)}

    def test_the_same_change_made_in_both_places_is_no_problem(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 11}}
        )
        enter(world.coordinator, ws, world.cumulative, "11")

        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)

        assert preview.problems == () and preview.changes == ()


class TestPermissions:
    def test_another_units_staff_get_not_found(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 1}}
        )
        head_b = scope_for(world.small.unit_heads[1].user)

        with pytest.raises(NotFound):
            worksheet_import_preview(actor=head_b, worksheet=ws, content=content)
        with pytest.raises(NotFound):
            worksheet_import_apply(
                actor=head_b, worksheet=ws, content=content, expected_revision=ws.revision
            )
        assert Entry.objects.count() == 0

    def test_a_submitted_worksheet_refuses_the_file(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 25}}
        )
        enter(holder, ws, world.cumulative, "20")
        enter(holder, ws, world.last_value, "40")
        worksheet_submit(actor=holder, worksheet=ws, expected_revision=fresh(ws).revision)

        with pytest.raises(ValidationFailed) as excinfo:
            worksheet_import_preview(actor=holder, worksheet=fresh(ws), content=content)
        with pytest.raises(ValidationFailed):
            apply(holder, fresh(ws), content)

        assert excinfo.value.message == (
            "This worksheet has been submitted; its data can no longer change."
        )
        assert Entry.objects.filter(version=2).count() == 0

    def test_a_data_holder_from_another_unit_may_change_only_their_rows(self, world, holder, ws):
        outside = staff(agency=world.agency, role_key=RoleKey.PEMEGANG_DATA, unit=world.units[1])
        employee = Employee.objects.get(user=outside)
        worksheet_row_data_holder_set(
            actor=world.coordinator,
            row=ws.rows.get(indicator=world.last_value),
            data_holder=employee,
        )
        theirs = scope_for(outside)
        content = filled(
            worksheet_workbook(scope=theirs, worksheet=fresh(ws)),
            {world.cumulative.code: {"value": 1}, world.last_value.code: {"value": 2}},
        )

        preview = worksheet_import_preview(actor=theirs, worksheet=fresh(ws), content=content)

        assert [(p.cell, p.message) for p in preview.problems] == [
            ("Kertas Kerja!E9", "Only the row's data holder or the unit may enter its data.")
        ]
        assert changes_of(preview) == [(world.last_value.code, "value", "–", "2")]

    def test_who_may_enter_no_row_is_denied(self, world, ws):
        reader = scope_for(staff(agency=world.agency, role_key=RoleKey.STAF, unit=world.units[0]))
        content = worksheet_workbook(scope=reader, worksheet=ws)

        with pytest.raises(AccessDenied):
            worksheet_import_preview(actor=reader, worksheet=ws, content=content)

    def test_a_worksheet_changed_after_the_preview_is_a_conflict(self, world, holder, ws):
        content = filled(
            worksheet_workbook(scope=holder, worksheet=ws), {world.cumulative.code: {"value": 3}}
        )
        preview = worksheet_import_preview(actor=holder, worksheet=ws, content=content)
        enter(holder, ws, world.last_value, "40")

        with pytest.raises(Conflict):
            worksheet_import_apply(
                actor=holder, worksheet=ws, content=content, expected_revision=preview.revision
            )
        assert Entry.objects.filter(row__indicator=world.cumulative).count() == 0


class TestQueryCount:
    def test_apply_takes_as_many_queries_for_100_rows_as_for_5(
        self, government, django_assert_num_queries
    ):
        def prepared(rows: int):
            world = collection_world(
                AgencyFactory(government=government), extra_indicators=2 * (rows - 2)
            )
            ws = sheet_of(create(world), world.units[0])
            assert ws.rows.count() == rows
            download = load(worksheet_workbook(scope=world.coordinator, worksheet=ws))
            for number in range(FIRST_ROW, FIRST_ROW + rows):
                download[SHEET][f"E{number}"] = number
                download[SHEET][f"H{number}"] = f"Penjelasan {number}"
            content = save(download)
            return world.coordinator, ws, content, fresh(ws).revision

        small, large = prepared(5), prepared(100)  # past SQLite's 90 rows per bulk insert
        with CaptureQueriesContext(connection) as counted:
            worksheet_import_apply(
                actor=small[0], worksheet=small[1], content=small[2], expected_revision=small[3]
            )
        assert Entry.objects.filter(row__worksheet=small[1]).count() == 5

        with django_assert_num_queries(len(counted.captured_queries)):
            worksheet_import_apply(
                actor=large[0], worksheet=large[1], content=large[2], expected_revision=large[3]
            )
        assert Entry.objects.filter(row__worksheet=large[1]).count() == 100
