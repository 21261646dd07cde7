"""Pages of a worksheet's Excel round trip: download, upload → preview, confirm.

The confirmation must apply exactly the file that was previewed, so the
uploaded bytes wait server-side between the two requests: in the default
storage under `tmp/kertas-kerja/<random token>.xlsx`, with the token, its
sha256 and the worksheet in the user's session (at most `MAX_PENDING` per
user; files older than a day are swept at each upload). The confirm form
carries the token, the sha256 and the revision the preview was made at.
"""

import datetime
import hashlib
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.collection import grid
from kinerja.collection.models import Worksheet
from kinerja.collection.workbook import workbook_filename, worksheet_workbook
from kinerja.collection.workbook_services import (
    FILE,
    Problem,
    WorkbookImport,
    worksheet_import_apply,
    worksheet_import_check,
    worksheet_import_preview,
)
from kinerja.core.errors import Conflict, ValidationFailed
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.documents.domain.filetype import XLSX
from kinerja.documents.uploads import limit_text, upload_check
from kinerja.organizations.access import UserScope

SESSION_KEY = "collection_workbook_uploads"
PENDING_DIR = "tmp/kertas-kerja"
MAX_PENDING = 3
PENDING_LIFETIME = datetime.timedelta(days=1)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled-in worksheet (.xlsx)"))


class WorkbookConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    sha256 = forms.CharField(min_length=64, max_length=64, widget=forms.HiddenInput)
    expected_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


# --- uploads waiting for their confirmation ----------------------------------------------------


def _sweep() -> None:
    """Remove waiting files older than `PENDING_LIFETIME` (abandoned previews)."""
    if not default_storage.exists(PENDING_DIR):
        return
    oldest = timezone.now() - PENDING_LIFETIME
    for name in default_storage.listdir(PENDING_DIR)[1]:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)


def _stash(request: HttpRequest, worksheet: Worksheet, content: bytes, sha256: str) -> str:
    """Keep the previewed bytes until they are confirmed; returns the token naming them."""
    _sweep()
    token = secrets.token_urlsafe(24)
    name = default_storage.save(f"{PENDING_DIR}/{token}.xlsx", ContentFile(content))
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {"worksheet": worksheet.pk, "sha256": sha256, "name": name}
    while len(pending) > MAX_PENDING:
        default_storage.delete(pending.pop(next(iter(pending)))["name"])
    request.session[SESSION_KEY] = pending
    return token


def _unstash(request: HttpRequest, worksheet: Worksheet, token: str, sha256: str) -> bytes | None:
    """The bytes previewed under `token` for this worksheet, if they are still exactly those."""
    waiting = request.session.get(SESSION_KEY, {}).get(token)
    if waiting is None or waiting["worksheet"] != worksheet.pk or waiting["sha256"] != sha256:
        return None
    try:
        with default_storage.open(waiting["name"], "rb") as stored:
            content = stored.read()
    except OSError:
        return None
    return content if hashlib.sha256(content).hexdigest() == sha256 else None


def _discard(request: HttpRequest, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    waiting = pending.pop(token, None)
    if waiting is not None:
        default_storage.delete(waiting["name"])
        request.session[SESSION_KEY] = pending


# --- pages -----------------------------------------------------------------------------------


@login_required
@require_GET
@service_errors
def workbook_download(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    scope = _scope(request)
    worksheet = grid.worksheet_for_page(scope=scope, worksheet_id=worksheet_id)
    content = worksheet_workbook(scope=scope, worksheet=worksheet)
    response = HttpResponse(content, content_type=XLSX.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=workbook_filename(worksheet)
    )
    return response


def _preview_page(
    request: HttpRequest,
    worksheet: Worksheet,
    preview: WorkbookImport | None,
    *,
    problems: tuple[Problem, ...] = (),
    token: str = "",
) -> HttpResponse:
    confirm = None
    if preview is not None and token:
        confirm = WorkbookConfirmForm(
            initial={
                "token": token,
                "sha256": preview.sha256,
                "expected_revision": preview.revision,
            }
        )
    return render(
        request,
        "collection/workbook_preview.html",
        {
            "worksheet": worksheet,
            "collection": worksheet.collection,
            "preview": preview,
            "problems": preview.problems if preview is not None else problems,
            "confirm": confirm,
            "form": WorkbookUploadForm(),
            "limit": limit_text(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def workbook_upload(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    """GET the upload form; POST a filled-in file → the preview of what it changes."""
    scope = _scope(request)
    worksheet = grid.worksheet_for_page(scope=scope, worksheet_id=worksheet_id)
    worksheet_import_check(actor=scope, worksheet=worksheet)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            uploaded = form.cleaned_data["file"]
            upload_check(uploaded, field=FILE)  # the size before reading it into memory
            content = uploaded.read()
            preview = worksheet_import_preview(actor=scope, worksheet=worksheet, content=content)
            token = _stash(request, worksheet, content, preview.sha256) if preview.can_apply else ""
            return _preview_page(request, worksheet, preview, token=token)
    return render(
        request,
        "collection/workbook_upload.html",
        {
            "worksheet": worksheet,
            "collection": worksheet.collection,
            "form": form,
            "limit": limit_text(),
        },
    )


@login_required
@require_POST
@service_errors
def workbook_apply(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    """Apply the previewed file: all its changes, or none with the problems shown again."""
    scope = _scope(request)
    worksheet = grid.worksheet_for_page(scope=scope, worksheet_id=worksheet_id)
    form = WorkbookConfirmForm(request.POST)
    content = None
    if form.is_valid():
        token = form.cleaned_data["token"]
        content = _unstash(request, worksheet, token, form.cleaned_data["sha256"])
    if content is None:
        messages.error(request, _("This upload is no longer available; upload the file again."))
        return redirect("collection:workbook_upload", worksheet.pk)
    try:
        result = worksheet_import_apply(
            actor=scope,
            worksheet=worksheet,
            content=content,
            expected_revision=form.cleaned_data["expected_revision"],
        )
    except Conflict as exc:
        _discard(request, token)
        messages.error(request, exc.message)
        return redirect("collection:workbook_upload", worksheet.pk)
    except ValidationFailed as exc:
        _discard(request, token)
        problems = tuple(
            Problem("" if key in (FILE, "__all__") else key, message)
            for key, texts in exc.errors.items()
            for message in texts
        )
        return _preview_page(request, worksheet, None, problems=problems)
    _discard(request, token)
    count = result.rows_changed
    messages.success(
        request,
        ngettext(
            "The workbook has been imported: %(count)s row changed.",
            "The workbook has been imported: %(count)s rows changed.",
            count,
        )
        % {"count": count},
    )
    return redirect("collection:worksheet", worksheet.pk)
