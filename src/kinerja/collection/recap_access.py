"""Who may see a collection's recap (rekapitulasi data kinerja) and its documents.

The recap holds every unit's data, drafts included, so inside the agency it is
for the agency's planners and reviewers (`UserScope.can_plan_agency`: the
Kepala Dinas, the Sekretaris, the Kasubbag Program, the Fungsional Umum) and
for superusers and the government's administrators; the agency's other staff
see only their own unit's worksheet (issue 4 point 12) and get NotFound here.
Staff of a coordinating agency (BAPPEDA, Biro Organisasi: `Agency.is_coordinating`)
of the same government see a collection's recap only once a final recap of it
has been sent (`Recap.is_final` and `sent_at`), and then only the sent final
recaps' documents and, while the data is still what was sent, the recap table:
never its worksheets, entries or evidence (the other selectors do not know
them). Anyone else gets NotFound.
"""

import datetime
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

    `internal`: the user is one of the agency's planners or reviewers (or an
    administrator), hence sees every recap; otherwise the user is a coordinating
    agency's staff and sees only the sent final recaps, and `sent_generated_at` is
    when the newest of those was generated (the data it shows is as of then).
    """

    collection: Collection
    internal: bool
    sent_generated_at: datetime.datetime | None = None


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
    """The sent final recaps of every other agency of the governments the user coordinates,
    newest sent first, with their collection, agency and documents (one query to list).

    The user's own agencies' recaps are not "received": inside their agency only its
    planners and reviewers see them (`recap_collection_get`).
    """
    return (
        _sent_final(
            Recap.objects.filter(
                collection__agency__government_id__in=coordinated_government_ids(scope),
                collection__archived_at__isnull=True,
            ).exclude(collection__agency_id__in=scope.agency_ids)
        )
        .select_related("collection__agency__government", "pdf", "workbook", "cover_letter")
        .order_by("-sent_at", "-pk")
    )


def recap_collection_get(*, scope: UserScope, collection_id: int) -> RecapViewer:
    """The collection whose recap the user asks for, and how much of it they may see."""
    try:
        collection: Collection | None = collection_get(scope=scope, collection_id=collection_id)
    except NotFound:
        collection = None
    if collection is not None and scope.can_plan_agency(collection.agency):
        return RecapViewer(collection, internal=True)
    if collection is None:
        collection = (
            Collection.objects.filter(pk=collection_id, archived_at__isnull=True)
            .select_related("agency__government", "process")
            .first()
        )
    generated_at = (
        received_recaps(scope=scope)
        .filter(collection=collection)
        .order_by("-number")
        .values_list("created_at", flat=True)
        .first()
        if collection is not None
        else None
    )
    if collection is None or generated_at is None:
        raise NotFound("collection")
    return RecapViewer(collection, internal=False, sent_generated_at=generated_at)


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
