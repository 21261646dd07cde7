"""The type of a file comes from its bytes: the accepted kinds pass, everything else fails."""

import io

import pytest

from kinerja.documents.domain import filetype
from tests.documents import samples


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.pdf(), filetype.PDF),
        (samples.png(), filetype.PNG),
        (samples.jpeg(), filetype.JPEG),
        (samples.docx_file(), filetype.DOCX),
        (samples.xlsx_file(), filetype.XLSX),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx"],
)
def test_accepted_files_are_recognised_from_their_content(content, expected):
    assert filetype.detect(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        samples.exe(),
        samples.plain_zip(),
        samples.macro_document(),
        samples.ooxml_without_main_part(),
        samples.ooxml_with_doctype(),
        b"PK\x03\x04 truncated, not a zip at all",
        b"<html><body>bukan pdf</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"Nama;Jabatan\nBudi;Kepala Bidang\n",
        b" %PDF-1.4 with something before the signature",
        b"",
    ],
    ids=[
        "exe",
        "zip-not-ooxml",
        "docm-macros",
        "ooxml-without-main-part",
        "content-types-with-doctype",
        "broken-zip",
        "html",
        "svg",
        "csv",
        "pdf-signature-not-at-start",
        "empty",
    ],
)
def test_other_files_are_refused(content):
    assert filetype.detect(io.BytesIO(content)) is None


def test_the_stream_is_left_at_the_start():
    stream = io.BytesIO(samples.docx_file())
    stream.seek(100)

    filetype.detect(stream)

    assert stream.tell() == 0


def test_a_pdf_named_exe_is_still_an_exe_and_an_exe_named_pdf_still_refused():
    # The name never enters the decision: only the bytes are given.
    assert filetype.detect(io.BytesIO(samples.exe())) is None
    assert filetype.detect(io.BytesIO(samples.pdf())) is filetype.PDF
