"""Who may see a collection's recap (rekapitulasi data kinerja) and its documents.

The agency's own staff see every recap of their collections, like the rest of
the collection's data (`selectors.collection_get`). Staff of a coordinating
agency (BAPPEDA, Biro Organisasi: `Agency.is_coordinating`) of the same
government see a collection's recap only once a final recap of it has been
sent (`Recap.is_final` and `sent_at`), and then only the sent final recaps'
documents and the recap table: never its worksheets, entries or evidence (the
other selectors do not know them). Anyone else gets NotFound.
"""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from kinerja.collection.models import Collection, Recap
from kinerja.collection.selectors import collection_get
from kinerja.core.errors import NotFound
from kinerja.documents.models import DocumentVersion
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency

#: the download names of a recap's documents → the Recap field holding each
RECAP_FILES = {"pdf": "pdf", "xlsx": "workbook", "surat": "cover_letter"}


@dataclass(frozen=True)
class RecapViewer:
    """A collection as one user may see its recap.

    `internal`: the user sees the collection itself (its agency, an administrator),
    hence every recap; otherwise the user is a coordinating agency's staff and sees
    only the sent final recaps.
    """

    collection: Collection
    internal: bool


def coordinated_government_ids(scope: UserScope) -> frozenset[int]:
    """The governments whose recaps the user receives: those of their coordinating agencies."""
    if not scope.agency_ids:
        return frozenset()
    return frozenset(
        Agency.objects.filter(
            pk__in=scope.agency_ids, is_coordinating=True, archived_at__isnull=True
        ).values_list("government_id", flat=True)
    )


def _sent_final(recaps: QuerySet[Recap]) -> QuerySet[Recap]:
    return recaps.filter(is_final=True, sent_at__isnull=False)


def received_recaps(*, scope: UserScope) -> QuerySet[Recap]:
    """The sent final recaps of every agency of the governments the user coordinates,
    newest sent first, with their collection, agency and documents (one query to list)."""
    return (
        _sent_final(
            Recap.objects.filter(
                collection__agency__government_id__in=coordinated_government_ids(scope),
                collection__archived_at__isnull=True,
            )
        )
        .select_related("collection__agency__government", "pdf", "workbook", "cover_letter")
        .order_by("-sent_at", "-pk")
    )


def recap_collection_get(*, scope: UserScope, collection_id: int) -> RecapViewer:
    """The collection whose recap the user asks for, and how much of it they may see."""
    try:
        return RecapViewer(collection_get(scope=scope, collection_id=collection_id), internal=True)
    except NotFound:
        pass
    collection = (
        Collection.objects.filter(pk=collection_id, archived_at__isnull=True)
        .select_related("agency__government", "process")
        .first()
    )
    if (
        collection is None
        or not received_recaps(scope=scope).filter(collection=collection).exists()
    ):
        raise NotFound("collection")
    return RecapViewer(collection, internal=False)


def recap_viewer(*, scope: UserScope, collection: Collection) -> RecapViewer:
    """`recap_collection_get` for a collection already at hand."""
    return recap_collection_get(scope=scope, collection_id=collection.pk)


def recaps_for(*, viewer: RecapViewer) -> list[Recap]:
    """The collection's recaps the viewer may see, newest first, with their documents."""
    recaps = Recap.objects.filter(collection=viewer.collection)
    if not viewer.internal:
        recaps = _sent_final(recaps)
    return list(
        recaps.select_related(
            "pdf", "workbook", "cover_letter", "generated_by", "sent_by"
        ).order_by("-number")
    )


def recap_get(*, scope: UserScope, recap_id: int) -> tuple[Recap, RecapViewer]:
    """One recap the user may see, with how they see its collection (NotFound otherwise)."""
    recap = Recap.objects.filter(pk=recap_id).first()
    if recap is None:
        raise NotFound("recap")
    viewer = recap_collection_get(scope=scope, collection_id=recap.collection_id)
    if not viewer.internal and not (recap.is_final and recap.sent_at is not None):
        raise NotFound("recap")
    recap.collection = viewer.collection
    return recap, viewer


def recap_file_get(*, scope: UserScope, recap_id: int, which: str) -> DocumentVersion:
    """The current stored file of one of a visible recap's documents ("pdf", "xlsx",
    "surat"), for streaming; NotFound when the recap or that document is not there."""
    field = RECAP_FILES.get(which)
    if field is None:
        raise NotFound("recap document")
    recap, _viewer = recap_get(scope=scope, recap_id=recap_id)
    document_id = getattr(recap, f"{field}_id")
    version = (
        DocumentVersion.objects.filter(
            document_id=document_id, version=F("document__current_version")
        ).first()
        if document_id is not None
        else None
    )
    if version is None:
        raise NotFound("recap document")
    return version
