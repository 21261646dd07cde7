"""Which kind of file an upload is, judged from its bytes, never from its name.

Accepted: PDF, PNG, JPEG, and the Office Open XML documents Word and Excel
save (docx, xlsx). An OOXML file is a zip; it counts only when its
`[Content_Types].xml` names the main part of a document or a workbook, so any
other zip (and macro-enabled docm/xlsm) is refused. Everything else is refused
too, whatever its name says: a program renamed to `laporan.pdf` is still a
program.
"""

import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType(".pdf", "application/pdf")
PNG = FileType(".png", "image/png")
JPEG = FileType(".jpg", "image/jpeg")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ACCEPTED = (PDF, PNG, JPEG, DOCX, XLSX)

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
_ZIP_SIGNATURE = b"PK\x03\x04"
_CONTENT_TYPES_PART = "[Content_Types].xml"
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
#: the content type of the main part → the document it makes
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
#: a real [Content_Types].xml is a few kilobytes; a larger one is not worth parsing
_MAX_CONTENT_TYPES_BYTES = 256 * 1024


def detect(stream: IO[bytes]) -> FileType | None:
    """The accepted type of the file in `stream` (seekable), or None when it is not one.

    Reads from the start and leaves the stream positioned at the start again.
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    for signature, file_type in _SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head.startswith(_ZIP_SIGNATURE):
        found = _ooxml_type(stream)
        stream.seek(0)
        return found
    return None


def _ooxml_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            info = archive.getinfo(_CONTENT_TYPES_PART)
            if info.file_size > _MAX_CONTENT_TYPES_BYTES or info.flag_bits & 0x1:
                return None
            content_types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return _main_part_type(content_types)


def _main_part_type(content_types: bytes) -> FileType | None:
    if b"<!DOCTYPE" in content_types.upper():
        return None  # entity tricks have no place in a content-types part
    try:
        root = ElementTree.fromstring(content_types)
    except ElementTree.ParseError:
        return None
    for override in root.iter(f"{_CONTENT_TYPES_NS}Override"):
        found = _OOXML_MAIN_PARTS.get(override.get("ContentType", ""))
        if found is not None:
            return found
    return None
