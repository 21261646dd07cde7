"""Bukti dukung of a worksheet row: upload a file as an agency document and link it.

The file goes through `documents.services.document_upload` (kind "lainnya"),
so it gets the same content, size and sha256 checks as every other document.
The document is held by its evidence (`held_by_record`): only who may open the
worksheet downloads it (`views_evidence`), and it never gets another version, so
its current version is the one attached. Only who may enter the row's data may
add or remove its evidence, and only while the worksheet is still editable.
"""

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.collection.access import can_enter_row
from kinerja.collection.grid import is_editable
from kinerja.collection.models import Evidence, Worksheet, WorksheetRow
from kinerja.core.errors import AccessDenied, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.documents.models import DocumentKind
from kinerja.documents.services import TITLE_MAX, document_upload
from kinerja.documents.uploads import upload_check
from kinerja.organizations.access import UserScope


def _editable_worksheet_locked(actor: UserScope, row: WorksheetRow) -> Worksheet:
    """Check access, then lock the row's worksheet and refuse when it can no longer change."""
    if not can_enter_row(actor, row):
        raise AccessDenied(_("Only the row's data holder or the unit may change its evidence."))
    worksheet = (
        Worksheet.objects.select_for_update(of=("self",))
        .select_related("collection")
        .get(pk=row.worksheet_id)
    )
    if not is_editable(worksheet):
        raise ValidationFailed(
            _("This worksheet has been submitted; its evidence can no longer change.")
        )
    return worksheet


def _bump(worksheet: Worksheet) -> None:
    worksheet.revision += 1
    worksheet.save(update_fields=["revision", "updated_at"])


def evidence_add(*, actor: UserScope, row: WorksheetRow, uploaded: File) -> Evidence:
    """Store `uploaded` as a document of the agency and link it to the row."""
    upload_check(uploaded)  # refuse a bad file before taking any lock
    indicator = row.indicator
    with transaction.atomic():
        worksheet = _editable_worksheet_locked(actor, row)
        document = document_upload(
            actor=actor,
            agency=worksheet.collection.agency,
            kind=DocumentKind.OTHER,
            title=f"{indicator.code} {indicator.name}"[:TITLE_MAX],
            uploaded=uploaded,
            subject=str(worksheet),
            held_by_record=True,
        )
        evidence = Evidence.objects.create(row=row, document=document, added_by_id=actor.user_id)
        _bump(worksheet)
        change_record_create(instance=evidence, action="create", user_id=actor.user_id)
    return evidence


def evidence_remove(*, actor: UserScope, evidence: Evidence) -> Evidence:
    """Archive the link; the document and its versions stay."""
    with transaction.atomic():
        worksheet = _editable_worksheet_locked(actor, evidence.row)
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.is_archived:
            return locked
        locked.archived_at = timezone.now()
        locked.save(update_fields=["archived_at", "updated_at"])
        _bump(worksheet)
        change_record_create(
            instance=locked,
            action="archive",
            user_id=actor.user_id,
            changes={"archived_at": (None, locked.archived_at.isoformat())},
        )
    return locked
