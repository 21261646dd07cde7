"""The pure rules of the workbook round trip (no database)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.collection.domain.workbook_checks import (
    EMPTY,
    CellIssue,
    CellValueError,
    EntryData,
    Identity,
    LayoutIssue,
    LayoutProblem,
    Metadata,
    Mismatch,
    RowOutcome,
    entry_from_cells,
    identity_mismatch,
    is_percent_format,
    layout_problem,
    metadata_from_rows,
    metadata_rows,
    number_cell_value,
    number_from_cell,
    row_outcome,
)
from kinerja.core.domain.numbers import format_number

D = Decimal
IDENTITY = Identity(worksheet_id=7, agency="dinas-uji", unit="bidang-a", year=2025, period="tw2")
METADATA = Metadata(identity=IDENTITY, headers=("Kode", "Indikator"), rows=((11, 2), (12, 0)))


class TestNumbers:
    @pytest.mark.parametrize(
        ("cell", "number"),
        [
            (None, None),
            ("  ", None),
            (85, D(85)),
            (85.5, D("85.5")),
            (0.1, D("0.1")),
            (D("1.25"), D("1.25")),
            ("85,5", D("85.5")),
            ("1.234,5", D("1234.5")),
            ("85,5 %", D("85.5")),
            ("-3", D(-3)),
            ("12,50000", D("12.5")),
        ],
    )
    def test_numbers_and_indonesian_text(self, cell, number):
        assert number_from_cell(cell) == number

    @pytest.mark.parametrize(
        ("cell", "issue"),
        [
            ("banyak", CellIssue.NOT_A_NUMBER),
            ("1,2,3", CellIssue.NOT_A_NUMBER),
            (True, CellIssue.NOT_A_NUMBER),
            (datetime.date(2025, 1, 2), CellIssue.NOT_A_NUMBER),
            (float("nan"), CellIssue.NOT_A_NUMBER),
            ("1,23456", CellIssue.TOO_MANY_DECIMALS),
            (1 / 3, CellIssue.TOO_MANY_DECIMALS),
            (10**16, CellIssue.TOO_LARGE),
        ],
    )
    def test_what_is_not_a_storable_number(self, cell, issue):
        with pytest.raises(CellValueError) as excinfo:
            number_from_cell(cell)
        assert excinfo.value.issue is issue

    @given(st.decimals(min_value=-(10**15), max_value=10**15, places=4, allow_nan=False))
    def test_a_number_shown_the_indonesian_way_reads_back(self, number):
        assert number_from_cell(format_number(number)) == number


class TestPercentCells:
    """Excel keeps "85,5%" typed into a cell as 0.855 with a percent number format."""

    @pytest.mark.parametrize(
        ("number_format", "percent"),
        [
            ("0.0%", True),
            ("0%", True),
            ("#,##0.00%", True),
            ("[Red]0.0%", True),
            ("0.0%;[Red]-0.0%", True),
            ("General", False),
            ("0.00", False),
            ('0.0"%"', False),  # a literal percent sign: the value is shown as it is
            ("0.0\\%", False),
            ("0.0_%", False),
            ("", False),
            (None, False),
        ],
    )
    def test_which_formats_show_a_percentage(self, number_format, percent):
        assert is_percent_format(number_format) is percent

    @pytest.mark.parametrize(
        ("value", "number_format", "read"),
        [
            (0.855, "0.0%", D("85.5")),
            (1, "0%", D(100)),
            (0.1234, "0.00%", D("12.34")),
            (-0.05, "0%", D(-5)),
            (0.855, "General", 0.855),
            (0.855, '0.0"%"', 0.855),
            ("85,5 %", "0.0%", "85,5 %"),  # text is read the Indonesian way later
            (None, "0%", None),
            (True, "0%", True),
        ],
    )
    def test_a_percentage_reads_as_the_number_typed(self, value, number_format, read):
        found = number_cell_value(value, number_format)

        assert found == read and type(found) is type(read)

    def test_exactly_in_decimal(self):
        assert number_from_cell(number_cell_value(0.855, "0.0%")) == D("85.5")
        assert number_from_cell(number_cell_value(0.0001, "0.00%")) == D("0.01")


class TestRowCells:
    def test_texts_are_cleaned_and_numbers_read(self):
        cells = {"value": "85,5", "analysis": "  Baris satu\r\nbaris dua\x07 ", "obstacles": 12.0}

        data, issues = entry_from_cells(cells, has_ratio=True, base=EMPTY)

        assert issues == {}
        assert data == EntryData(value=D("85.5"), analysis="Baris satu\nbaris dua", obstacles="12")

    def test_without_a_ratio_the_ratio_cells_keep_the_base_and_must_stay_empty(self):
        base = EntryData(numerator=D(3))

        kept, issues = entry_from_cells({"value": 1}, has_ratio=False, base=base)
        refused, problems = entry_from_cells({"denominator": 4}, has_ratio=False, base=base)

        assert (kept, issues) == (EntryData(value=D(1), numerator=D(3)), {})
        assert (refused, problems) == (None, {"denominator": CellIssue.NO_RATIO})

    def test_a_long_text_is_refused_only_when_the_file_changes_it(self):
        long = "x" * 4001

        assert entry_from_cells({"analysis": long}, has_ratio=False, base=EMPTY)[1] == {
            "analysis": CellIssue.TEXT_TOO_LONG
        }
        assert (
            entry_from_cells({"analysis": long}, has_ratio=False, base=EntryData(analysis=long))[1]
            == {}
        )


class TestRowOutcome:
    V1, V2, V3 = EntryData(value=D(1)), EntryData(value=D(2)), EntryData(value=D(3))

    @pytest.mark.parametrize(
        ("new", "base", "current", "file_version", "current_version", "outcome"),
        [
            (V1, V1, V1, 1, 1, RowOutcome.UNCHANGED),  # untouched
            (V2, V1, V1, 1, 1, RowOutcome.CHANGED),
            (V1, V1, V2, 1, 2, RowOutcome.UNCHANGED),  # changed in Kinerja only: left alone
            (V3, V1, V2, 1, 2, RowOutcome.STALE),  # changed in both places
            (V2, V1, V2, 1, 2, RowOutcome.UNCHANGED),  # the same change in both places
            (V2, EMPTY, EMPTY, 0, 0, RowOutcome.CHANGED),
        ],
    )
    def test_outcomes(self, new, base, current, file_version, current_version, outcome):
        assert (
            row_outcome(
                new=new,
                base=base,
                current=current,
                file_version=file_version,
                current_version=current_version,
            )
            is outcome
        )

    def test_line_breaks_stored_by_the_web_are_no_change(self):
        stored = EntryData(analysis="satu\r\ndua ")

        assert (
            row_outcome(
                new=EntryData(analysis="satu\ndua"),
                base=stored,
                current=stored,
                file_version=1,
                current_version=1,
            )
            is RowOutcome.UNCHANGED
        )


class TestMetadata:
    def test_round_trip_through_the_sheet_rows(self):
        assert metadata_from_rows(metadata_rows(METADATA, "tanda")) == (METADATA, "tanda")

    def test_numbers_read_back_as_floats_are_accepted(self):
        rows = [
            [float(cell) if isinstance(cell, int) else cell for cell in row]
            for row in metadata_rows(METADATA, "tanda")
        ]

        assert metadata_from_rows(rows) == (METADATA, "tanda")

    @pytest.mark.parametrize(
        "damage",
        [
            lambda rows: rows[:3],
            lambda rows: [rows[1], rows[0], *rows[2:]],
            lambda rows: [*rows[:2], ["worksheet", "tujuh"], *rows[3:]],
            lambda rows: [*rows[:7], ["headers", "bukan json"], *rows[8:]],
            lambda rows: [*rows[:7], ["headers", '"Kode"'], *rows[8:]],
            lambda rows: [*rows[:8], ["tanda", "x"], *rows[9:]],
            lambda rows: [*rows[:10], ["sebelas", 2]],
        ],
    )
    def test_malformed_rows_give_none(self, damage):
        assert metadata_from_rows(damage(metadata_rows(METADATA, "tanda"))) is None

    def test_the_payload_covers_every_row_version(self):
        changed = Metadata(identity=IDENTITY, headers=METADATA.headers, rows=((11, 2), (12, 1)))

        assert changed.payload() != METADATA.payload()


class TestIdentity:
    @pytest.mark.parametrize(
        ("change", "mismatch"),
        [
            ({}, None),
            ({"agency": "lain", "unit": "bidang-b"}, Mismatch.AGENCY),
            ({"unit": "bidang-b", "year": 2024}, Mismatch.UNIT),
            ({"year": 2024}, Mismatch.PERIOD),
            ({"period": "tw3", "worksheet_id": 8}, Mismatch.PERIOD),
            ({"worksheet_id": 8}, Mismatch.WORKSHEET),
        ],
    )
    def test_the_broadest_difference_is_named(self, change, mismatch):
        found = replace(IDENTITY, **change)
        assert identity_mismatch(found, IDENTITY) is mismatch


class TestLayout:
    CODES = {11: "IK1", 12: "IK2"}
    HEADER = ("Kode", "Indikator")

    def problem(self, header=HEADER, body=(("IK1", "a"), ("IK2", "b")), codes=None):
        return layout_problem(
            metadata=METADATA, header=header, body=body, codes=codes or self.CODES
        )

    def test_as_downloaded(self):
        assert self.problem() is None
        assert self.problem(header=(" Kode ", "Indikator", None)) is None

    @pytest.mark.parametrize(
        ("kwargs", "expected"),
        [
            ({"header": ("Kode", "Nama")}, LayoutProblem(LayoutIssue.HEADER_CHANGED, -1, 2)),
            ({"header": ("Kode",)}, LayoutProblem(LayoutIssue.HEADER_CHANGED, -1, 2)),
            (
                {"header": ("Kode", "Indikator", "Catatan")},
                LayoutProblem(LayoutIssue.HEADER_CHANGED, -1, 3),
            ),
            ({"body": (("IK2", "b"), ("IK1", "a"))}, LayoutProblem(LayoutIssue.ROWS_CHANGED, 0, 1)),
            ({"body": (("IK1", "a"),)}, LayoutProblem(LayoutIssue.ROWS_CHANGED, 1, 1)),
            (
                {"body": (("IK1", "a"), ("IK2", "b"), (None, "baru"))},
                LayoutProblem(LayoutIssue.ROWS_ADDED, 2, 2),
            ),
            ({"codes": {11: "IK1"}}, LayoutProblem(LayoutIssue.UNKNOWN_ROW, 1, 1)),
        ],
    )
    def test_changes(self, kwargs, expected):
        assert self.problem(**kwargs) == expected
