"""Reads of documents, limited to the agencies the scope may see (others: NotFound)."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kinerja.core.errors import NotFound
from kinerja.documents.models import Document, DocumentVersion
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency


def visible_documents(*, scope: UserScope) -> QuerySet[Document]:
    """Every document (archived ones too) of the agencies the scope may see."""
    documents = Document.objects.all()
    if scope.sees_all():
        return documents
    return documents.filter(
        Q(agency_id__in=scope.agency_ids) | Q(agency__government_id__in=scope.admin_government_ids)
    )


def document_list(*, scope: UserScope, agency: Agency, kind: str = "") -> QuerySet[Document]:
    """The agency's current documents, newest first, optionally of one kind."""
    if not scope.can_view_agency(agency):
        raise NotFound(_("Agency not found."))
    documents = Document.objects.filter(agency=agency, archived_at__isnull=True).select_related(
        "created_by"
    )
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
