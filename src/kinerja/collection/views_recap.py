"""Pages of the recap: a collection's recap with its generated files, generating and
sending it, the recaps a coordinating agency received, and their downloads.

Thin: parse, call `recap_access`/`recap`/`recap_services`, render. The downloads
go through `recap_access` rather than `documents:download`: a coordinating
agency's staff may fetch a sent recap's files, which the documents' own rule
(the document's agency only) rightly refuses.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.collection import recap_access, selectors
from kinerja.collection.recap import recap_build
from kinerja.collection.recap_services import (
    can_generate_recap,
    can_send_recap,
    recap_generate,
    recap_send,
)
from kinerja.core.errors import NotFound
from kinerja.core.views_errors import service_errors
from kinerja.organizations.access import UserScope


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


@login_required
@require_GET
@service_errors
def recap_page(request: HttpRequest, collection_id: int) -> HttpResponse:
    """The recap table, the generated recaps with their files, and the actions allowed."""
    scope = _scope(request)
    viewer = recap_access.recap_collection_get(scope=scope, collection_id=collection_id)
    collection = viewer.collection
    try:
        table = recap_build(scope=scope, collection=collection)
    except NotFound:  # a coordinating agency once the data changed since the recap sent
        table = None
    recaps = recap_access.recaps_for(viewer=viewer)
    newest = recaps[0] if recaps else None
    agency = collection.agency
    may_send = viewer.internal and can_send_recap(scope, agency)
    return render(
        request,
        "collection/recap.html",
        {
            "collection": collection,
            "internal": viewer.internal,
            "table": table,
            "recaps": recaps,
            "can_generate": viewer.internal and can_generate_recap(scope, agency),
            "sendable": newest
            if may_send and newest and newest.is_final and newest.sent_at is None
            else None,
        },
    )


@login_required
@require_POST
@service_errors
def recap_generate_view(request: HttpRequest, collection_id: int) -> HttpResponse:
    scope = _scope(request)
    collection = selectors.collection_get(scope=scope, collection_id=collection_id)
    recap = recap_generate(actor=scope, collection=collection)
    if recap.is_final:
        messages.success(request, _("The final recap has been generated."))
    else:
        messages.success(
            request,
            _("The recap has been generated; it is not final while worksheets await approval."),
        )
    return redirect("collection:recap", collection.pk)


@login_required
@require_POST
@service_errors
def recap_send_view(request: HttpRequest, recap_id: int) -> HttpResponse:
    """Send the recap with its generated Surat Pengantar."""
    scope = _scope(request)
    recap, _viewer = recap_access.recap_get(scope=scope, recap_id=recap_id)
    recap_send(actor=scope, recap=recap)
    messages.success(request, _("The recap has been sent with its covering letter."))
    return redirect("collection:recap", recap.collection_id)


@login_required
@require_GET
@service_errors
def recap_received(request: HttpRequest) -> HttpResponse:
    """For a coordinating agency: the final recaps its government's agencies sent."""
    scope = _scope(request)
    if not recap_access.coordinated_government_ids(scope):
        raise NotFound("recaps")
    return render(
        request,
        "collection/recap_received.html",
        {"recaps": list(recap_access.received_recaps(scope=scope))},
    )


@login_required
@require_GET
def recap_download(request: HttpRequest, recap_id: int, which: str) -> FileResponse:
    """Stream the current file of a recap's PDF ("pdf"), workbook ("xlsx") or covering
    letter ("surat") to whoever may see the recap."""
    try:
        version = recap_access.recap_file_get(scope=_scope(request), recap_id=recap_id, which=which)
        handle = version.file.open("rb")
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except FileNotFoundError as exc:
        raise Http404("the stored file is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
