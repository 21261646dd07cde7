"""The workbook form of the document: round trip, cell-level problems, the template."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from kinerja.organizations.models import Agency
from kinerja.planning.interchange.exporter import planning_export
from kinerja.planning.interchange.files import planning_import_file, read_planning_file
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.interchange.layout import SHEETS
from kinerja.planning.interchange.workbook import (
    data_from_workbook,
    read_workbook,
    workbook_from_data,
)
from kinerja.planning.models import AnnualTarget, PerformanceAgreement
from tests.planning.interchange.conftest import EXAMPLE, row_counts

pytestmark = pytest.mark.django_db


def _bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(workbook: openpyxl.Workbook, sheet: str, header: str, row: int):
    ws = workbook[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    return ws.cell(row=row, column=column)


@pytest.fixture
def exported(example):
    planning_import(actor=None, data=example, dry_run=False)
    agency = Agency.objects.get(code="diskukm-sulteng")
    return planning_export(scope=None, agency=agency, year=2025)


def test_export_to_workbook_and_back_imports_as_a_no_op(exported):
    content = _bytes(workbook_from_data(exported))
    before = row_counts()

    report = planning_import_file(actor=None, content=content, dry_run=False)

    assert report.problems == []
    assert report.created == {}
    assert report.updated == {}
    assert row_counts() == before


def test_the_example_imports_from_a_workbook_into_an_empty_database(example):
    content = _bytes(workbook_from_data(json.loads(json.dumps(example, default=str))))

    report = planning_import_file(actor=None, content=content, dry_run=False)

    assert report.problems == []
    assert report.created["quarterly_targets"] == 16
    assert report.created["team_members"] == 3


def test_workbook_values_become_the_documents_values(exported):
    data, problems = data_from_workbook(io.BytesIO(_bytes(workbook_from_data(exported))))

    assert problems == []
    assert data["agency"]["code"] == "diskukm-sulteng"
    head = data["agreements"][0]
    assert head["superior_nip"] is None
    assert head["lines"][0]["quarters"][0] == {
        "quarter": 1,
        "value": Decimal(70),
        "action": "Pendataan koperasi yang belum melaksanakan RAT",
    }
    assert data["teams"][0]["members"][0] == {"nip": "197208151998032004", "role": "ketua"}
    assert data["assignments"][0]["start_date"] == "2022-03-01"


def test_the_second_party_and_the_signing_time_have_their_columns(exported):
    workbook = workbook_from_data(exported)

    assert _cell(workbook, "PK", "NIP pihak kedua", 2).value == "-"
    name = _cell(workbook, "PK", "Nama pihak kedua (bukan pegawai)", 2)
    assert name.value == "Drs. H. Abdul Rahman Tahir, M.Si."
    signed_at = _cell(workbook, "PK", "Waktu penandatanganan", 2)
    assert (signed_at.value, signed_at.number_format) == ("2025-01-02T10:00:00+08:00", "@")
    data, problems = data_from_workbook(io.BytesIO(_bytes(workbook)))
    assert problems == []
    head = data["agreements"][0]
    assert head["superior_name"] == "Drs. H. Abdul Rahman Tahir, M.Si."
    assert head["signed_at"] == "2025-01-02T10:00:00+08:00"


def test_a_signing_time_typed_as_a_date_time_cell_is_local_time(exported):
    workbook = workbook_from_data(exported)
    _cell(workbook, "PK", "Status", 3).value = "signed"
    # Excel keeps date-times as fractions of a day: a value a hair below the minute.
    typed = datetime.datetime(2025, 1, 3, 9, 29, 59, 999_600)
    _cell(workbook, "PK", "Waktu penandatanganan", 3).value = typed

    report = planning_import_file(actor=None, content=_bytes(workbook), dry_run=False)

    assert (report.problems, report.updated) == ([], {"agreements": 1})
    signed = PerformanceAgreement.objects.get(position__code="kabid-koperasi")
    assert signed.signed_at == datetime.datetime(2025, 1, 3, 1, 30, tzinfo=datetime.UTC)


def test_a_bad_cell_is_reported_at_its_cell_and_nothing_is_written(exported):
    workbook = workbook_from_data(exported)
    polarity = _cell(workbook, "Indikator", "Polaritas", 3)
    polarity.value = "naik"
    before = row_counts()

    report = planning_import_file(actor=None, content=_bytes(workbook), dry_run=False)

    assert [p.path for p in report.problems] == [f"Indikator!{polarity.coordinate}"]
    assert polarity.coordinate == "E3"
    assert row_counts() == before


def test_an_unreadable_cell_is_reported_together_with_the_other_problems(exported):
    workbook = workbook_from_data(exported)
    _cell(workbook, "Target Tahunan", "Target", 2).value = "tujuh puluh"
    _cell(workbook, "Jabatan", "Unit", 3).value = "bidang-x"

    report = planning_import_file(actor=None, content=_bytes(workbook), dry_run=False)

    assert [p.path for p in report.problems] == ["Target Tahunan!C2", "Jabatan!D3"]
    assert not report.applied


def test_indonesian_number_notation_is_read(exported):
    workbook = workbook_from_data(exported)
    _cell(workbook, "Target Tahunan", "Target", 2).value = "73,5"

    report = planning_import_file(actor=None, content=_bytes(workbook), dry_run=False)

    assert report.updated == {"annual_targets": 1}
    target = AnnualTarget.objects.get(indicator__code="IKU-1", year=2024)
    assert target.value == Decimal("73.5")


def test_a_quarter_problem_points_at_the_quarter_cell(exported):
    workbook = workbook_from_data(exported)
    cell = _cell(workbook, "PK Indikator", "Target TW IV", 3)
    cell.value = 100

    report = planning_import_file(actor=None, content=_bytes(workbook), dry_run=True)

    assert [p.path for p in report.problems] == ["PK Indikator!H3"]


def test_a_row_without_its_parent_row_is_reported(exported):
    workbook = workbook_from_data(exported)
    _cell(workbook, "PK Program", "Versi", 2).value = 5

    content = read_workbook(io.BytesIO(_bytes(workbook)))

    assert [p.path for p in content.problems] == ["PK Program!A2"]


def test_a_nip_stored_as_a_number_is_refused(exported):
    workbook = workbook_from_data(exported)
    _cell(workbook, "Pegawai", "NIP", 2).value = 1.99001012015031e17

    _data, problems = data_from_workbook(io.BytesIO(_bytes(workbook)))

    assert [p.path for p in problems] == ["Pegawai!A2"]


def test_unknown_columns_and_dates_as_text_are_handled(exported):
    workbook = workbook_from_data(exported)
    workbook["Unit"]["F1"] = "Warna"
    _cell(workbook, "Penugasan", "Tanggal mulai", 2).value = "2022-03-01"
    _cell(workbook, "Penugasan", "Tanggal selesai", 3).value = "30/06/2025"

    _data, problems = data_from_workbook(io.BytesIO(_bytes(workbook)))

    assert [p.path for p in problems] == ["Unit!F1", "Penugasan!E3"]


def test_the_template_has_every_sheet_with_headers_only():
    workbook = workbook_from_data({})

    assert workbook.sheetnames == ["Petunjuk", "Identitas", *(s.title for s in SHEETS)]
    indicators = workbook["Indikator"]
    assert indicators.max_row == 1
    assert indicators.freeze_panes == "A2"
    assert [c.value for c in indicators[1]][:6] == [
        "Kode",
        "Sasaran",
        "Indikator",
        "Satuan",
        "Polaritas",
        "Agregasi",
    ]
    lists = {str(dv.sqref): dv.formula1 for dv in indicators.data_validations.dataValidation}
    assert lists["E2:E1048576"] == '"higher,lower,range"'
    pk_lines = [c.value for c in workbook["PK Indikator"][1]]
    assert "Target TW III" in pk_lines
    assert "Rencana aksi TW IV" in pk_lines


def test_an_empty_template_reads_as_an_agency_less_document():
    data, problems = data_from_workbook(io.BytesIO(_bytes(workbook_from_data({}))))

    assert problems == []
    assert data["format"] == "kinerja-planning"
    assert "agency" not in data


def test_files_are_told_apart_by_their_content():
    example = EXAMPLE.read_bytes()

    assert read_planning_file(example).data["agency"]["code"] == "diskukm-sulteng"
    assert read_planning_file(b"{oops").problems[0].message
    assert read_planning_file(b"PK\x03\x04 broken").problems[0].path == ""
    assert read_planning_file(b"[1, 2]").data is None


def test_dates_are_written_as_dates(exported):
    workbook = workbook_from_data(exported)

    cell = _cell(workbook, "PK", "Tanggal berlaku", 2)
    assert cell.value == datetime.date(2025, 1, 2)
    assert cell.number_format == "yyyy-mm-dd"
