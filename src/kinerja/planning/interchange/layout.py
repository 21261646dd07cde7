"""The workbook layout of the planning document: sheets, columns and their kinds.

Sheet names and column headers are part of the format (like the JSON keys) and
are therefore Indonesian and not translated. A nested list (team members, PK
lines with their Rencana Aksi, PK programmes) has its own sheet whose
`parent_columns` name the parent row.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from kinerja.organizations.models import (
    Agency,
    Assignment,
    Government,
    OrgUnit,
    RoleKey,
    Team,
    TeamMember,
)
from kinerja.planning.interchange.exporter import FORMAT
from kinerja.planning.models import Aggregation, Objective, PerformanceAgreement, Polarity

YES, NO, NONE = "ya", "tidak", "-"
QUARTERS = ((1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV"))


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"  # text, int, number, date, datetime, bool, nip
    choices: tuple[str, ...] = ()
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    title: str
    #: "units", or "parent_list.child_list" for a nested sheet
    path: str
    columns: tuple[Column, ...]
    #: for a nested sheet: the columns naming the parent row (keys of the parent item)
    parent_columns: tuple[Column, ...] = ()

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.parent_columns + self.columns


def _c(
    header: str, key: str, kind: str = "text", choices: Iterable[str] = (), width: int = 16
) -> Column:
    return Column(header, key, kind, tuple(choices), width)


def _target_columns(suffix: str = "", prefix: str = "") -> tuple[Column, ...]:
    return (
        _c(f"Target{suffix}", f"{prefix}value", "number", width=12),
        _c(f"Batas bawah{suffix}", f"{prefix}low", "number", width=12),
        _c(f"Batas atas{suffix}", f"{prefix}high", "number", width=12),
    )


AGREEMENT_KEY = (
    _c("Jabatan", "position"),
    _c("Tahun", "year", "int", width=8),
    _c("Versi", "version", "int", width=8),
)
TEAM_KEY = (
    _c("Jenis tim", "kind", choices=Team.Kind.values),
    _c("Nama tim", "name", width=30),
    _c("Tahun", "year", "int", width=8),
)
SHEETS = (
    Sheet(
        "Unit",
        "units",
        (
            _c("Kode", "code"),
            _c("Nama", "name", width=40),
            _c("Jenis", "kind", choices=OrgUnit.Kind.values),
            _c("Unit induk", "parent"),
            _c("Urutan", "sort_order", "int", width=8),
        ),
    ),
    Sheet(
        "Jabatan",
        "positions",
        (
            _c("Kode", "code"),
            _c("Nama jabatan", "title", width=40),
            _c("Peran", "role_key", choices=RoleKey.values),
            _c("Unit", "unit"),
            _c("Atasan langsung", "superior"),
            _c("Eselon", "echelon", width=8),
            _c("Urutan", "sort_order", "int", width=8),
        ),
    ),
    Sheet(
        "Pegawai",
        "employees",
        (
            _c("NIP", "nip", "nip", width=22),
            _c("Nama", "name", width=36),
            _c("Pangkat", "rank", width=24),
            _c("Golongan", "grade", width=10),
            _c("Email", "email", width=28),
        ),
    ),
    Sheet(
        "Penugasan",
        "assignments",
        (
            _c("NIP", "nip", "nip", width=22),
            _c("Jabatan", "position"),
            _c("Jenis", "kind", choices=Assignment.Kind.values),
            _c("Tanggal mulai", "start_date", "date", width=14),
            _c("Tanggal selesai", "end_date", "date", width=14),
            _c("Nomor SK", "decree_number", width=28),
        ),
    ),
    Sheet("Tim", "teams", (*TEAM_KEY, _c("Nomor SK", "decree_number", width=28))),
    Sheet(
        "Anggota Tim",
        "teams.members",
        (
            _c("NIP", "nip", "nip", width=22),
            _c("Peran", "role", choices=TeamMember.Role.values),
        ),
        parent_columns=TEAM_KEY,
    ),
    Sheet(
        "Tujuan",
        "goals",
        (
            _c("Kode", "code", width=10),
            _c("Tujuan", "statement", width=60),
            _c("Urutan", "sort_order", "int", width=8),
        ),
    ),
    Sheet(
        "Sasaran",
        "objectives",
        (
            _c("Kode", "code", width=10),
            _c("Sasaran", "statement", width=60),
            _c("Tingkat", "level", choices=Objective.Level.values),
            _c("Tujuan", "goal", width=10),
            _c("Sasaran induk", "parent", width=12),
            _c("Unit", "unit"),
            _c("Urutan", "sort_order", "int", width=8),
        ),
    ),
    Sheet(
        "Indikator",
        "indicators",
        (
            _c("Kode", "code", width=10),
            _c("Sasaran", "objective", width=10),
            _c("Indikator", "name", width=50),
            _c("Satuan", "unit_of_measure", width=10),
            _c("Polaritas", "polarity", choices=Polarity.values, width=12),
            _c("Agregasi", "aggregation", choices=Aggregation.values, width=12),
            _c("Definisi operasional", "definition", width=40),
            _c("Formula", "formula", width=30),
            _c("Pembilang", "numerator", width=24),
            _c("Penyebut", "denominator", width=24),
            _c("Sumber data", "data_source", width=24),
            _c("Unit penanggung jawab", "responsible_unit"),
            _c("IKU", "is_key", "bool", width=8),
            _c("Wajib bukti dukung", "evidence_required", "bool"),
            _c("Baseline", "baseline", "number", width=12),
            _c("Urutan", "sort_order", "int", width=8),
        ),
    ),
    Sheet(
        "Target Tahunan",
        "annual_targets",
        (
            _c("Indikator", "indicator", width=12),
            _c("Tahun", "year", "int", width=8),
            *_target_columns(),
        ),
    ),
    Sheet(
        "PK",
        "agreements",
        (
            *AGREEMENT_KEY,
            _c("Tanggal berlaku", "effective_date", "date", width=14),
            _c("Status", "status", choices=PerformanceAgreement.Status.values, width=10),
            _c("NIP pihak pertama", "holder_nip", "nip", width=22),
            _c("NIP pihak kedua", "superior_nip", "nip", width=22),
            _c("Tempat", "place"),
            _c("Alasan perubahan", "revision_reason", width=30),
            _c("Jabatan pihak pertama", "holder_title", width=36),
            _c("Jabatan pihak kedua", "superior_title", width=36),
            _c("Nama pihak kedua (bukan pegawai)", "superior_name", width=36),
            _c("NIP pihak kedua (bukan pegawai)", "superior_external_nip", "nip", width=22),
            _c("Waktu penandatanganan", "signed_at", "datetime", width=26),
        ),
    ),
    Sheet(
        "PK Indikator",
        "agreements.lines",
        (
            _c("Indikator", "indicator", width=12),
            *_target_columns(),
            *(
                column
                for number, name in QUARTERS
                for column in (
                    *_target_columns(f" {name}", f"q{number}."),
                    _c(f"Rencana aksi {name}", f"q{number}.action", width=30),
                )
            ),
            _c("Urutan", "sort_order", "int", width=8),
        ),
        parent_columns=AGREEMENT_KEY,
    ),
    Sheet(
        "PK Program",
        "agreements.programs",
        (
            _c("Program/kegiatan", "name", width=50),
            _c("Anggaran (Rp)", "budget", "number", width=18),
            _c("Urutan", "sort_order", "int", width=8),
        ),
        parent_columns=AGREEMENT_KEY,
    ),
    Sheet(
        "IKI",
        "individual_indicators",
        (
            _c("NIP", "nip", "nip", width=22),
            _c("Jabatan", "position"),
            _c("Tahun", "year", "int", width=8),
            _c("Jabatan atasan", "parent_position"),
            _c("Indikator atasan", "parent_indicator", width=12),
            _c("Versi PK atasan", "parent_version", "int", width=8),
            _c("Indikator kinerja individu", "name", width=50),
            _c("Satuan", "unit_of_measure", width=10),
            _c("Polaritas", "polarity", choices=Polarity.values, width=12),
            _c("Agregasi", "aggregation", choices=Aggregation.values, width=12),
            *_target_columns(),
            _c("Formula", "formula", width=30),
        ),
    ),
    Sheet(
        "Realisasi",
        "realizations",
        (
            _c("Indikator", "indicator", width=12),
            _c("Tahun", "year", "int", width=8),
            _c("Triwulan", "quarter", "int", width=8),
            _c("Realisasi", "value", "number", width=12),
            _c("Pembilang", "numerator", "number", width=12),
            _c("Penyebut", "denominator", "number", width=12),
        ),
    ),
)
IDENTITY_SHEET = "Identitas"
INSTRUCTIONS_SHEET = "Petunjuk"
#: (key, label, kind, choices) of the Identitas sheet
IDENTITY = (
    ("format", "Format berkas", "text", (FORMAT,)),
    ("version", "Versi format", "int", ()),
    ("government.code", "Kode pemerintah daerah", "text", ()),
    ("government.name", "Nama pemerintah daerah", "text", ()),
    ("government.level", "Tingkat", "text", tuple(Government.Level.values)),
    (
        "government.time_zone",
        "Zona waktu",
        "text",
        tuple(Government.TimeZone.values),
    ),
    ("government.parent_code", "Kode provinsi induk", "text", ()),
    ("government.capital", "Ibu kota (tempat penandatanganan)", "text", ()),
    ("agency.code", "Kode perangkat daerah", "text", ()),
    ("agency.name", "Nama perangkat daerah", "text", ()),
    ("agency.short_name", "Nama singkat", "text", ()),
    (
        "agency.kind",
        "Jenis perangkat daerah",
        "text",
        tuple(Agency.Kind.values),
    ),
    ("agency.is_coordinating", "Perangkat daerah koordinator", "bool", (YES, NO)),
    ("agency.address", "Alamat", "text", ()),
    ("agency.phone", "Telepon", "text", ()),
    ("agency.email", "Email", "text", ()),
    ("agency.website", "Situs web", "text", ()),
    ("strategic_plan.title", "Judul Renstra", "text", ()),
    ("strategic_plan.start_year", "Tahun awal Renstra", "int", ()),
    ("strategic_plan.end_year", "Tahun akhir Renstra", "int", ()),
    ("strategic_plan.decree_number", "Dasar hukum Renstra", "text", ()),
)
IDENTITY_HEADERS = ("Kunci", "Keterangan", "Nilai")
