"""Generated documents: every kind's fields reach the HTML under the kop; the PDF is a PDF."""

import hashlib

import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape

from kinerja.core.errors import AccessDenied, ValidationFailed
from kinerja.documents import generators, services
from kinerja.documents.models import Document, DocumentKind

pytestmark = pytest.mark.django_db

SIGNATORY = {
    "penandatangan_jabatan": "Kepala Dinas Koperasi dan UKM",
    "penandatangan_nama": "Dr. Hj. Asnidar Hasyim, M.Si",
    "penandatangan_nip": "197704151996122001",
}
LETTER = {
    "tanggal": "2026-08-17",
    "sifat": "Segera",
    "lampiran": "1 (satu) berkas",
    "perihal": "Penyampaian Rekap Data Kinerja TW II",
    "kepada": "Kepala BAPPEDA Provinsi Sulawesi Tengah\nKepala Biro Organisasi",
    "tembusan": "Gubernur Sulawesi Tengah",
    **SIGNATORY,
}
#: kind → the fields filled in, and texts that must appear in the HTML
FILLED: dict[str, tuple[dict[str, str], list[str]]] = {
    "disposisi": (
        {
            "surat_dari": "Biro Organisasi Setda",
            "nomor_surat": "061/245/RO/2026",
            "tanggal_surat": "2026-08-10",
            "perihal": "Permintaan data kinerja",
            "sifat": "Penting",
            "dari": "Kepala Dinas",
            "kepada": "Sekretaris\nKasubbag Program",
            "isi": "Segera siapkan rekap\ndan laporkan",
            "tanggal": "2026-08-17",
        },
        [
            "LEMBAR DISPOSISI",
            "Biro Organisasi Setda",
            "061/245/RO/2026",
            "10 Agustus 2026",
            "Permintaan data kinerja",
            "Penting",
            "Kepala Dinas",
            "Sekretaris",
            "Kasubbag Program",
            "Segera siapkan rekap<br>dan laporkan",
            "17 Agustus 2026",
        ],
    ),
    "surat": (
        {**LETTER, "isi": "Bersama ini kami sampaikan rekap data kinerja."},
        [
            "Palu, 17 Agustus 2026",
            "Segera",
            "1 (satu) berkas",
            "Penyampaian Rekap Data Kinerja TW II",
            "Kepala BAPPEDA Provinsi Sulawesi Tengah",
            "Kepala Biro Organisasi",
            "Bersama ini kami sampaikan rekap data kinerja.",
            "Kepala Dinas Koperasi dan UKM",
            "Dr. Hj. Asnidar Hasyim, M.Si",
            "NIP. 19770415 199612 2 001",
            "Tembusan",
            "Gubernur Sulawesi Tengah",
        ],
    ),
    "undangan": (
        {
            **LETTER,
            "perihal": "Undangan Rapat Evaluasi Kinerja",
            "hari_tanggal": "2026-08-24",
            "waktu": "09.00 WITA s.d. selesai",
            "tempat": "Ruang Rapat Kepala Dinas",
            "acara": "Evaluasi capaian kinerja TW II",
        },
        [
            "Undangan Rapat Evaluasi Kinerja",
            "Senin, 24 Agustus 2026",
            "09.00 WITA s.d. selesai",
            "Ruang Rapat Kepala Dinas",
            "Evaluasi capaian kinerja TW II",
            "mengundang",
        ],
    ),
    "notula": (
        {
            "rapat": "Rapat Pembahasan Rencana Aksi",
            "tanggal": "2026-08-17",
            "waktu": "10.00 WITA",
            "tempat": "Aula Dinas",
            "pimpinan": "Sekretaris Dinas",
            "pencatat": "Fungsional Umum",
            "peserta": "Kepala Bidang Koperasi\nKepala UPT",
            "pembahasan": "Target TW III disesuaikan",
            "kesimpulan": "Rencana aksi disepakati",
        },
        [
            "NOTULA RAPAT",
            "Rapat Pembahasan Rencana Aksi",
            "Senin, 17 Agustus 2026",
            "10.00 WITA",
            "Aula Dinas",
            "Sekretaris Dinas",
            "Fungsional Umum",
            "Kepala Bidang Koperasi",
            "Kepala UPT",
            "Target TW III disesuaikan",
            "Rencana aksi disepakati",
        ],
    ),
    "daftar_hadir": (
        {
            "acara": "Sosialisasi SAKIP",
            "tanggal": "2026-08-17",
            "waktu": "08.00 WITA",
            "tempat": "Aula Dinas",
            "peserta": "Budi Santoso | Kepala Bidang UKM\nSiti Aminah | Pengelola Program",
        },
        [
            "DAFTAR HADIR",
            "Sosialisasi SAKIP",
            "Aula Dinas",
            "Budi Santoso",
            "Kepala Bidang UKM",
            "Siti Aminah",
            "Pengelola Program",
            "Tanda tangan",
        ],
    ),
    "lembar_persetujuan": (
        {
            "judul_dokumen": "Laporan Kinerja Instansi Pemerintah (LKjIP) 2025",
            "pernyataan": "Telah diperiksa dan disetujui untuk disampaikan.",
            "tanggal": "2026-08-17",
            **SIGNATORY,
        },
        [
            "LEMBAR PERSETUJUAN",
            "Laporan Kinerja Instansi Pemerintah (LKjIP) 2025",
            "Telah diperiksa dan disetujui untuk disampaikan.",
            "Dr. Hj. Asnidar Hasyim, M.Si",
        ],
    ),
    "surat_perintah_tugas": (
        {
            "tanggal": "2026-08-17",
            "dasar": "Peraturan Presiden Nomor 29 Tahun 2014 tentang SAKIP",
            "kepada": "Andi Wijaya | 198001012005011001 | Analis Kebijakan",
            "untuk": "Menghimpun data kinerja triwulan II",
            **SIGNATORY,
        },
        [
            "SURAT PERINTAH TUGAS",
            "Peraturan Presiden Nomor 29 Tahun 2014 tentang SAKIP",
            "Andi Wijaya",
            "19800101 200501 1 001",
            "Analis Kebijakan",
            "Menghimpun data kinerja triwulan II",
            "MEMERINTAHKAN",
        ],
    ),
}


def test_every_generated_kind_has_a_filled_example():
    assert set(FILLED) == set(generators.LAYOUTS)


@pytest.mark.parametrize("kind", sorted(FILLED))
def test_the_fields_appear_in_the_html_under_the_kop(kind, agency):
    agency.government.name = "Provinsi Sulawesi Tengah"
    agency.government.capital = "Palu"
    agency.name = "Dinas Koperasi dan UKM Provinsi Sulawesi Tengah"
    agency.address = "Jl. Prof. Moh. Yamin No. 43, Palu"
    agency.phone = "(0451) 421234"
    layout = generators.LAYOUTS[kind]
    fields, expected = FILLED[kind]
    document = Document(agency=agency, kind=kind, title="Uji", number="123/DKUKM/VIII/2026")

    with translation.override("en"):  # the document is Indonesian whatever the user reads
        html = generators.render_html(
            layout=layout,
            document=document,
            values=generators.clean_values(layout, fields),
            today=agency.created_at.date(),
        )

    assert "PEMERINTAH PROVINSI SULAWESI TENGAH" in html
    assert "DINAS KOPERASI DAN UKM PROVINSI SULAWESI TENGAH" in html
    assert "Jl. Prof. Moh. Yamin No. 43, Palu" in html and "(0451) 421234" in html
    for text in expected:
        assert text in html or escape(text) in html, text


def test_user_text_is_escaped(agency):
    layout = generators.LAYOUTS["disposisi"]
    values = generators.clean_values(
        layout,
        {
            "dari": '<img src="http://evil.example/x">',
            "kepada": "A",
            "isi": "B",
            "tanggal": "2026-01-02",
        },
    )

    html = generators.render_html(
        layout=layout,
        document=Document(agency=agency, kind="disposisi", title="x"),
        values=values,
        today=agency.created_at.date(),
    )

    assert "<img" not in html
    assert "&lt;img" in html


def test_an_empty_attendance_list_has_blank_rows_to_sign(agency):
    layout = generators.LAYOUTS["daftar_hadir"]
    values = generators.clean_values(
        layout, {"acara": "Rapat", "tanggal": "2026-01-02", "tempat": "Aula"}
    )

    html = generators.render_html(
        layout=layout,
        document=Document(agency=agency, kind="daftar_hadir", title="x"),
        values=values,
        today=agency.created_at.date(),
    )

    assert html.count('<td class="no">') == generators.BLANK_ATTENDANCE_ROWS


def test_missing_long_and_bad_values_are_named():
    layout = generators.LAYOUTS["notula"]
    fields = {"rapat": "x" * (generators.TEXT_MAX + 1), "tanggal": "17-08-2026", "waktu": " "}

    with pytest.raises(ValidationFailed) as caught:
        generators.clean_values(layout, fields)

    errors = caught.value.errors
    assert {"rapat", "tanggal", "waktu", "tempat", "pimpinan", "peserta"} <= set(errors)
    assert "pencatat" not in errors  # optional


def test_a_kind_without_a_template_cannot_be_generated():
    with pytest.raises(ValidationFailed):
        generators.layout_for(DocumentKind.SK)


class TestGenerate:
    @time_machine.travel("2026-08-17 09:00 +08:00", tick=False)
    def test_the_pdf_is_stored_as_a_generated_version_with_its_number(
        self, member, member_scope, agency, media_root
    ):
        agency.short_name = "Dinas Koperasi dan UKM"
        agency.save()
        fields, _expected = FILLED["surat"]

        document = services.document_generate(
            actor=member_scope,
            agency=agency,
            kind="surat",
            title="Penyampaian Rekap TW II",
            fields=fields,
        )

        version = document.versions.get()
        content = (media_root / version.file.name).read_bytes()
        assert content.startswith(b"%PDF")
        assert version.generated is True
        assert version.content_type == "application/pdf"
        assert version.sha256 == hashlib.sha256(content).hexdigest()
        assert version.size == len(content)
        assert version.original_name == "penyampaian-rekap-tw-ii.pdf"
        assert version.file.name.endswith(".pdf")
        assert document.number == "001/DKUKM/VIII/2026"
        assert document.current_version == 1 and document.created_by == member

    def test_without_number_the_document_stays_unnumbered(self, member_scope, agency):
        fields, _expected = FILLED["notula"]

        document = services.document_generate(
            actor=member_scope,
            agency=agency,
            kind="notula",
            title="Notula rapat",
            fields=fields,
            number=False,
        )

        assert document.number == ""
        assert document.versions.get().file.read().startswith(b"%PDF")

    def test_bad_fields_store_nothing(self, member_scope, agency, media_root):
        with pytest.raises(ValidationFailed) as caught:
            services.document_generate(
                actor=member_scope, agency=agency, kind="surat", title="Surat", fields={}
            )

        assert "perihal" in caught.value.errors
        assert Document.objects.count() == 0
        assert list(media_root.rglob("*.pdf")) == []

    def test_staff_of_another_agency_may_not_generate(self, outsider_scope, agency):
        fields, _expected = FILLED["disposisi"]

        with pytest.raises(AccessDenied):
            services.document_generate(
                actor=outsider_scope, agency=agency, kind="disposisi", title="D", fields=fields
            )
