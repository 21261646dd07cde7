"""SOP definitions to render: a short one (seed 001) and a long one shaped like seed 004."""

from decimal import Decimal

import pytest

from kinerja.workflow.domain.definition import (
    Actor,
    Duration,
    DurationUnit,
    Identity,
    Signatory,
    SopDefinition,
    Step,
    StepKind,
)

IDENTITY = Identity(
    number="020/800.1.5.1/16/1-2025",
    name="Pengumpulan Data Kinerja",
    agency_name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pematangsiantar",
    made_on="2025-01-06",
    approved_by=Signatory(
        title="Kepala Dinas",
        name="SOEFIE M. SARAGIH, S.STP. M.Si",
        nip="197704151996122001",
        rank="Pembina Utama Muda",
    ),
    legal_basis=(
        "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi"
        " Pemerintah",
        "Peraturan Walikota Nomor 27 Tentang Susunan Organisasi Tugas Dan Fungsi",
    ),
    qualifications=("Memiliki kemampuan pengolahan data",),
    related_sops=("SOP Surat Keluar", "SOP Penyusunan Laporan Kinerja"),
    equipment=("Komputer dan Kelengkapan", "ATK"),
    warning="Jika SOP tidak dilaksanakan maka penyusunan LAKIP tidak maksimal.",
    records=("Disimpan sebagai data elektronik dan manual",),
)


def minutes(value: str, unit: DurationUnit = DurationUnit.MINUTE) -> Duration:
    return Duration(Decimal(value), unit)


@pytest.fixture
def short_sop() -> SopDefinition:
    """Seed 001: seven steps, four actors, no decision."""
    actors = (
        Actor("kepala_dinas", "Kepala Dinas", role_key="kepala_dinas"),
        Actor("sekretaris", "Sekretaris", role_key="sekretaris"),
        Actor("tim_sakip", "Tim SAKIP", team="tim_sakip"),
        Actor("pemegang_data", "Pemegang Data", role_key="pemegang_data", each_unit=True),
    )
    rows = [
        ("Memerintahkan untuk melakukan pengumpulan data", "kepala_dinas", StepKind.START,
         ("Perjanjian Kinerja", "Rencana Aksi"), minutes("15"), ("Disposisi",)),
        ("Mempersiapkan kertas kerja pengumpulan data", "sekretaris", StepKind.TASK,
         ("Disposisi", "kertas kerja"), minutes("1", DurationUnit.DAY),
         ("Undangan", "Kertas Kerja")),
        ("Menyusun jadwal dan penentuan penanggung jawab data", "tim_sakip", StepKind.TASK,
         ("Undangan", "kertas kerja"), minutes("1", DurationUnit.DAY),
         ("Daftar Hadir", "Notula", "Surat Tugas")),
        ("Mempersiapkan data laporan kinerja", "pemegang_data", StepKind.TASK,
         ("Kertas Kerja",), minutes("2", DurationUnit.DAY), ("Draft Laporan",)),
        ("Menyusun dan menganalisa data laporan kinerja", "tim_sakip", StepKind.TASK,
         ("Undangan", "kertas kerja", "laporan"), minutes("1.5", DurationUnit.HOUR),
         ("Daftar Hadir", "Notula")),
        ("Meminta persetujuan Kepala Dinas", "sekretaris", StepKind.TASK,
         ("Draft Laporan",), minutes("1", DurationUnit.DAY), ("Lembar Persetujuan",)),
        ("Menandatangani lembar persetujuan", "kepala_dinas", StepKind.END,
         ("Lembar Persetujuan",), minutes("1", DurationUnit.DAY), ("Laporan",)),
    ]  # fmt: skip
    steps = tuple(
        Step(number=i, activity=a, actor=who, kind=kind, inputs=ins, duration=d, outputs=outs)
        for i, (a, who, kind, ins, d, outs) in enumerate(rows, start=1)
    )
    return SopDefinition(
        code="pengumpulan-data-kinerja", version=1, identity=IDENTITY, actors=actors, steps=steps
    )


KASUBBAG = "Kepala Sub Bagian Program, Keuangan dan Aset"
DRAFT = "Rancangan Surat Perihal Pengumpulan Data Kinerja"


def _check(subject: str, back_to: str, forward_to: str) -> str:
    return (
        f"Memeriksa dan Mengoreksi {subject}, Jika Terdapat Kekeliruan Akan Dikembalikan Kepada"
        f" {back_to} Untuk Diperbaiki dan Jika Tidak Akan Diteruskan Kepada {forward_to}"
    )


@pytest.fixture
def long_sop() -> SopDefinition:
    """Seed 004's Pengumpulan Data Kinerja: 24 steps, six actors, six decisions."""
    actors = (
        Actor("kepala_dinas", "Kepala Dinas", role_key="kepala_dinas"),
        Actor("sekretaris", "Sekretaris", role_key="sekretaris"),
        Actor("kasubbag", KASUBBAG, role_key="kasubbag_program"),
        Actor("fungsional", "Fungsional Umum", role_key="fungsional_umum"),
        Actor("bidang", "Bidang/UPT Balai Pelatihan", role_key="pemegang_data", each_unit=True),
        Actor("pd_terkait", "Perangkat Daerah Terkait (BAPPEDA dan Biro Organisasi)",
              external=True),
    )  # fmt: skip
    recap = "Rekapitulasi Data Kinerja"
    cover = "Rancangan Surat Pengantar Rekapitulasi Data Kinerja"
    spec = [
        # activity, actor, kind, yes, no, inputs, duration, outputs
        ("Memerintahkan kepada Sekretaris Untuk Memulai Proses Pengumpulan Data Kinerja",
         "kepala_dinas", StepKind.START, None, None, ("Dokumen Pelaksanaan Anggaran",),
         minutes("5"), ("Disposisi",)),
        (f"Memerintahkan Kepada {KASUBBAG} Untuk Melaksanakan Persiapan Pengumpulan Data Kinerja",
         "sekretaris", StepKind.TASK, None, None, ("Disposisi",), minutes("5"), ("Disposisi",)),
        (f"Menugaskan Kepada Fungsional Umum Untuk Menyusun {DRAFT}", "kasubbag", StepKind.TASK,
         None, None, ("Disposisi",), minutes("10"), ("Surat Perintah Tugas",)),
        (f"Menyusun {DRAFT}, Kemudian Menyerahkan Rancangan Surat Tersebut Kepada {KASUBBAG}"
         " Untuk Dikoreksi", "fungsional", StepKind.TASK, None, None,
         ("Surat Perintah Tugas", "Peraturan Perundang-undangan Terkait"), minutes("240"),
         ("Rancangan Surat Pengumpulan Data Kinerja",)),
        (_check(DRAFT, "Fungsional Umum", "Sekretaris Untuk Dikoreksi"), "kasubbag",
         StepKind.DECISION, 6, 4, ("Rancangan Surat Pengumpulan Data Kinerja",), minutes("10"),
         ("Rancangan Surat Pengumpulan Data Kinerja",)),
        (_check(DRAFT, KASUBBAG, "Kepala Dinas Untuk Memperoleh Pengesahan"), "sekretaris",
         StepKind.DECISION, 7, 5, ("Rancangan Surat Pengumpulan Data Kinerja",), minutes("10"),
         ("Rancangan Surat Pengumpulan Data Kinerja",)),
        ("Mengesahkan Rancangan Surat Perihal Pengumpulan Data Kinerja dan Kemudian"
         " Memerintahkan Sekretaris Untuk Melaksanakan Pengumpulan Data Kinerja", "kepala_dinas",
         StepKind.TASK, None, None, ("Rancangan Surat Pengumpulan Data Kinerja",), minutes("5"),
         ("Surat Pengumpulan Data Kinerja", "Disposisi")),
        (f"Memerintahkan Kepada {KASUBBAG} Untuk Meneruskan Surat Perihal Pengumpulan Data"
         " Kinerja", "sekretaris", StepKind.TASK, None, None,
         ("Surat Pengumpulan Data Kinerja", "Disposisi"), minutes("5"),
         ("Surat Pengumpulan Data Kinerja", "Disposisi")),
        ("Menugaskan Kepada Fungsional Umum Untuk Menyampaikan Surat Perihal Pengumpulan Data"
         " Kinerja Kepada Kepala Bidang/Kepala UPT Balai Pelatihan", "kasubbag", StepKind.TASK,
         None, None, ("Surat Pengumpulan Data Kinerja", "Disposisi"), minutes("10"),
         ("Surat Pengumpulan Data Kinerja", "Surat Perintah Tugas")),
        ("Menyampaikan Surat Perihal Pengumpulan Data Kinerja Kepada Kepala Bidang/Kepala UPT"
         " Balai Pelatihan", "fungsional", StepKind.TASK, None, None,
         ("Surat Pengumpulan Data Kinerja", "Surat Perintah Tugas"), minutes("60"),
         ("Surat Pengumpulan Data Kinerja",)),
        (f"Melakukan Pengukuran Data Kinerja dan Kemudian Menyampaikan Hasilnya Kepada {KASUBBAG}"
         " melalui Fungsional Umum", "bidang", StepKind.TASK, None, None,
         ("Surat Pengumpulan Data Kinerja",), minutes("2400"), ("Data Kinerja",)),
        (f"Mengumpulkan dan Membuat {recap} Dari Bidang/UPT Balai Pelatihan serta Menyampaikan"
         f" Kepada {KASUBBAG} Untuk Dikoreksi", "fungsional", StepKind.TASK, None, None,
         ("Data Kinerja",), minutes("2", DurationUnit.DAY), (recap,)),
        (_check(recap, "Fungsional Umum", "Sekretaris Untuk Dikoreksi"), "kasubbag",
         StepKind.DECISION, 14, 12, (recap,), minutes("1.5", DurationUnit.HOUR), (recap,)),
        (_check(recap, KASUBBAG, "Kepala Dinas Untuk Memperoleh Pengesahan"), "sekretaris",
         StepKind.DECISION, 15, 13, (recap,), minutes("60"), (recap,)),
        (f"Mengesahkan {recap} dan Kemudian Memerintahkan Sekretaris Untuk Memulai Proses"
         f" Penyampaian {recap} Kepada Perangkat Daerah Terkait", "kepala_dinas", StepKind.TASK,
         None, None, (recap,), minutes("5"), (recap, "Disposisi")),
        (f"Memerintahkan Kepada {KASUBBAG} Untuk Menyampaikan {recap} Kepada Perangkat Daerah"
         " Terkait", "sekretaris", StepKind.TASK, None, None, (recap, "Disposisi"), minutes("5"),
         (recap, "Disposisi")),
        (f"Menugaskan Kepada Fungsional Umum Untuk Menyusun {cover}", "kasubbag", StepKind.TASK,
         None, None, (recap, "Disposisi"), minutes("10"), (recap, "Surat Perintah Tugas")),
        (f"Menyusun {cover}, Kemudian Menyerahkan Rancangan Surat Tersebut Kepada {KASUBBAG}"
         " Untuk Dikoreksi", "fungsional", StepKind.TASK, None, None,
         (recap, "Surat Perintah Tugas"), minutes("240"), (cover,)),
        (_check(cover, "Fungsional Umum", "Sekretaris Untuk Dikoreksi"), "kasubbag",
         StepKind.DECISION, 20, 18, (cover,), minutes("10"), (cover,)),
        (_check(cover, KASUBBAG, "Kepala Dinas Untuk Memperoleh Pengesahan"), "sekretaris",
         StepKind.DECISION, 21, 19, (cover,), minutes("10"), (cover,)),
        (f"Mengesahkan {cover} dan Kemudian Memerintahkan Sekretaris Untuk Menyampaikannya"
         " Kepada Perangkat Daerah Terkait", "kepala_dinas", StepKind.TASK, None, None,
         (cover,), minutes("5"), ("Surat Pengantar Rekapitulasi Data Kinerja", "Disposisi")),
        (f"Memerintahkan Kepada {KASUBBAG} Untuk Menyampaikan Surat Pengantar {recap} Kepada"
         " Perangkat Daerah Terkait", "sekretaris", StepKind.TASK, None, None,
         ("Surat Pengantar Rekapitulasi Data Kinerja", "Disposisi"), minutes("5"),
         ("Surat Pengantar Rekapitulasi Data Kinerja", "Disposisi")),
        (f"Menyampaikan Surat Pengantar {recap} Kepada Perangkat Daerah Terkait", "fungsional",
         StepKind.TASK, None, None, ("Surat Pengantar Rekapitulasi Data Kinerja", "Disposisi"),
         minutes("480"), ("Surat Pengantar Rekapitulasi Data Kinerja",)),
        (f"Menghimpun {recap} Dari Seluruh Perangkat Daerah", "pd_terkait", StepKind.END, None,
         None, ("Surat Pengantar Rekapitulasi Data Kinerja",), minutes("480"), (recap,)),
    ]  # fmt: skip
    steps = tuple(
        Step(
            number=i, activity=a, actor=who, kind=kind, yes=yes, no=no,
            inputs=ins, duration=d, outputs=outs,
        )
        for i, (a, who, kind, yes, no, ins, d, outs) in enumerate(spec, start=1)
    )  # fmt: skip
    identity = Identity(
        number="800/123/DISKOP-UKM/2024",
        name="Pengumpulan Data Kinerja",
        agency_name="Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Sulawesi Tengah",
        made_on="2024-01-02",
        effective_on="2024-01-15",
        approved_by=Signatory(title="Kepala Dinas", name="Dr. RICHARD ARNALDO DJANGGOLA"),
    )
    return SopDefinition(
        code="pengumpulan-data-kinerja", version=1, identity=identity, actors=actors, steps=steps
    )
