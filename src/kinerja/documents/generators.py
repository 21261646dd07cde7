"""Simple official documents rendered to PDF: disposisi, surat, undangan, notula, daftar
hadir, lembar persetujuan and surat perintah tugas.

Each kind is a `Layout`: the fields a user fills in and an HTML template under
`documents/generated/` that puts them under the agency's letterhead (kop).
The HTML is rendered in Indonesian whatever the user's language (these are
naskah dinas, not screens) and turned into PDF by WeasyPrint, which may fetch
nothing from outside.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.errors import ValidationFailed
from kinerja.documents.models import Document, DocumentKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_MAX = 300
LONG_TEXT_MAX = 10_000
#: an empty attendance list is printed with this many numbered rows to sign
BLANK_ATTENDANCE_ROWS = 20


class FieldType(Enum):
    TEXT = "text"  # one line
    PARAGRAPHS = "paragraphs"  # free text, line breaks kept
    LINES = "lines"  # one item per line (a numbered list)
    ROWS = "rows"  # one row per line, columns separated by "|"
    DATE = "date"  # ISO date, yyyy-mm-dd


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: "StrOrPromise"
    type: FieldType = FieldType.TEXT
    required: bool = True
    columns: int = 1
    help_text: "StrOrPromise" = ""


@dataclass(frozen=True)
class Layout:
    kind: str
    fields: tuple[FieldSpec, ...]
    #: whether the generate form offers a number straight away
    numbered_by_default: bool = False

    @property
    def template(self) -> str:
        return f"documents/generated/{self.kind}.html"


_SIGNATORY = (
    FieldSpec("penandatangan_jabatan", gettext_lazy("Signatory's position")),
    FieldSpec("penandatangan_nama", gettext_lazy("Signatory's name")),
    FieldSpec("penandatangan_nip", gettext_lazy("Signatory's NIP"), required=False),
)
_ONE_PER_LINE = gettext_lazy("One per line.")
_DATE = FieldSpec("tanggal", gettext_lazy("Date"), FieldType.DATE)
_LETTER_HEAD = (
    _DATE,
    FieldSpec(
        "sifat",
        gettext_lazy("Urgency"),
        required=False,
        help_text=gettext_lazy("For example Biasa, Segera, Penting."),
    ),
    FieldSpec("lampiran", gettext_lazy("Attachments"), required=False),
    FieldSpec("perihal", gettext_lazy("Subject")),
    FieldSpec("kepada", gettext_lazy("To"), FieldType.LINES, help_text=_ONE_PER_LINE),
)
_COPIES = FieldSpec(
    "tembusan", gettext_lazy("Copies to"), FieldType.LINES, required=False, help_text=_ONE_PER_LINE
)

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout
    for layout in (
        Layout(
            DocumentKind.DISPOSISI,
            (
                FieldSpec("surat_dari", gettext_lazy("Letter from"), required=False),
                FieldSpec("nomor_surat", gettext_lazy("Letter number"), required=False),
                FieldSpec(
                    "tanggal_surat", gettext_lazy("Letter date"), FieldType.DATE, required=False
                ),
                FieldSpec("perihal", gettext_lazy("Subject"), required=False),
                FieldSpec("sifat", gettext_lazy("Urgency"), required=False),
                FieldSpec("dari", gettext_lazy("Disposition from")),
                FieldSpec("kepada", gettext_lazy("To"), FieldType.LINES, help_text=_ONE_PER_LINE),
                FieldSpec("isi", gettext_lazy("Instruction"), FieldType.PARAGRAPHS),
                _DATE,
            ),
        ),
        Layout(
            DocumentKind.SURAT,
            (
                *_LETTER_HEAD,
                FieldSpec("isi", gettext_lazy("Body of the letter"), FieldType.PARAGRAPHS),
                *_SIGNATORY,
                _COPIES,
            ),
            numbered_by_default=True,
        ),
        Layout(
            DocumentKind.UNDANGAN,
            (
                *_LETTER_HEAD,
                FieldSpec("pembuka", gettext_lazy("Opening"), FieldType.PARAGRAPHS, required=False),
                FieldSpec("hari_tanggal", gettext_lazy("Date of the meeting"), FieldType.DATE),
                FieldSpec("waktu", gettext_lazy("Time")),
                FieldSpec("tempat", gettext_lazy("Place")),
                FieldSpec("acara", gettext_lazy("Agenda"), FieldType.PARAGRAPHS),
                *_SIGNATORY,
                _COPIES,
            ),
            numbered_by_default=True,
        ),
        Layout(
            DocumentKind.NOTULA,
            (
                FieldSpec("rapat", gettext_lazy("Meeting")),
                _DATE,
                FieldSpec("waktu", gettext_lazy("Time")),
                FieldSpec("tempat", gettext_lazy("Place")),
                FieldSpec("pimpinan", gettext_lazy("Chaired by")),
                FieldSpec("pencatat", gettext_lazy("Minutes taken by"), required=False),
                FieldSpec(
                    "peserta",
                    gettext_lazy("Participants"),
                    FieldType.LINES,
                    help_text=_ONE_PER_LINE,
                ),
                FieldSpec("pembahasan", gettext_lazy("Discussion"), FieldType.PARAGRAPHS),
                FieldSpec("kesimpulan", gettext_lazy("Conclusions"), FieldType.PARAGRAPHS),
            ),
        ),
        Layout(
            DocumentKind.DAFTAR_HADIR,
            (
                FieldSpec("acara", gettext_lazy("Event")),
                _DATE,
                FieldSpec("waktu", gettext_lazy("Time"), required=False),
                FieldSpec("tempat", gettext_lazy("Place")),
                FieldSpec(
                    "peserta",
                    gettext_lazy("Participants"),
                    FieldType.ROWS,
                    required=False,
                    columns=2,
                    help_text=gettext_lazy(
                        "One per line: name | position. Leave empty for a blank list to sign."
                    ),
                ),
            ),
        ),
        Layout(
            DocumentKind.LEMBAR_PERSETUJUAN,
            (
                FieldSpec("judul_dokumen", gettext_lazy("Document approved")),
                FieldSpec(
                    "pernyataan",
                    gettext_lazy("Approval statement"),
                    FieldType.PARAGRAPHS,
                    required=False,
                    help_text=gettext_lazy("Leave empty for the standard statement."),
                ),
                _DATE,
                *_SIGNATORY,
            ),
        ),
        Layout(
            DocumentKind.SURAT_PERINTAH_TUGAS,
            (
                _DATE,
                FieldSpec(
                    "dasar", gettext_lazy("Legal basis"), FieldType.LINES, help_text=_ONE_PER_LINE
                ),
                FieldSpec(
                    "kepada",
                    gettext_lazy("Officials assigned"),
                    FieldType.ROWS,
                    columns=3,
                    help_text=gettext_lazy("One per line: name | NIP | position."),
                ),
                FieldSpec("untuk", gettext_lazy("Tasks"), FieldType.LINES, help_text=_ONE_PER_LINE),
                *_SIGNATORY,
            ),
            numbered_by_default=True,
        ),
    )
}


def layout_for(kind: str) -> Layout:
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise ValidationFailed({"kind": [_("Documents of this kind cannot be generated.")]})
    return layout


def clean_values(layout: Layout, fields: Mapping[str, str]) -> dict[str, Any]:
    """The layout's fields read from `fields` (text), or ValidationFailed naming each bad one.

    Keys the layout does not know are ignored. Dates become `datetime.date`,
    lists become lists of lines, rows lists of `columns` cells.
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in layout.fields:
        text = (fields.get(spec.name) or "").strip()
        limit = TEXT_MAX if spec.type in (FieldType.TEXT, FieldType.DATE) else LONG_TEXT_MAX
        if not text:
            if spec.required:
                errors[spec.name] = [_("Fill in %(field)s.") % {"field": spec.label}]
            values[spec.name] = [] if spec.type in (FieldType.LINES, FieldType.ROWS) else None
            continue
        if len(text) > limit:
            errors[spec.name] = [
                _("%(field)s may be at most %(limit)s characters long.")
                % {"field": spec.label, "limit": limit}
            ]
            continue
        try:
            values[spec.name] = _parse(spec, text)
        except ValueError:
            errors[spec.name] = [_("Enter a valid date for %(field)s.") % {"field": spec.label}]
    if errors:
        raise ValidationFailed(errors)
    return values


def _parse(spec: FieldSpec, text: str) -> Any:
    if spec.type is FieldType.DATE:
        return datetime.date.fromisoformat(text)
    if spec.type is FieldType.LINES:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if spec.type is FieldType.ROWS:
        rows = []
        for line in filter(None, (line.strip() for line in text.splitlines())):
            cells = [cell.strip() for cell in line.split("|", spec.columns - 1)]
            rows.append(cells + [""] * (spec.columns - len(cells)))
        return rows
    return text


def render_html(
    *, layout: Layout, document: Document, values: Mapping[str, Any], today: datetime.date
) -> str:
    """The document as HTML, in Indonesian, under the kop of the document's agency."""
    agency = document.agency
    government = agency.government
    context = {
        "document": document,
        "agency": agency,
        "government": government,
        "v": values,
        "today": today,
        "place": government.capital,
        "blank_rows": range(1, BLANK_ATTENDANCE_ROWS + 1),
    }
    with translation.override("id"):
        return render_to_string(layout.template, context)


def render_pdf(html: str) -> bytes:
    """Render the HTML to PDF; the document may refer to no file or address outside it."""
    # Imported here: importing WeasyPrint parses its stylesheets (and logs it), which
    # every management command and web process would otherwise pay for at start.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
