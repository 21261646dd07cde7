"""Streaming a stored document file: the Documents pages' download and that of the records
holding their documents (`Document.held_by_record`).

Either way the file goes out as an attachment under its original name with the
type detected at upload, and no shared cache may keep it. The caller has
checked that the user may have it.
"""

from django.http import FileResponse, Http404

from kinerja.core.errors import NotFound
from kinerja.documents.models import Document, DocumentVersion
from kinerja.documents.selectors import held_document_version


def version_response(found: DocumentVersion) -> FileResponse:
    """Stream one stored version; Http404 when its file is missing from storage."""
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("the stored file is missing") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def held_document_response(*, document: Document, version: int | None = None) -> FileResponse:
    """Stream a version (default: the current one) of a document held by its record, for
    that record's own download view once it has checked access; Http404 when the document
    is not held or has no such version."""
    try:
        found = held_document_version(document=document, version=version)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return version_response(found)
