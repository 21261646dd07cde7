"""Pages of the working calendars: a government's holidays per year, and its working hours.

Thin: parse with a form, call a selector or service, render. Another
government's calendar is 404 (selectors raise NotFound); a change by someone
who may only read it is 403 (AccessDenied); both through `service_errors`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.calendars import national, selectors, services
from kinerja.calendars.forms import HolidayForm, ReasonForm, WorkingCalendarForm
from kinerja.calendars.models import WorkingCalendar
from kinerja.core.views_errors import errors_to_form, service_errors
from kinerja.organizations.access import UserScope, access_government_for_admin
from kinerja.organizations.models import Government
from kinerja.workflow.domain import worktime

GET_POST = require_http_methods(["GET", "POST"])


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _government(request: HttpRequest, government_id: int) -> Government:
    return selectors.government_get(scope=_scope(request), government_id=government_id)


def _checked_year(year: int) -> int:
    if not national.FIRST_YEAR <= year <= national.LAST_YEAR:
        raise Http404("year")
    return year


def _holidays_url(government: Government, year: int) -> str:
    return reverse("calendars:holiday_list", args=[government.pk, year])


def _hours(calendar: WorkingCalendar) -> list[tuple[str, str]]:
    """(day name, its hours) for every working day, as the page shows them."""
    rows = []
    for day in sorted(calendar.working_weekdays):
        raw = calendar.weekday_periods.get(str(day), calendar.periods)
        rows.append((str(WEEKDAYS[day]), worktime.format_periods(worktime.periods_from_json(raw))))
    return rows


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The user's government's holidays this year; a list when they see several governments."""
    governments = list(selectors.government_list(scope=_scope(request)))
    year = timezone.localdate().year
    if len(governments) == 1:
        return redirect(_holidays_url(governments[0], year))
    return render(request, "calendars/index.html", {"governments": governments, "year": year})


@login_required
@require_GET
@service_errors
def holiday_list(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    scope = _scope(request)
    government = _government(request, government_id)
    year = _checked_year(year)
    calendar = selectors.working_calendar_get(scope=scope, government=government)
    context: dict[str, Any] = {
        "government": government,
        "year": year,
        "years": [
            y for y in (year - 1, year + 1) if national.FIRST_YEAR <= y <= national.LAST_YEAR
        ],
        "hours": _hours(calendar),
        "holidays": selectors.holiday_list(scope=scope, government=government, year=year),
        "archived": selectors.holiday_list(
            scope=scope, government=government, year=year, archived=True
        ),
        "can_edit": scope.can_administer_government(government.pk),
        "form": HolidayForm(initial={"date": f"{year}-01-01"}),
    }
    return render(request, "calendars/holiday_list.html", context)


@login_required
@GET_POST
@service_errors
def holiday_add(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    scope = _scope(request)
    government = _government(request, government_id)
    year = _checked_year(year)
    access_government_for_admin(scope, government.pk)
    form = HolidayForm(request.POST or None, initial={"date": f"{year}-01-01"})
    if form.is_valid():
        with errors_to_form(form):
            holiday = services.holiday_add(actor=scope, government=government, **form.cleaned_data)
            messages.success(
                request,
                _("%(name)s on %(date)s is now a day off.")
                % {"name": holiday.name, "date": formats.date_format(holiday.date, "j F Y")},
            )
            return redirect(_holidays_url(government, holiday.date.year))
    return render(
        request,
        "calendars/form.html",
        {
            "form": form,
            "government": government,
            "year": year,
            "title": _("New holiday"),
            "back": _holidays_url(government, year),
        },
    )


@login_required
@require_POST
@service_errors
def holiday_archive(request: HttpRequest, holiday_id: int) -> HttpResponse:
    scope = _scope(request)
    holiday = selectors.holiday_get(scope=scope, holiday_id=holiday_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.holiday_archive(actor=scope, holiday=holiday, reason=reason)
    messages.success(request, _("%(name)s is a working day again.") % {"name": holiday.name})
    return redirect(_holidays_url(holiday.government, holiday.date.year))


@login_required
@require_POST
@service_errors
def holidays_sync(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    scope = _scope(request)
    government = _government(request, government_id)
    result = services.holidays_sync(actor=scope, government=government, year=year)
    added, archived = len(result.added), len(result.archived)
    text = ngettext(
        "%(count)d holiday added from the national list.",
        "%(count)d holidays added from the national list.",
        added,
    ) % {"count": added}
    if archived:
        text += " " + ngettext(
            "%(count)d holiday no longer in the list was removed.",
            "%(count)d holidays no longer in the list were removed.",
            archived,
        ) % {"count": archived}
    messages.success(request, text)
    return redirect(_holidays_url(government, year))


@login_required
@GET_POST
@service_errors
def working_calendar_update(request: HttpRequest, government_id: int) -> HttpResponse:
    scope = _scope(request)
    government = _government(request, government_id)
    access_government_for_admin(scope, government.pk)
    calendar = selectors.working_calendar_get(scope=scope, government=government)
    form = WorkingCalendarForm(
        request.POST or None, initial=WorkingCalendarForm.initial_for(calendar)
    )
    year = timezone.localdate().year
    if form.is_valid():
        with errors_to_form(form):
            services.working_calendar_update(
                actor=scope, government=government, **form.service_arguments()
            )
            messages.success(request, _("The working hours were saved."))
            return redirect(_holidays_url(government, year))
    return render(
        request,
        "calendars/form.html",
        {
            "form": form,
            "government": government,
            "year": year,
            "title": _("Working days and hours"),
            "back": _holidays_url(government, year),
        },
    )
