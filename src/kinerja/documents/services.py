"""Writes of documents: upload, new versions, generation, numbering, archiving.

Every file passes `uploads.upload_check` (size, type from content, sha256)
before anything is stored; it is saved under a random name and recorded as a
new `DocumentVersion` (never changed afterwards). A file written by a service
whose transaction then fails is removed again, so a refused or failed upload
leaves nothing behind. (When the caller's own outer transaction rolls back
later, the file stays as an unreferenced blob under a random name; harmless.)

A document `held_by_record` (see `models.Document`) is created by the app whose
record keeps it and is never given a new version or archived here.

Numbers come from `NumberSequence`, locked with select_for_update for the
length of the transaction, so two people numbering at once get consecutive
numbers and never the same one.
"""

import datetime
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.documents import generators
from kinerja.documents.access import access_agency_for_documents, access_document_for_archive
from kinerja.documents.domain import numbering
from kinerja.documents.domain.filetype import PDF
from kinerja.documents.models import Document, DocumentKind, DocumentVersion, NumberSequence
from kinerja.documents.uploads import CheckedUpload, upload_check
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, User

TITLE_MAX = 250
NUMBER_MAX = 120
ORIGINAL_NAME_MAX = 255


# --- helpers -------------------------------------------------------------------------------


def _user(actor: UserScope) -> User | None:
    return User.objects.filter(pk=actor.user_id).first() if actor.user_id else None


def _agency_today(agency: Agency) -> datetime.date:
    """Today in the agency's own time zone (WIB/WITA/WIT): a letter is dated locally."""
    return timezone.localdate(timezone=ZoneInfo(agency.government.time_zone))


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationFailed({"title": [_("Give the document a title.")]})
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            {
                "title": [
                    _("The title may be at most %(limit)s characters long.") % {"limit": TITLE_MAX}
                ]
            }
        )
    return title


def _clean_kind(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise ValidationFailed({"kind": [_("Choose a kind of document from the list.")]})
    return kind


def _original_name(name: str | None, checked: CheckedUpload) -> str:
    """The uploader's file name, kept for display and download only (never for storage)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "dokumen"
    if len(base) > ORIGINAL_NAME_MAX:
        stem_room = ORIGINAL_NAME_MAX - len(checked.file_type.extension)
        base = base[:stem_room] + checked.file_type.extension
    return base


@contextmanager
def _stored_files_removed_on_error() -> Iterator[list[FieldFile]]:
    """Delete the files stored inside the block when the block (or its commit) fails."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            if field_file.name:
                field_file.storage.delete(field_file.name)
        raise


def _refuse_held(document: Document) -> None:
    if document.held_by_record:
        raise AccessDenied(
            _(
                "This document is kept by the record it belongs to: it cannot get a new version "
                "or be archived on the Documents pages."
            )
        )


def _locked(document: Document) -> Document:
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("agency__government")
        .get(pk=document.pk)
    )
    if locked.is_archived:
        raise ValidationFailed(_("This document is archived and can no longer change."))
    return locked


def _version_add(
    *,
    document: Document,
    content: File,
    checked: CheckedUpload,
    original_name: str,
    generated: bool,
    note: str,
    user: User | None,
    stored: list[FieldFile],
) -> DocumentVersion:
    """Store the file and append it as the document's next version (document row locked)."""
    version = DocumentVersion(
        document=document,
        version=document.current_version + 1,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.file_type.content_type,
        original_name=original_name,
        generated=generated,
        note=note.strip(),
        created_by=user,
    )
    # The name given here only carries the extension of the detected type;
    # `version_upload_to` makes the random storage name.
    version.file.save(f"upload{checked.file_type.extension}", content, save=False)
    stored.append(version.file)
    version.save()
    document.current_version = version.version
    document.save(update_fields=["current_version", "updated_at"])
    return version


def _number_next(document: Document) -> str:
    """Take the next number of the document's agency, kind and year (sequence row locked)."""
    agency = document.agency
    today = _agency_today(agency)
    sequence = _sequence_locked(agency=agency, kind=document.kind, year=today.year)
    code = numbering.agency_code(agency.short_name)
    try:
        while True:
            sequence.last += 1
            number = numbering.format_document_number(
                sequence.pattern, seq=sequence.last, code=code, month=today.month, year=today.year
            )
            # A number typed in by hand may already hold this place; skip it.
            if not Document.objects.filter(agency=agency, number=number).exists():
                break
    except numbering.InvalidPattern as exc:
        raise ValidationFailed(
            {
                "number": [
                    _(
                        "The numbering pattern of this agency is invalid; ask the administrator "
                        "to correct it."
                    )
                ]
            }
        ) from exc
    sequence.save(update_fields=["last"])
    return number


def _sequence_locked(*, agency: Agency, kind: str, year: int) -> NumberSequence:
    """The agency's sequence for the kind and year, created on first use, locked."""
    if not NumberSequence.objects.filter(agency=agency, kind=kind, year=year).exists():
        earlier = (
            NumberSequence.objects.filter(agency=agency, kind=kind, year__lt=year)
            .order_by("-year")
            .values_list("pattern", flat=True)
            .first()
        )
        pattern = earlier or numbering.DEFAULT_PATTERNS.get(kind, numbering.FALLBACK_PATTERN)
        # get_or_create absorbs the race of two first numberings of the year.
        NumberSequence.objects.get_or_create(
            agency=agency, kind=kind, year=year, defaults={"pattern": pattern}
        )
    return NumberSequence.objects.select_for_update().get(agency=agency, kind=kind, year=year)


def _number_set(document: Document, number: str) -> None:
    document.number = number
    document.numbered_at = timezone.now()
    document.save(update_fields=["number", "numbered_at", "updated_at"])


# --- services ------------------------------------------------------------------------------


def document_upload(
    *,
    actor: UserScope,
    agency: Agency,
    kind: str,
    title: str,
    uploaded: File,
    note: str = "",
    subject: str = "",
    held_by_record: bool = False,
) -> Document:
    """Create a document of the agency from an uploaded file (its version 1).

    `held_by_record`: the caller's record keeps the document (see `models.Document`).
    """
    access_agency_for_documents(actor, agency)
    kind, title = _clean_kind(kind), _clean_title(title)
    checked = upload_check(uploaded)
    user = _user(actor)
    with _stored_files_removed_on_error() as stored, transaction.atomic():
        document = Document.objects.create(
            agency=agency,
            kind=kind,
            title=title,
            subject=subject.strip(),
            created_by=user,
            held_by_record=held_by_record,
        )
        _version_add(
            document=document,
            content=uploaded,
            checked=checked,
            original_name=_original_name(uploaded.name, checked),
            generated=False,
            note=note,
            user=user,
            stored=stored,
        )
        change_record_create(
            instance=document,
            action="create",
            user_id=actor.user_id,
            changes={
                "title": (None, title),
                "kind": (None, kind),
                "current_version": (0, 1),
                "held_by_record": (None, held_by_record),
            },
            reason=note,
        )
    return document


def document_version_upload(
    *, actor: UserScope, document: Document, uploaded: File, note: str = ""
) -> DocumentVersion:
    """Append an uploaded file as the document's next version; earlier ones stay."""
    access_agency_for_documents(actor, document.agency)
    _refuse_held(document)
    checked = upload_check(uploaded)
    user = _user(actor)
    with _stored_files_removed_on_error() as stored, transaction.atomic():
        document = _locked(document)
        previous = document.current_version
        version = _version_add(
            document=document,
            content=uploaded,
            checked=checked,
            original_name=_original_name(uploaded.name, checked),
            generated=False,
            note=note,
            user=user,
            stored=stored,
        )
        change_record_create(
            instance=document,
            action="version",
            user_id=actor.user_id,
            changes={"current_version": (previous, version.version)},
            reason=note,
        )
    return version


def document_generate(
    *,
    actor: UserScope,
    agency: Agency,
    kind: str,
    title: str,
    fields: Mapping[str, str],
    number: bool = True,
    subject: str = "",
    note: str = "",
) -> Document:
    """Fill in the kind's template (see `generators.LAYOUTS`), render it to PDF, store it.

    `fields` are text: dates as yyyy-mm-dd, lists one item per line, table
    rows with cells separated by "|". With `number` the document takes its
    number first, so the number is printed on it; the sequence stays locked
    while the PDF renders, and a failed render gives the number back.
    """
    access_agency_for_documents(actor, agency)
    layout = generators.layout_for(kind)
    title = _clean_title(title)
    values = generators.clean_values(layout, fields)
    user = _user(actor)
    with _stored_files_removed_on_error() as stored, transaction.atomic():
        document = Document.objects.create(
            agency=agency, kind=kind, title=title, subject=subject.strip(), created_by=user
        )
        if number:
            _number_set(document, _number_next(document))
        html = generators.render_html(
            layout=layout, document=document, values=values, today=_agency_today(agency)
        )
        pdf = generators.render_pdf(html)
        checked = CheckedUpload(
            file_type=PDF, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf)
        )
        _version_add(
            document=document,
            content=ContentFile(pdf),
            checked=checked,
            original_name=f"{slugify(title) or kind}.pdf",
            generated=True,
            note=note,
            user=user,
            stored=stored,
        )
        change_record_create(
            instance=document,
            action="create",
            user_id=actor.user_id,
            changes={
                "title": (None, title),
                "kind": (None, kind),
                "number": (None, document.number),
                "current_version": (0, 1),
            },
            reason=note,
        )
    return document


def document_number_assign(*, actor: UserScope, document: Document, number: str = "") -> Document:
    """Give the document its number: the next of the sequence, or `number` as typed.

    A number is given once; numbering an already numbered document (two clicks,
    two people) is a Conflict. A typed number must be unused in the agency.
    """
    access_agency_for_documents(actor, document.agency)
    number = number.strip()
    if len(number) > NUMBER_MAX:
        raise ValidationFailed(
            {
                "number": [
                    _("The number may be at most %(limit)s characters long.")
                    % {"limit": NUMBER_MAX}
                ]
            }
        )
    taken = ValidationFailed(
        {"number": [_("Another document of this agency already has this number.")]}
    )
    try:
        with transaction.atomic():
            document = _locked(document)
            if document.number:
                raise Conflict(
                    _("This document already has a number: %(number)s.")
                    % {"number": document.number}
                )
            if number and Document.objects.filter(agency=document.agency, number=number).exists():
                raise taken
            _number_set(document, number or _number_next(document))
            change_record_create(
                instance=document,
                action="number",
                user_id=actor.user_id,
                changes={"number": ("", document.number)},
            )
    except IntegrityError as exc:  # the same number typed for another document just now
        raise taken from exc
    return document


def document_archive(*, actor: UserScope, document: Document, reason: str = "") -> Document:
    """Take the document out of the lists; it and its files are kept."""
    access_document_for_archive(actor, document)
    _refuse_held(document)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=document.pk)
        )
        if document.is_archived:
            return document
        document.archived_at = timezone.now()
        document.save(update_fields=["archived_at", "updated_at"])
        change_record_create(
            instance=document,
            action="archive",
            user_id=actor.user_id,
            changes={"archived_at": (None, document.archived_at)},
            reason=reason,
        )
    return document
