"""Small files of every kind, good and bad, made on the spot (nothing shipped)."""

import io
import zipfile

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)


def pdf(body: bytes = b"isi") -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + body + b"\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)


def docx_file() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Laporan kinerja triwulan I")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Rekap realisasi"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def plain_zip() -> bytes:
    return zip_of({"catatan.txt": "bukan dokumen office"})


def macro_document() -> bytes:
    """A docm: a zip whose main part is a macro-enabled Word document."""
    main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    return zip_of({"[Content_Types].xml": CONTENT_TYPES.format(main=main), "word/document.xml": ""})


def ooxml_without_main_part() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES.format(main="application/xml")})


def ooxml_with_doctype() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    text = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
        + CONTENT_TYPES.format(main=main).split("?>", 1)[1]
    )
    return zip_of({"[Content_Types].xml": text})


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def upload(content: bytes, name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(root) -> list:
    """Every file under a MEDIA_ROOT."""
    return [path for path in root.rglob("*") if path.is_file()]
