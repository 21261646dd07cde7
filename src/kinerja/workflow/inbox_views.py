"""Pages of the daily work: "Tugas Saya" (the inbox), a task, a process, notifications.

Thin: parse, call a selector or a service, render. A task or process outside
the user's scope is 404 (selectors raise NotFound); an action the user may
not take is 403 with the reason (services raise AccessDenied); both through
`kinerja.core.views_errors.service_errors`. The task page's actions and
outputs are htmx partials (`workflow/task.html#task-actions`,
`#task-outputs`); without htmx the forms post and redirect as usual.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.organizations.access import UserScope
from kinerja.workflow import inbox_selectors, services
from kinerja.workflow.domain.definition import SopDefinition, Step
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.inbox_selectors import TaskPage
from kinerja.workflow.notifications import notification_mark_read
from kinerja.workflow.rendering.flowchart import (
    BORDER_MM,
    CELL_PADDING_MM,
    FONT_FAMILY,
    FONT_SIZE_PT,
    HEADER_FONT_SIZE_PT,
    LINE_HEIGHT_MM,
    Columns,
    duration_text,
    flowchart_layout,
)
from kinerja.workflow.rendering.svg import PageDrawing

#: width the process page's flowchart table is laid out in, in mm (as the SOP document)
FLOWCHART_WIDTH_MM = 260.0
#: tall enough for any SOP on one drawing (no off-page connectors on screen)
FLOWCHART_HEIGHT_MM = 100_000.0


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; htmx follows with a full page load."""
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


# --- forms ---------------------------------------------------------------------------------


class TaskCompleteForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(outcome.value, outcome.value) for outcome in Outcome])
    reason = forms.CharField(
        label=gettext_lazy("Reason for returning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    #: the process revision the page showed: a change since then is a conflict
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OutputUploadForm(forms.Form):
    output_name = forms.CharField(label=gettext_lazy("Output"), max_length=250, required=False)
    file = forms.FileField(label=gettext_lazy("File"))


class OutputGenerateForm(forms.Form):
    output_name = forms.CharField(label=gettext_lazy("Output"), max_length=250)


# --- the inbox -----------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """GET: "Tugas Saya", the user's open tasks, most urgent first."""
    items = inbox_selectors.inbox(scope=_scope(request))
    return render(
        request,
        "workflow/inbox.html",
        {"items": items, "overdue_count": sum(1 for item in items if item.overdue)},
    )


# --- a task --------------------------------------------------------------------------------


@login_required
@require_GET
@service_errors
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """GET: a task with its SOP context and the actions the user may take."""
    page = inbox_selectors.task_page_context(scope=_scope(request), task_id=task_id)
    return _task_render(request, page)


def _generatable(page: TaskPage) -> list[str]:
    """The step's outputs the document templates can produce."""
    return [name for name in page.step.outputs if services.output_document_kind(name)]


def _task_render(
    request: HttpRequest,
    page: TaskPage,
    *,
    part: str = "",
    complete_form: TaskCompleteForm | None = None,
    upload_form: OutputUploadForm | None = None,
    generate_form: OutputGenerateForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "page": page,
        "notice": notice,
        "task": page.task,
        "complete_form": complete_form
        or TaskCompleteForm(initial={"revision": page.instance.revision}),
        "upload_form": upload_form or OutputUploadForm(),
        "generate_form": generate_form,
        "generatable": _generatable(page),
    }
    template = f"workflow/task.html#{part}" if part else "workflow/task.html"
    with timezone.override(page.zone):
        return render(request, template, context, status=status)


@login_required
@require_POST
@service_errors
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    """POST outcome=done|yes|no (+ reason for no, + revision): complete the task."""
    scope = _scope(request)
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    form = TaskCompleteForm(request.POST)
    if form.is_valid():
        with errors_to_form(form):
            task = services.task_complete(
                actor=scope,
                task=page.task,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
            )
            messages.success(request, _done_message(page, task.outcome))
            return _go(request, reverse("workflow:inbox"))
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    if _is_htmx(request):
        return _task_render(request, page, part="task-actions", complete_form=form)
    return _task_render(request, page, complete_form=form, status=422)


def _done_message(page: TaskPage, outcome: str) -> str:
    names = {"step": page.step.number, "activity": page.step.activity}
    if outcome == Outcome.NO:
        returned = page.step.no
        return _("Step %(step)s: returned to step %(back)s for correction, with your reason.") % {
            **names,
            "back": returned,
        }
    if outcome == Outcome.YES:
        return _("Step %(step)s “%(activity)s”: approved, the work goes on.") % names
    return _("Step %(step)s “%(activity)s” is done.") % names


@login_required
@require_POST
@service_errors
def task_output_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    """POST output_name + file: store the file as a document and attach it to the task."""
    scope = _scope(request)
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    form = OutputUploadForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_to_form(form):
            services.task_output_upload(
                actor=scope,
                task=page.task,
                uploaded=form.cleaned_data["file"],
                output_name=form.cleaned_data["output_name"],
            )
            return _outputs_done(request, scope, task_id, _("The output has been attached."))
    return _outputs_failed(request, scope, task_id, upload_form=form)


@login_required
@require_POST
@service_errors
def task_output_generate(request: HttpRequest, task_id: int) -> HttpResponse:
    """POST output_name: generate the output from the document templates and attach it."""
    scope = _scope(request)
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    form = OutputGenerateForm(request.POST)
    if form.is_valid():
        with errors_to_form(form):
            services.task_output_generate(
                actor=scope, task=page.task, output_name=form.cleaned_data["output_name"]
            )
            return _outputs_done(
                request, scope, task_id, _("The output has been generated and attached.")
            )
    return _outputs_failed(request, scope, task_id, generate_form=form)


def _outputs_done(
    request: HttpRequest, scope: UserScope, task_id: int, notice: str
) -> HttpResponse:
    """The outputs again (htmx, with the notice inline), or the page with the notice."""
    if not _is_htmx(request):
        messages.success(request, notice)
        return redirect("workflow:task", task_id=task_id)
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    return _task_render(request, page, part="task-outputs", notice=notice)


def _outputs_failed(
    request: HttpRequest,
    scope: UserScope,
    task_id: int,
    *,
    upload_form: OutputUploadForm | None = None,
    generate_form: OutputGenerateForm | None = None,
) -> HttpResponse:
    page = inbox_selectors.task_page_context(scope=scope, task_id=task_id)
    return _task_render(
        request,
        page,
        part="task-outputs" if _is_htmx(request) else "",
        upload_form=upload_form,
        generate_form=generate_form,
        status=200 if _is_htmx(request) else 422,
    )


# --- a process -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowchartRow:
    step: Step
    duration: str
    lanes: list[SafeString]
    current: bool
    done: bool


@dataclass(frozen=True)
class Flowchart:
    """The flowchart table of the process page, in the official document's typography.

    The rows' heights were computed by the renderer for these column widths
    and this typography, so the HTML rows come out as tall as the SVG cells
    and the arrows run on unbroken from row to row.
    """

    rows: list[FlowchartRow]
    columns: Columns
    font_size_pt: float = FONT_SIZE_PT
    header_font_size_pt: float = HEADER_FONT_SIZE_PT
    line_height_mm: float = LINE_HEIGHT_MM
    cell_padding_mm: float = CELL_PADDING_MM
    border_mm: float = BORDER_MM
    font_family: str = FONT_FAMILY

    @property
    def width_mm(self) -> float:
        columns = self.columns
        return columns.number + columns.activity + columns.actors_width + columns.duration


def process_flowchart(
    definition: SopDefinition, *, current: frozenset[int], done: frozenset[int]
) -> Flowchart:
    """The SOP's flowchart (the renderer's actor lanes, one SVG per cell) with the current
    steps marked; the template highlights their symbols through `data-step`."""
    layout = flowchart_layout(definition, width=FLOWCHART_WIDTH_MM, height=FLOWCHART_HEIGHT_MM)
    rows = []
    for page in layout.pages:
        drawing = PageDrawing(page)
        for index, row in enumerate(page.rows):
            number = row.step.number
            rows.append(
                FlowchartRow(
                    step=row.step,
                    duration=duration_text(row.step.duration),
                    lanes=[
                        mark_safe(drawing.cell_svg(index, column))  # our own SVG, escaped
                        for column in range(layout.columns.actor_count)
                    ],
                    current=number in current,
                    done=number in done and number not in current,
                )
            )
    return Flowchart(rows=rows, columns=layout.columns)


@login_required
@require_GET
@service_errors
def process_detail(request: HttpRequest, instance_id: int) -> HttpResponse:
    """GET: the process's timeline, SLA compliance and flowchart with the current step."""
    timeline = inbox_selectors.process_timeline(scope=_scope(request), instance_id=instance_id)
    done = frozenset(row.step.number for row in timeline.rows if row.task.status == "done")
    context = {
        "instance": timeline.instance,
        "timeline": timeline,
        "flowchart": process_flowchart(
            timeline.definition, current=timeline.current_steps, done=done
        ),
    }
    with timezone.override(timeline.zone):
        return render(request, "workflow/process.html", context)


# --- notifications -------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """GET: the user's notifications, newest first."""
    scope = _scope(request)
    return render(
        request,
        "workflow/notifications.html",
        {
            "notifications": inbox_selectors.notification_list(scope=scope),
            "unread": inbox_selectors.unread_notification_count(scope=scope),
        },
    )


@login_required
@require_POST
@service_errors
def notification_read(request: HttpRequest) -> HttpResponse:
    """POST [notification=<id>]: mark one notification read, or all of them."""
    raw = request.POST.get("notification", "").strip()
    notification_mark_read(
        actor=_scope(request), notification_id=int(raw) if raw.isdigit() else None
    )
    if _is_htmx(request):
        scope = _scope(request)
        return render(
            request,
            "workflow/notifications.html#notification-list",
            {
                "notifications": inbox_selectors.notification_list(scope=scope),
                "unread": inbox_selectors.unread_notification_count(scope=scope),
            },
        )
    return redirect("workflow:notifications")
