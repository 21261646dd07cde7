"""The coordinator's pages: who holds a row's data, and a unit's deadline.

The agency's planners set both (the services check it); the deadline is typed
in the government's own time zone.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.collection import grid, selectors, services
from kinerja.collection.forms import DataHolderForm, DeadlineForm
from kinerja.core.errors import AccessDenied
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.organizations.access import UserScope


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def row_data_holder(request: HttpRequest, row_id: int) -> HttpResponse:
    scope = _scope(request)
    row = selectors.worksheet_row_get(scope=scope, row_id=row_id)
    agency = row.worksheet.collection.agency
    if not scope.can_plan_agency(agency):
        raise AccessDenied(_("Only the agency's planners may name a row's data holder."))
    form = DataHolderForm(
        request.POST or None,
        initial={"data_holder": row.data_holder_id},
        choices=grid.data_holder_choices(agency=agency),
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.worksheet_row_data_holder_set(
                actor=scope, row=row, data_holder=form.cleaned_data["data_holder"]
            )
            messages.success(request, _("The data holder has been saved."))
            return redirect("collection:worksheet", row.worksheet_id)
    return render(request, "collection/row_data_holder.html", {"row": row, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def worksheet_deadline(request: HttpRequest, worksheet_id: int) -> HttpResponse:
    scope = _scope(request)
    worksheet = selectors.worksheet_get(scope=scope, worksheet_id=worksheet_id)
    agency = worksheet.collection.agency
    if not scope.can_plan_agency(agency):
        raise AccessDenied(_("Only the agency's planners may change a unit's deadline."))
    zone = ZoneInfo(agency.government.time_zone)
    form = DeadlineForm(
        request.POST or None,
        initial={"deadline": timezone.localtime(worksheet.deadline, zone).replace(tzinfo=None)},
    )
    if request.method == "POST" and form.is_valid():
        typed: datetime.datetime = form.cleaned_data["deadline"]
        local = timezone.make_aware(typed.replace(tzinfo=None), zone)
        with errors_to_form(form):
            services.worksheet_deadline_set(actor=scope, worksheet=worksheet, deadline=local)
            messages.success(request, _("The deadline has been saved."))
            return redirect("collection:detail", worksheet.collection_id)
    return render(
        request,
        "collection/worksheet_deadline.html",
        {"worksheet": worksheet, "form": form, "zone": agency.government.get_time_zone_display()},
    )
