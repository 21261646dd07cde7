"""Pages of documents: an agency's list, a document with its versions, upload, generate,
number, archive, and the download that streams a file only after the permission check.
Documents held by their records (`Document.held_by_record`) are 404 on every page here.

Thin: parse with a form, call a selector or service, render. Documents and
agencies outside the user's scope are 404; writing where one may only read is
403 (both through `service_errors`).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.errors import NotFound
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.documents import selectors, services
from kinerja.documents.access import (
    access_agency_for_documents,
    can_archive_document,
    can_write_documents,
)
from kinerja.documents.downloads import version_response
from kinerja.documents.forms import (
    ArchiveForm,
    GenerateForm,
    NumberForm,
    UploadForm,
    VersionForm,
)
from kinerja.documents.generators import LAYOUTS
from kinerja.documents.models import DocumentKind
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency
from kinerja.organizations.selectors import agency_get, agency_list, default_agency

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50
FORM_TEMPLATE = "documents/document_form.html"


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _generate_choices() -> list[tuple[str, Any]]:
    return [(kind, DocumentKind(kind).label) for kind in LAYOUTS]


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@login_required
@require_GET
@service_errors
def document_list(request: HttpRequest) -> HttpResponse:
    """GET /dokumen/?agency=<id>&kind=<kind>&page=<n>: the agency's documents, newest first."""
    scope = _scope(request)
    raw_agency = request.GET.get("agency", "").strip()
    agency: Agency | None
    if raw_agency.isdigit():
        agency = agency_get(scope=scope, agency_id=int(raw_agency))
    else:
        agency = default_agency(scope=scope)
    kind = request.GET.get("kind", "")
    kind = kind if kind in DocumentKind.values else ""
    context: dict[str, Any] = {
        "agencies": list(agency_list(scope=scope)),
        "agency": agency,
        "kind": kind,
        "kind_choices": DocumentKind.choices,
        "generate_choices": _generate_choices(),
        "page": None,
        "can_write": False,
    }
    if agency is not None:
        documents = selectors.document_list(scope=scope, agency=agency, kind=kind)
        context["page"] = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
        context["can_write"] = can_write_documents(scope, agency)
    return render(request, "documents/document_list.html", context)


@login_required
@require_GET
@service_errors
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    scope = _scope(request)
    document = selectors.document_get(scope=scope, document_id=document_id)
    can_write = can_write_documents(scope, document.agency) and not document.is_archived
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "versions": document.versions.all(),
            "can_write": can_write,
            "can_archive": can_archive_document(scope, document) and not document.is_archived,
            "version_form": VersionForm(),
            "number_form": NumberForm(),
            "archive_form": ArchiveForm(),
        },
    )


@login_required
@GET_POST
@service_errors
def document_upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_documents(scope, agency_get(scope=scope, agency_id=agency_id))
    form = UploadForm(*_posted(request), initial={"kind": request.GET.get("kind", "")})
    if form.is_valid():
        with errors_to_form(form):
            document = services.document_upload(
                actor=scope,
                agency=agency,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                subject=form.cleaned_data["subject"],
            )
            messages.success(request, _("The document was saved."))
            return redirect(document)
    return render(
        request, FORM_TEMPLATE, {"form": form, "agency": agency, "title": _("Upload a document")}
    )


@login_required
@GET_POST
@service_errors
def document_generate(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    scope = _scope(request)
    agency = access_agency_for_documents(scope, agency_get(scope=scope, agency_id=agency_id))
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise Http404("no such layout")
    form = GenerateForm(*_posted(request), layout=layout)
    if form.is_valid():
        with errors_to_form(form):
            document = services.document_generate(
                actor=scope,
                agency=agency,
                kind=kind,
                title=form.cleaned_data["title"],
                fields=form.values(),
                number=form.cleaned_data["number"],
            )
            messages.success(request, _("The document was generated."))
            return redirect(document)
    title = _("New %(kind)s") % {"kind": DocumentKind(kind).label}
    return render(request, FORM_TEMPLATE, {"form": form, "agency": agency, "title": title})


@login_required
@GET_POST
@service_errors
def version_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    scope = _scope(request)
    document = selectors.document_get(scope=scope, document_id=document_id)
    access_agency_for_documents(scope, document.agency)
    form = VersionForm(*_posted(request))
    if form.is_valid():
        with errors_to_form(form):
            version = services.document_version_upload(
                actor=scope,
                document=document,
                uploaded=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
            messages.success(
                request, _("Version %(version)s was saved.") % {"version": version.version}
            )
            return redirect(document)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "agency": document.agency,
            "document": document,
            "title": _("New version of %(title)s") % {"title": document.title},
        },
    )


@login_required
@require_POST
@service_errors
def document_number(request: HttpRequest, document_id: int) -> HttpResponse:
    scope = _scope(request)
    document = selectors.document_get(scope=scope, document_id=document_id)
    document = services.document_number_assign(
        actor=scope, document=document, number=request.POST.get("number", "")
    )
    messages.success(
        request, _("The document is numbered %(number)s.") % {"number": document.number}
    )
    return redirect(document)


@login_required
@require_POST
@service_errors
def document_archive(request: HttpRequest, document_id: int) -> HttpResponse:
    scope = _scope(request)
    document = selectors.document_get(scope=scope, document_id=document_id)
    form = ArchiveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.document_archive(actor=scope, document=document, reason=reason)
    messages.success(request, _("The document was archived."))
    return redirect(document)


@login_required
@require_GET
def version_download(request: HttpRequest, document_id: int, version: int) -> FileResponse:
    """Stream one stored file as an attachment, only to those who may see its document."""
    try:
        found = selectors.version_for_download(
            scope=_scope(request), document_id=document_id, version=version
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return version_response(found)
