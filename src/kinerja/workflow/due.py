"""Due times: a step's standard duration counted in the agency's working calendar.

A task opened outside working hours (an evening, a weekend, a holiday) starts
counting at the next working moment; 480 minutes is one working day.
"""

import datetime

from kinerja.calendars.selectors import calendar_for
from kinerja.organizations.models import Agency
from kinerja.workflow.domain.worktime import WorkingCalendar, add_working_minutes


def agency_calendar(*, agency: Agency, since: datetime.datetime) -> WorkingCalendar:
    """The working calendar of the agency's government, holidays from the day before `since`.

    (The day before: `since` is UTC, the agency's local date may be a day later.)
    """
    return calendar_for(government=agency.government, since=since.date() - datetime.timedelta(1))


def due_at(
    *, calendar: WorkingCalendar, opened_at: datetime.datetime, minutes: int
) -> datetime.datetime:
    """The moment `minutes` of working time after `opened_at`."""
    return add_working_minutes(calendar, opened_at, minutes)


def task_due_at(*, agency: Agency, opened_at: datetime.datetime, minutes: int) -> datetime.datetime:
    """`due_at` in the agency's calendar (two queries; use `due_at` for many tasks at once)."""
    return due_at(
        calendar=agency_calendar(agency=agency, since=opened_at),
        opened_at=opened_at,
        minutes=minutes,
    )
