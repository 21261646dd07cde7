"""The download of a worksheet row's evidence (bukti dukung).

Evidence documents are held by their evidence (`Document.held_by_record`), so
the Documents pages refuse them: this view streams the file to whoever may open
the evidence's worksheet (`grid.evidence_get`; anyone else gets 404). The
document was created for this evidence and can get no other version, so its
current version is the one that was attached.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from kinerja.collection import grid
from kinerja.core.errors import NotFound
from kinerja.documents.downloads import held_document_response


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """GET /pengumpulan-data/bukti/<id>/unduh/: the evidence file, as an attachment."""
    try:
        evidence = grid.evidence_get(
            scope=request.scope,  # type: ignore[attr-defined]
            evidence_id=evidence_id,
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return held_document_response(document=evidence.document)
