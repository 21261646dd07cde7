"""Reads of the working calendars.

Everyone who works in a government (or administers it) may see its calendar;
other governments' calendars are NotFound. `calendar_for` is the system read
the workflow uses to compute due times: it takes no scope because a due time
is the same whoever asks.
"""

import datetime

from django.db.models import Q, QuerySet

from kinerja.calendars.models import Holiday, WorkingCalendar
from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Government
from kinerja.workflow.domain import worktime


def calendar_for(
    *, government: Government, since: datetime.date | None = None
) -> worktime.WorkingCalendar:
    """The government's working calendar for the working-time arithmetic (two queries).

    The non-working dates are the current holidays of every year, or only those
    on or after `since` when the caller never looks back further (a due time
    computed from today needs no earlier holiday).
    """
    row = WorkingCalendar.objects.filter(government=government).first()
    dates = Holiday.objects.filter(government=government, archived_at__isnull=True)
    if since is not None:
        dates = dates.filter(date__gte=since)
    non_working = frozenset(dates.values_list("date", flat=True))
    if row is None:
        return worktime.WorkingCalendar(
            time_zone=government.time_zone, non_working_dates=non_working
        )
    return row.as_domain(time_zone=government.time_zone, non_working_dates=non_working)


def government_list(*, scope: UserScope) -> QuerySet[Government]:
    """The governments whose calendars the user may see."""
    governments = Government.objects.filter(archived_at__isnull=True)
    if scope.sees_all():
        return governments
    return governments.filter(Q(pk__in=scope.government_ids) | Q(pk__in=scope.admin_government_ids))


def government_get(*, scope: UserScope, government_id: int) -> Government:
    government = government_list(scope=scope).filter(pk=government_id).first()
    if government is None:
        raise NotFound("government")
    return government


def _visible(scope: UserScope, government: Government) -> None:
    if not (
        scope.sees_all()
        or government.pk in scope.government_ids
        or government.pk in scope.admin_government_ids
    ):
        raise NotFound("government")


def working_calendar_get(*, scope: UserScope, government: Government) -> WorkingCalendar:
    """The stored working days and hours, or an unsaved row holding the defaults."""
    _visible(scope, government)
    row = WorkingCalendar.objects.filter(government=government).first()
    return row or WorkingCalendar(government=government)


def holiday_list(
    *, scope: UserScope, government: Government, year: int, archived: bool = False
) -> QuerySet[Holiday]:
    """The government's holidays of a year, by date: the current ones, or the removed ones."""
    _visible(scope, government)
    return Holiday.objects.filter(
        government=government,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
        archived_at__isnull=not archived,
    ).order_by("date", "name")


def holiday_get(*, scope: UserScope, holiday_id: int) -> Holiday:
    holiday = Holiday.objects.select_related("government").filter(pk=holiday_id).first()
    if holiday is None:
        raise NotFound("holiday")
    _visible(scope, holiday.government)
    return holiday
