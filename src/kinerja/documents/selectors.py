"""Reads of documents, limited to the agencies the scope may see (others: NotFound).

Documents held by their records (`Document.held_by_record`) are not the Documents
pages' to show: they are left out here, and only `held_document_version` (for the
record's own pages, after their access check) reaches their files.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kinerja.core.errors import NotFound
from kinerja.documents.models import Document, DocumentVersion
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency


def visible_documents(*, scope: UserScope) -> QuerySet[Document]:
    """Every document (archived ones too) of the agencies the scope may see, except those
    held by their records."""
    documents = Document.objects.filter(held_by_record=False)
    if scope.sees_all():
        return documents
    return documents.filter(
        Q(agency_id__in=scope.agency_ids) | Q(agency__government_id__in=scope.admin_government_ids)
    )


def document_list(*, scope: UserScope, agency: Agency, kind: str = "") -> QuerySet[Document]:
    """The agency's current documents, newest first, optionally of one kind."""
    if not scope.can_view_agency(agency):
        raise NotFound(_("Agency not found."))
    documents = Document.objects.filter(
        agency=agency, archived_at__isnull=True, held_by_record=False
    ).select_related("created_by")
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-created_at", "-id")


def document_get(*, scope: UserScope, document_id: int) -> Document:
    """One visible document with its agency and its versions (newest first, with authors)."""
    document = (
        visible_documents(scope=scope)
        .select_related("agency__government", "created_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("created_by").order_by("-version"),
            )
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("Document not found."))
    return document


def version_for_download(*, scope: UserScope, document_id: int, version: int) -> DocumentVersion:
    """One version of a visible document, for streaming its file."""
    found = (
        DocumentVersion.objects.filter(
            document__in=visible_documents(scope=scope), document_id=document_id, version=version
        )
        .select_related("document")
        .first()
    )
    if found is None:
        raise NotFound(_("Document not found."))
    return found


def held_document_version(*, document: Document, version: int | None = None) -> DocumentVersion:
    """One stored version (default: the current one) of a document held by its record.

    No scope: the record that holds the document has checked who may see it. A
    document that is not held (NotFound) goes through the Documents pages instead.
    """
    found = (
        DocumentVersion.objects.filter(
            document_id=document.pk,
            document__held_by_record=True,
            version=document.current_version if version is None else version,
        )
        .select_related("document")
        .first()
    )
    if found is None:
        raise NotFound(_("Document not found."))
    return found
