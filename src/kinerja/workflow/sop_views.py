"""Pages of SOPs: an agency's list, one version (identity, actors, steps, downloads,
its processes and the form that starts one), the difference between two versions,
and the upload of a new version.

Thin: parse, call a selector or service, render. Agencies outside the scope
are 404; uploading is for the agency's organisers and the government's
administrators, starting a process for its planners (403 for the others,
through `service_errors`).
"""

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.errors import AccessDenied, NotFound
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.documents.uploads import max_upload_bytes
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, RoleKey, Team
from kinerja.organizations.selectors import agency_get, agency_list, default_agency
from kinerja.workflow import inbox_selectors, selectors, services
from kinerja.workflow.definitions import SopInvalid
from kinerja.workflow.domain.definition import MINUTES_PER_WORKING_DAY, Actor, StepKind
from kinerja.workflow.models import SopVersion
from kinerja.workflow.rendering import render_sop_docx, render_sop_html, render_sop_pdf

PAPERS = ("f4", "a4")
DOWNLOADS = {
    "pdf": (render_sop_pdf, "application/pdf"),
    "html": (render_sop_html, "text/html; charset=utf-8"),
    "docx": (
        render_sop_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


KIND_LABELS = {
    StepKind.START: pgettext_lazy("sop", "Start"),
    StepKind.TASK: pgettext_lazy("sop", "Task"),
    StepKind.DECISION: pgettext_lazy("sop", "Decision"),
    StepKind.END: pgettext_lazy("sop", "End"),
}


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


class SopUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Definition file (YAML)"),
        required=False,
        help_text=gettext_lazy("A .yaml file in the SOP definition format."),
    )
    text = forms.CharField(
        label=gettext_lazy("or paste the definition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > max_upload_bytes():
                raise forms.ValidationError(_("The file is too large."))
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not a text file (UTF-8); save the YAML as text.")
                ) from None
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the definition."))
        return cleaned


#: the periods a process runs for, as stored on it (the agencies' own words)
PERIODS = (
    ("", gettext_lazy("No period")),
    ("TW I", gettext_lazy("Quarter I")),
    ("TW II", gettext_lazy("Quarter II")),
    ("TW III", gettext_lazy("Quarter III")),
    ("TW IV", gettext_lazy("Quarter IV")),
    ("S1", gettext_lazy("Semester I")),
    ("S2", gettext_lazy("Semester II")),
    ("Tahunan", gettext_lazy("Annual")),
)


class ProcessStartForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("What is the process for?"),
        max_length=services.SUBJECT_MAX,
        help_text=gettext_lazy("For example “Pengumpulan Data Kinerja TW I 2025” or “PK 2025”."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"))
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS, required=False)


def working_days(minutes: int) -> Decimal:
    """Working minutes as working days (480 minutes a day), to two places."""
    return (Decimal(minutes) / MINUTES_PER_WORKING_DAY).quantize(Decimal("0.01"))


@login_required
@require_GET
@service_errors
def sop_list(request: HttpRequest) -> HttpResponse:
    """GET /alur-kerja/sop/?agency=<id>: the agency's SOPs, each as its latest version."""
    scope = _scope(request)
    raw_agency = request.GET.get("agency", "").strip()
    agency: Agency | None
    if raw_agency.isdigit():
        agency = agency_get(scope=scope, agency_id=int(raw_agency))
    else:
        agency = default_agency(scope=scope)
    context: dict[str, Any] = {
        "agencies": list(agency_list(scope=scope)),
        "agency": agency,
        "sops": [],
        "can_upload": False,
    }
    if agency is not None:
        context["sops"] = selectors.sop_list(scope=scope, agency=agency)
        context["can_upload"] = scope.can_organize_agency(agency)
    return render(request, "workflow/sop_list.html", context)


def actor_description(actor: Actor) -> str:
    """Who the actor is in the organisation, in words."""
    if actor.external:
        return _("Coordinating agencies (outside the agency)")
    if actor.team is not None:
        return str(dict(Team.Kind.choices).get(actor.team, actor.team))
    role = str(dict(RoleKey.choices).get(actor.role_key or "", actor.role_key or ""))
    if actor.each_unit:
        return _("%(role)s of every Bidang and UPT (one task each)") % {"role": role}
    return role


def _sop_context(
    scope: UserScope, version: SopVersion, *, start_form: ProcessStartForm | None = None
) -> dict[str, Any]:
    definition = selectors.sop_definition(version)
    actors = {actor.key: actor for actor in definition.actors}
    versions = list(selectors.sop_versions(scope=scope, agency=version.agency, code=version.code))
    zone = ZoneInfo(version.agency.government.time_zone)
    if start_form is None and versions[0] == version and scope.can_plan_agency(version.agency):
        start_form = ProcessStartForm(initial={"year": timezone.localdate(timezone=zone).year})
    return {
        "agency": version.agency,
        "version": version,
        "definition": definition,
        "actors": [(actor, actor_description(actor)) for actor in definition.actors],
        "steps": [
            (
                step,
                actors[step.actor],
                KIND_LABELS[step.kind],
                step.duration and step.duration.working_minutes(),
            )
            for step in definition.steps
        ],
        "total_minutes": definition.total_working_minutes(),
        "total_days": working_days(definition.total_working_minutes()),
        "versions": versions,
        "papers": PAPERS,
        "formats": tuple(DOWNLOADS),
        "can_upload": scope.can_organize_agency(version.agency),
        #: only on the latest version, for the agency's planners (or bound, with its errors)
        "start_form": start_form,
        "processes": inbox_selectors.process_list(scope=scope, sop=version),
        "zone": zone,
    }


@login_required
@require_GET
@service_errors
def sop_detail(
    request: HttpRequest, agency_id: int, code: str, version: int | None = None
) -> HttpResponse:
    """One version of an SOP (the latest without a number): identity, actors, steps, the
    SOP's processes and, for the agency's planners on the latest version, “Mulai proses”."""
    scope = _scope(request)
    agency = agency_get(scope=scope, agency_id=agency_id)
    found = selectors.sop_version_get(scope=scope, agency=agency, code=code, version=version)
    return render(request, "workflow/sop_detail.html", _sop_context(scope, found))


@login_required
@require_POST
@service_errors
def process_start(request: HttpRequest, agency_id: int, code: str, version: int) -> HttpResponse:
    """POST subject, year, period: start a process of this (latest) version, go to its page."""
    scope = _scope(request)
    agency = agency_get(scope=scope, agency_id=agency_id)
    found = selectors.sop_version_get(scope=scope, agency=agency, code=code, version=version)
    if not scope.can_plan_agency(agency):  # before the form: others never see its errors
        raise AccessDenied(_("Only the agency's planners may start its processes."))
    form = ProcessStartForm(request.POST)
    if form.is_valid():
        with errors_to_form(form):
            instance = services.instance_start(
                actor=scope,
                sop=found,
                subject=form.cleaned_data["subject"],
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
            )
            messages.success(
                request,
                _("Process started: %(sop)s, %(subject)s.")
                % {"sop": found.name, "subject": instance.subject},
            )
            return redirect("workflow:process", instance_id=instance.pk)
    return render(
        request, "workflow/sop_detail.html", _sop_context(scope, found, start_form=form), status=422
    )


@login_required
@require_GET
@service_errors
def sop_download(
    request: HttpRequest, agency_id: int, code: str, version: int, fmt: str
) -> HttpResponse:
    """The official SOP document as PDF, HTML or Word, on F4 or A4 (?paper=a4)."""
    scope = _scope(request)
    if fmt not in DOWNLOADS:
        raise NotFound("format")
    paper = request.GET.get("paper", "f4")
    paper = paper if paper in PAPERS else "f4"
    agency = agency_get(scope=scope, agency_id=agency_id)
    found = selectors.sop_version_get(scope=scope, agency=agency, code=code, version=version)
    renderer, content_type = DOWNLOADS[fmt]
    rendered = renderer(selectors.sop_definition(found), paper=paper)
    response = HttpResponse(rendered, content_type=content_type)
    name = f"SOP-{found.code}-v{found.version}-{paper}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@service_errors
def sop_diff(request: HttpRequest, agency_id: int, code: str, old: int, new: int) -> HttpResponse:
    """What changed between two versions of an SOP."""
    scope = _scope(request)
    agency = agency_get(scope=scope, agency_id=agency_id)
    before = selectors.sop_version_get(scope=scope, agency=agency, code=code, version=old)
    after = selectors.sop_version_get(scope=scope, agency=agency, code=code, version=new)
    return render(
        request,
        "workflow/sop_diff.html",
        {"agency": agency, "diff": selectors.version_diff(before, after)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def sop_upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Upload a definition as a new SOP, or as the next version of an existing one."""
    scope = _scope(request)
    agency = agency_get(scope=scope, agency_id=agency_id)
    if not scope.can_organize_agency(agency):
        raise AccessDenied(_("Only the administrators of this agency may import its SOPs."))
    posted = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = SopUploadForm(*posted)
    if form.is_valid():
        with errors_to_form(form):
            try:
                version = services.sop_import(
                    actor=scope, agency=agency, text=form.cleaned_data["text"]
                )
            except SopInvalid as exc:
                for problem in exc.problems:  # each with its place in the file
                    form.add_error(None, str(problem))
            else:
                messages.success(
                    request,
                    _("Saved: %(name)s, version %(version)s.")
                    % {"name": version.name, "version": version.version},
                )
                return redirect(
                    reverse("workflow:sop_version", args=[agency.pk, version.code, version.version])
                )
    return render(request, "workflow/sop_upload.html", {"agency": agency, "form": form})
