"""Pages of the data collection: the list, creating one, its worksheets and the entry grid.

Thin: parse the request, call a selector or a service, render. Objects outside
the user's scope are 404 (selectors raise NotFound); a write the user may not
make is 403 with the reason (services raise AccessDenied); both go through
`kinerja.core.views_errors`. The grid saves one row at a time (htmx) and
answers with that row, showing what was saved, a bad number or a conflict.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.collection import evidence as evidence_services
from kinerja.collection import grid, selectors, services
from kinerja.collection.access import can_enter_row
from kinerja.collection.forms import (
    CollectionCreateForm,
    EvidenceForm,
    ReturnForm,
    ReviewForm,
    RowForm,
)
from kinerja.collection.models import Evidence, ReviewComment, Worksheet, WorksheetRow
from kinerja.collection.review_selectors import worksheet_problems, worksheet_review_panel
from kinerja.collection.selectors import RowView
from kinerja.core.domain.numbers import format_number
from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.views_errors import add_errors_to_form, errors_to_form, service_errors
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, RoleKey
from kinerja.organizations.selectors import agency_list

#: the row fields typed as numbers, and those typed as text
NUMBER_FIELDS = ("value", "numerator", "denominator")
TEXT_FIELDS = ("analysis", "obstacles", "follow_up")


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@dataclass
class GridRow:
    """What the grid shows of one row: its data, evidence, and the outcome of a save."""

    view: RowView
    evidence: list[Evidence]
    can_edit: bool
    texts: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: what keeps the row from being submitted (shown to whoever may submit)
    problems: list[str] = field(default_factory=list)
    #: the reviewers' reasons of the current return pointing at this row
    return_reasons: list[ReviewComment] = field(default_factory=list)
    #: what a reviewer typed for this row into a return that was refused
    return_text: str = ""
    #: why an evidence file was refused
    evidence_errors: list[str] = field(default_factory=list)
    #: the worksheet's revision after a save, handed to the page's submit form
    worksheet_revision: int = 0
    saved: bool = False
    conflict: bool = False

    @property
    def row(self) -> WorksheetRow:
        return self.view.row


def _current_texts(view: RowView) -> dict[str, str]:
    """The row's current data as the inputs show it ("1.234,5"; blank when empty)."""
    entry = view.current
    texts = {
        name: format_number(getattr(entry, name))
        if entry and getattr(entry, name) is not None
        else ""
        for name in NUMBER_FIELDS
    }
    texts.update({name: getattr(entry, name) if entry else "" for name in TEXT_FIELDS})
    return texts


def _grid_row(
    scope: UserScope, worksheet: Worksheet, view: RowView, evidence: list[Evidence]
) -> GridRow:
    view.row.worksheet = worksheet  # already loaded: no query per row
    return GridRow(
        view=view,
        evidence=evidence,
        can_edit=grid.is_editable(worksheet) and can_enter_row(scope, view.row),
        texts=_current_texts(view),
    )


def _grid_rows(scope: UserScope, worksheet: Worksheet, views: list[RowView]) -> list[GridRow]:
    evidence = grid.evidence_by_row(rows=[view.row for view in views])
    return [_grid_row(scope, worksheet, view, evidence.get(view.row.pk, [])) for view in views]


def _row_on_page(scope: UserScope, row_id: int) -> WorksheetRow:
    """A row of a worksheet the user may open (NotFound otherwise)."""
    row = selectors.worksheet_row_get(scope=scope, row_id=row_id)
    if not grid.can_view_worksheet(scope, row.worksheet):
        raise NotFound("row")
    return row


def _one_grid_row(scope: UserScope, row: WorksheetRow) -> GridRow:
    """The row as the page shows it, with what still keeps it from being submitted."""
    worksheet = row.worksheet
    (view,) = selectors.worksheet_rows(scope=scope, worksheet=worksheet, row_ids=[row.pk])
    evidence = grid.evidence_by_row(rows=[row]).get(row.pk, [])
    item = _grid_row(scope, worksheet, view, evidence)
    item.worksheet_revision = Worksheet.objects.values_list("revision", flat=True).get(
        pk=worksheet.pk
    )
    if item.can_edit:
        problems = worksheet_problems(scope=scope, worksheet=worksheet, views=[view])
        item.problems = problems.get(str(row.pk), [])
    return item


def _worksheet_url(worksheet_id: int) -> str:
    return reverse("collection:worksheet", args=[worksheet_id])


def _row_response(request: HttpRequest, item: GridRow, *, part: str) -> HttpResponse:
    """htmx: `part` of the row (never the inputs the user may be typing in), with the
    version to send next. Otherwise: back to the worksheet with the outcome as a message."""
    if _is_htmx(request):
        return render(request, f"collection/worksheet.html#{part}", {"item": item})
    if item.saved:
        messages.success(request, _("The row has been saved."))
    for error in (*item.errors, *item.evidence_errors):
        messages.error(request, error)
    return redirect(_worksheet_url(item.row.worksheet_id))


# ---------------------------------------------------------------- collections


def _agency(request: HttpRequest, agencies: list[Agency]) -> Agency | None:
    """The `agency` (id) asked for, else the user's first agency."""
    raw = request.GET.get("agency", "").strip()
    if not raw:
        return agencies[0] if agencies else None
    agency = next((a for a in agencies if raw.isdigit() and a.pk == int(raw)), None)
    if agency is None:
        raise NotFound("agency")
    return agency


@login_required
@require_GET
@service_errors
def collection_list(request: HttpRequest) -> HttpResponse:
    """GET ?agency=<id>: the agency's data collections."""
    scope = _scope(request)
    agencies = list(agency_list(scope=scope).order_by("pk"))
    agency = _agency(request, agencies)
    collections = list(grid.collection_list(scope=scope, agency=agency)) if agency else []
    return render(
        request,
        "collection/collection_list.html",
        {
            "agency": agency,
            "agencies": agencies,
            "collections": collections,
            "can_plan": agency is not None and scope.can_plan_agency(agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def collection_create(request: HttpRequest) -> HttpResponse:
    """The agency's planners open a collection for a period, optionally running an SOP."""
    scope = _scope(request)
    agencies = [a for a in agency_list(scope=scope).order_by("pk") if scope.can_plan_agency(a)]
    if not agencies:
        raise AccessDenied(_("Only the agency's planners may open a data collection."))
    agency = _agency(request, agencies)
    sops = [sop for a in agencies for sop in grid.collection_sops(scope=scope, agency=a)]
    form = CollectionCreateForm(
        request.POST or None,
        initial={"agency": agency, "year": timezone.localdate().year},
        agencies=agencies,
        sops=sops,
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            collection = services.collection_create(actor=scope, **form.cleaned_data)
            messages.success(request, _("The data collection has been created."))
            return redirect("collection:detail", collection.pk)
    return render(request, "collection/collection_form.html", {"form": form, "sops": sops})


@login_required
@require_GET
@service_errors
def collection_detail(request: HttpRequest, collection_id: int) -> HttpResponse:
    scope = _scope(request)
    collection = selectors.collection_get(scope=scope, collection_id=collection_id)
    worksheets = selectors.worksheets_for(scope=scope, collection=collection)
    return render(
        request,
        "collection/collection_detail.html",
        {
            "collection": collection,
            "worksheets": worksheets,
            "viewable": grid.viewable_worksheet_ids(
                scope=scope, collection=collection, worksheets=worksheets
            ),
            "can_coordinate": scope.can_plan_agency(collection.agency),
            "is_head": RoleKey.KEPALA_DINAS
            in scope.roles_by_agency.get(collection.agency_id, frozenset()),
            "all_approved": bool(worksheets)
            and all(ws.status == Worksheet.Status.APPROVED for ws in worksheets),
        },
    )


# ---------------------------------------------------------------- the entry grid


def worksheet_page(
    request: HttpRequest,
    worksheet: Worksheet,
    *,
    return_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The worksheet page: the grid, the review panel, the reasons and problems at the rows.

    `return_form` carries what a reviewer typed into a decision that was refused, so
    nothing they wrote is lost.
    """
    scope = _scope(request)
    views = selectors.worksheet_rows(scope=scope, worksheet=worksheet)
    items = _grid_rows(scope, worksheet, views)
    panel = worksheet_review_panel(scope=scope, worksheet=worksheet, views=views)
    for item in items:
        item.problems = panel.problems.get(str(item.row.pk), [])
        item.return_reasons = panel.row_reasons.get(item.row.pk, [])
        if return_form is not None:
            item.return_text = return_form.data.get(f"{ReturnForm.ROW_PREFIX}{item.row.pk}", "")
    return render(
        request,
        "collection/worksheet.html",
        {
            "worksheet": worksheet,
            "collection": worksheet.collection,
            "items": items,
            "editable": grid.is_editable(worksheet),
            "panel": panel,
            "return_form": return_form or ReturnForm(initial={"revision": worksheet.revision}),
            "row_prefix": ReturnForm.ROW_PREFIX,
            "can_coordinate": grid.is_editable(worksheet)
            and scope.can_plan_agency(worksheet.collection.agency),
        },
        status=status,
    )


@login_required
@require_GET
@service_errors
def worksheet_detail(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet = grid.worksheet_for_page(scope=_scope(request), worksheet_id=worksheet_id)
    return worksheet_page(request, worksheet)


@login_required
@require_POST
@service_errors
def row_save(request: HttpRequest, row_id: int) -> HttpResponse:
    """POST the row's data with the version the user saw; answers with the row's status.

    The inputs are never redrawn, so what the user typed stays where it is: a bad
    number saves nothing and shows the message; a version someone else changed
    meanwhile shows their value and hands the page the current version, so
    saving again replaces it. Quick successive changes queue (`hx-sync`), each
    sent with the version the previous answer set.
    """
    scope = _scope(request)
    row = _row_on_page(scope, row_id)
    form = RowForm(request.POST)
    saved, conflict = False, False
    if form.is_valid():
        try:
            services.entry_record(actor=scope, row=row, **form.entry())
            saved = True
        except Conflict:
            conflict = True
        except ValidationFailed as exc:
            add_errors_to_form(form, exc)
    item = _one_grid_row(scope, row)
    item.saved = saved
    if not saved:
        item.errors = [str(error) for errors in form.errors.values() for error in errors]
    if conflict:
        item.conflict = True
        item.errors.insert(0, _("Someone else changed this row meanwhile."))
    return _row_response(request, item, part="ws-save-result")


@login_required
@require_GET
@service_errors
def row_history(request: HttpRequest, row_id: int) -> HttpResponse:
    scope = _scope(request)
    row = _row_on_page(scope, row_id)
    return render(
        request,
        "collection/row_history.html",
        {"row": row, "entries": selectors.entry_history(scope=scope, row=row)},
    )


@login_required
@require_POST
@service_errors
def evidence_add(request: HttpRequest, row_id: int) -> HttpResponse:
    scope = _scope(request)
    row = _row_on_page(scope, row_id)
    form = EvidenceForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            evidence_services.evidence_add(actor=scope, row=row, uploaded=form.cleaned_data["file"])
        except ValidationFailed as exc:
            errors = [text for texts in exc.errors.values() for text in texts]
    else:
        errors = [str(error) for errors in form.errors.values() for error in errors]
    item = _one_grid_row(scope, row)
    item.evidence_errors = errors
    if not errors and not _is_htmx(request):
        messages.success(request, _("The evidence has been added."))
    return _row_response(request, item, part="ws-evidence-result")


@login_required
@require_POST
@service_errors
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    scope = _scope(request)
    evidence = grid.evidence_get(scope=scope, evidence_id=evidence_id)
    evidence_services.evidence_remove(actor=scope, evidence=evidence)
    item = _one_grid_row(scope, evidence.row)
    if not _is_htmx(request):
        messages.success(request, _("The evidence has been removed."))
    return _row_response(request, item, part="ws-evidence-result")
