"""Reads of the working calendars: the domain calendar, its query count, and who sees what."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from kinerja.calendars.models import Holiday
from kinerja.calendars.selectors import (
    calendar_for,
    government_get,
    government_list,
    holiday_get,
    holiday_list,
    working_calendar_get,
)
from kinerja.calendars.services import holiday_add, holidays_sync, working_calendar_update
from kinerja.core.errors import NotFound
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Government
from kinerja.workflow.domain.worktime import (
    DEFAULT_PERIODS,
    MONDAY_TO_FRIDAY,
    add_working_minutes,
    parse_periods,
)
from tests.factories import GovernmentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
WITA = ZoneInfo("Asia/Makassar")


def holidays(government, dates, *, archived=False):
    now = datetime.datetime.now(datetime.UTC)
    Holiday.objects.bulk_create(
        Holiday(
            government=government,
            date=day,
            name=f"Libur {day}",
            kind=Holiday.Kind.REGIONAL,
            source=Holiday.Source.MANUAL,
            archived_at=now if archived else None,
        )
        for day in dates
    )


# --- calendar_for ----------------------------------------------------------------------------


def test_defaults_until_the_calendar_is_changed(government):
    calendar = calendar_for(government=government)
    assert calendar.time_zone == "Asia/Makassar"  # the government's own zone (WITA)
    assert calendar.working_weekdays == MONDAY_TO_FRIDAY
    assert calendar.periods == DEFAULT_PERIODS
    assert calendar.non_working_dates == frozenset()


def test_stored_hours_and_current_holidays_only(government, other_agency, admin_scope):
    working_calendar_update(
        actor=admin_scope,
        government=government,
        working_weekdays=range(5),
        periods=DEFAULT_PERIODS,
        weekday_periods={4: parse_periods("08:00-11:30, 13:30-17:00")},
    )
    holidays(government, [D(2024, 5, 1), D(2025, 5, 1)])
    holidays(government, [D(2025, 6, 2)], archived=True)
    holidays(other_agency.government, [D(2025, 6, 3)])

    calendar = calendar_for(government=government)
    assert calendar.working_minutes_on(D(2025, 1, 10)) == 420  # Friday
    assert calendar.non_working_dates == {D(2024, 5, 1), D(2025, 5, 1)}
    assert calendar_for(government=government, since=D(2025, 1, 1)).non_working_dates == {
        D(2025, 5, 1)
    }


def test_due_time_over_idul_fitri_with_synced_holidays(government, admin_scope):
    holidays_sync(actor=admin_scope, government=government, year=2025)
    calendar = calendar_for(government=government)
    start = datetime.datetime(2025, 3, 27, 9, 0, tzinfo=WITA)
    assert add_working_minutes(calendar, start, 480) == datetime.datetime(
        2025, 4, 8, 9, 0, tzinfo=WITA
    )


@pytest.mark.parametrize("count", [3, 300])
def test_calendar_for_takes_two_queries(government, admin_scope, count, django_assert_num_queries):
    working_calendar_update(
        actor=admin_scope,
        government=government,
        working_weekdays=range(5),
        periods=DEFAULT_PERIODS,
        weekday_periods={},
    )
    holidays(government, [D(2020, 1, 1) + datetime.timedelta(days=i) for i in range(count)])
    government = Government.objects.get(pk=government.pk)
    with django_assert_num_queries(2):
        calendar = calendar_for(government=government)
    assert len(calendar.non_working_dates) == count


# --- scoped reads ------------------------------------------------------------------------------


def test_government_list_per_user(government, other_agency, gov_admin, reader, outsider, superuser):
    other = other_agency.government
    assert list(government_list(scope=scope_for(gov_admin))) == [government]
    assert list(government_list(scope=scope_for(reader))) == [government]
    assert list(government_list(scope=scope_for(outsider))) == [other]
    assert set(government_list(scope=scope_for(superuser))) == {government, other}
    GovernmentFactory(archived_at=datetime.datetime.now(datetime.UTC))
    assert set(government_list(scope=scope_for(superuser))) == {government, other}


def test_other_governments_are_not_found(government, admin_scope, outsider_scope):
    holiday = holiday_add(actor=admin_scope, government=government, date=D(2025, 2, 3), name="A")
    with pytest.raises(NotFound):
        government_get(scope=outsider_scope, government_id=government.pk)
    with pytest.raises(NotFound):
        holiday_list(scope=outsider_scope, government=government, year=2025)
    with pytest.raises(NotFound):
        working_calendar_get(scope=outsider_scope, government=government)
    with pytest.raises(NotFound):
        holiday_get(scope=outsider_scope, holiday_id=holiday.pk)
    with pytest.raises(NotFound):
        holiday_get(scope=admin_scope, holiday_id=holiday.pk + 1000)


def test_holiday_list_by_year_current_or_removed(government, reader_scope):
    holidays(government, [D(2025, 3, 3), D(2025, 1, 2), D(2024, 12, 31), D(2026, 1, 1)])
    holidays(government, [D(2025, 7, 7)], archived=True)
    rows = holiday_list(scope=reader_scope, government=government, year=2025)
    assert [h.date for h in rows] == [D(2025, 1, 2), D(2025, 3, 3)]
    removed = holiday_list(scope=reader_scope, government=government, year=2025, archived=True)
    assert [h.date for h in removed] == [D(2025, 7, 7)]


def test_working_calendar_get_gives_defaults_unsaved(government, reader_scope):
    calendar = working_calendar_get(scope=reader_scope, government=government)
    assert calendar.pk is None
    assert calendar.working_weekdays == [0, 1, 2, 3, 4]
    assert calendar.periods == [["08:00", "12:00"], ["13:00", "17:00"]]
