"""The review actions of the data collection: submit, return, accept, approve (worksheets),
lock and reopen (the collection), and the agency's tolerances.

Each action posts the revision the user saw; the service refuses a stale one
(Conflict) and every refusal comes back as a message on the page the user came
from — except a refused return, which redraws the worksheet (as it is now) with
the reasons the reviewer typed.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.collection import grid, review, selectors, services
from kinerja.collection.forms import (
    CollectionSettingsForm,
    ReopenForm,
    ReturnForm,
    ReviewForm,
    RevisionForm,
)
from kinerja.collection.models import ReviewComment, Worksheet
from kinerja.collection.review_selectors import agency_thresholds
from kinerja.collection.views import worksheet_page
from kinerja.core.errors import Conflict, NotFound, ValidationFailed
from kinerja.core.views_errors import (
    add_errors_to_form,
    error_messages,
    errors_to_form,
    service_errors,
)
from kinerja.organizations.access import UserScope, access_agency_for_planning
from kinerja.organizations.selectors import agency_list


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


def _worksheet(request: HttpRequest, worksheet_id: int) -> Worksheet:
    return grid.worksheet_for_page(scope=_scope(request), worksheet_id=worksheet_id)


def _back(worksheet: Worksheet, *, htmx: bool = False) -> HttpResponse:
    """To the worksheet page; from htmx (the submit button, queued behind the grid's
    autosaves) as a full page load."""
    url = reverse("collection:worksheet", args=[worksheet.pk])
    if htmx:
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _revision(request: HttpRequest) -> int:
    form = RevisionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("The page is out of date; reload it and try again."))
    return form.cleaned_data["revision"]


@login_required
@require_POST
@service_errors
def worksheet_submit(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    """Hand the worksheet in; what keeps it back is listed as messages and at the rows.

    The button posts through htmx, queued behind the grid's autosaves (`hx-sync`), with
    the revision the last autosave handed back, so the last value typed is saved first.
    """
    worksheet = _worksheet(request, worksheet_id)
    try:
        review.worksheet_submit(
            actor=_scope(request), worksheet=worksheet, expected_revision=_revision(request)
        )
    except (ValidationFailed, Conflict) as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The worksheet has been submitted for review."))
    return _back(worksheet, htmx=_is_htmx(request))


@login_required
@require_POST
@service_errors
def worksheet_return(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    worksheet = _worksheet(request, worksheet_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            review.worksheet_return(
                actor=_scope(request),
                worksheet=worksheet,
                reason=form.cleaned_data["reason"],
                row_reasons=form.cleaned_data["row_reasons"],
                expected_revision=form.cleaned_data["revision"],
            )
        except Conflict as exc:
            add_errors_to_form(form, exc)
            return worksheet_page(request, _refreshed(worksheet), return_form=form, status=409)
        except ValidationFailed as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, _("The worksheet has been returned to the unit."))
            return _back(worksheet)
    return worksheet_page(request, worksheet, return_form=form, status=422)


def _refreshed(worksheet: Worksheet) -> Worksheet:
    worksheet.refresh_from_db()
    return worksheet


def _decision(
    request: HttpRequest, worksheet_id: int, decide: Callable[..., Worksheet]
) -> HttpResponse:
    """Accept or approve with the note and the notes at rows from the review form; a refusal
    redraws the worksheet with what the reviewer wrote."""
    worksheet = _worksheet(request, worksheet_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            decided = decide(
                actor=_scope(request),
                worksheet=worksheet,
                expected_revision=form.cleaned_data["revision"],
                comment=form.cleaned_data["reason"],
                row_comments=form.cleaned_data["row_reasons"],
            )
        except (ValidationFailed, Conflict) as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, _decided_message(decided))
            return _back(worksheet)
    return worksheet_page(request, _refreshed(worksheet), return_form=form, status=422)


def _decided_message(worksheet: Worksheet) -> str:
    if worksheet.status == Worksheet.Status.APPROVED:
        return _("The worksheet has been approved; its values are recorded.")
    last = worksheet.comments.order_by("-pk").values_list("kind", flat=True).first()
    if last == ReviewComment.Kind.ACCEPT:
        return _("The worksheet has been accepted.")
    return _("Your approval has been recorded.")


@login_required
@require_POST
@service_errors
def worksheet_accept(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    return _decision(request, worksheet_id, review.worksheet_accept)


@login_required
@require_POST
@service_errors
def worksheet_approve(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    return _decision(request, worksheet_id, review.worksheet_approve)


@login_required
@require_POST
@service_errors
def collection_lock(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_get(scope=_scope(request), collection_id=collection_id)
    review.collection_lock(actor=_scope(request), collection=collection)
    messages.success(request, _("The data collection has been locked."))
    return redirect("collection:detail", collection.pk)


@login_required
@require_POST
@service_errors
def collection_reopen(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_get(scope=_scope(request), collection_id=collection_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Give the reason for reopening."))
    review.collection_reopen(
        actor=_scope(request), collection=collection, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The data collection has been reopened."))
    return redirect("collection:detail", collection.pk)


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def collection_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's planners set the tolerance of the soft validation rules."""
    scope = _scope(request)
    agency = agency_list(scope=scope).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound("agency")
    access_agency_for_planning(scope, agency)
    current = agency_thresholds(agency).deviation_percent
    form = CollectionSettingsForm(request.POST or None, initial={"deviation_percent": current})
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.collection_settings_set(actor=scope, agency=agency, **form.cleaned_data)
            messages.success(request, _("The settings have been saved."))
            return redirect(f"{reverse('collection:list')}?agency={agency.pk}")
    return render(request, "collection/settings.html", {"agency": agency, "form": form})
