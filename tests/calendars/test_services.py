"""Writes of the working calendars: who may, what is validated, history, and the national sync."""

import datetime
from typing import Any

import pytest

from kinerja.calendars import national
from kinerja.calendars.models import Holiday, WorkingCalendar
from kinerja.calendars.services import (
    holiday_add,
    holiday_archive,
    holidays_sync,
    working_calendar_update,
)
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.organizations.access import scope_for
from kinerja.workflow.domain.worktime import DEFAULT_PERIODS, parse_periods

pytestmark = pytest.mark.django_db

D = datetime.date
SHORT_FRIDAY = parse_periods("08:00-11:30, 13:30-17:00")


def records(instance, action):
    return ChangeRecord.objects.filter(
        app_label="calendars",
        model=instance._meta.model_name,
        object_id=str(instance.pk),
        action=action,
    )


# --- working days and hours ------------------------------------------------------------------


def test_first_change_creates_the_calendar_with_a_change_record(government, admin_scope):
    calendar = working_calendar_update(
        actor=admin_scope,
        government=government,
        working_weekdays=[4, 0, 1, 2, 3],
        periods=DEFAULT_PERIODS,
        weekday_periods={4: SHORT_FRIDAY},
    )
    calendar.refresh_from_db()
    assert calendar.working_weekdays == [0, 1, 2, 3, 4]
    assert calendar.periods == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert calendar.weekday_periods == {"4": [["08:00", "11:30"], ["13:30", "17:00"]]}
    record = records(calendar, "create").get()
    assert record.user_id == admin_scope.user_id
    assert record.changes["weekday_periods"]["new"] == calendar.weekday_periods


def test_update_records_only_what_changed(government, admin_scope):
    kwargs: dict[str, Any] = {
        "working_weekdays": range(5),
        "periods": DEFAULT_PERIODS,
        "weekday_periods": {},
    }
    calendar = working_calendar_update(actor=admin_scope, government=government, **kwargs)
    working_calendar_update(actor=admin_scope, government=government, **kwargs)
    assert not records(calendar, "update").exists()

    working_calendar_update(
        actor=admin_scope,
        government=government,
        working_weekdays=range(6),
        periods=DEFAULT_PERIODS,
        weekday_periods={5: parse_periods("08:00-12:00")},
    )
    record = records(calendar, "update").get()
    assert set(record.changes) == {"working_weekdays", "weekday_periods"}
    assert record.changes["working_weekdays"] == {"old": [0, 1, 2, 3, 4], "new": [0, 1, 2, 3, 4, 5]}
    assert WorkingCalendar.objects.get(government=government).working_weekdays == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"working_weekdays": []}, "working_weekdays", id="no-working-day"),
        pytest.param({"periods": ()}, "periods", id="no-hours"),
        pytest.param(
            {"periods": parse_periods("08:00-12:00, 11:00-15:00")}, "periods", id="overlapping"
        ),
        pytest.param({"weekday_periods": {5: DEFAULT_PERIODS}}, "periods_5", id="saturday-off"),
        pytest.param(
            {"weekday_periods": {4: parse_periods("13:00-17:00, 08:00-12:00")}},
            "periods_4",
            id="friday-out-of-order",
        ),
    ],
)
def test_inconsistent_hours_are_rejected_and_nothing_changes(
    government, admin_scope, kwargs, field
):
    arguments = {"working_weekdays": range(5), "periods": DEFAULT_PERIODS, "weekday_periods": {}}
    with pytest.raises(ValidationFailed) as error:
        working_calendar_update(actor=admin_scope, government=government, **{**arguments, **kwargs})
    assert field in error.value.errors
    assert not WorkingCalendar.objects.exists()
    assert not ChangeRecord.objects.filter(app_label="calendars").exists()


def test_default_hours_may_be_empty_when_each_day_has_its_own(government, admin_scope):
    calendar = working_calendar_update(
        actor=admin_scope,
        government=government,
        working_weekdays=[0],
        periods=(),
        weekday_periods={0: DEFAULT_PERIODS},
    )
    assert calendar.periods == []


@pytest.mark.parametrize("who", ["reader", "outsider", "other_admin"])
def test_only_the_government_admin_changes_hours(request, government, who):
    scope = scope_for(request.getfixturevalue(who))
    with pytest.raises(AccessDenied):
        working_calendar_update(
            actor=scope,
            government=government,
            working_weekdays=range(5),
            periods=DEFAULT_PERIODS,
            weekday_periods={},
        )
    assert not WorkingCalendar.objects.exists()


def test_superuser_changes_any_calendar(government, superuser):
    calendar = working_calendar_update(
        actor=scope_for(superuser),
        government=government,
        working_weekdays=range(5),
        periods=DEFAULT_PERIODS,
        weekday_periods={},
    )
    assert calendar.pk is not None


# --- holidays ------------------------------------------------------------------------------


def test_holiday_add_marks_a_day_off(government, admin_scope):
    holiday = holiday_add(
        actor=admin_scope,
        government=government,
        date=D(2025, 11, 3),
        name="  Hari Jadi   Provinsi ",
        kind=Holiday.Kind.REGIONAL,
    )
    assert (holiday.name, holiday.kind, holiday.source) == (
        "Hari Jadi Provinsi",
        "regional",
        "manual",
    )
    assert records(holiday, "create").get().changes["name"]["new"] == "Hari Jadi Provinsi"


def test_holiday_add_rejects_a_duplicate_and_a_blank_name(government, admin_scope):
    add = {"actor": admin_scope, "government": government, "date": D(2025, 11, 3)}
    holiday_add(**add, name="Hari Jadi")
    with pytest.raises(ValidationFailed) as error:
        holiday_add(**add, name="Hari Jadi")
    assert "name" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        holiday_add(**add, name="   ")
    assert "name" in error.value.errors
    holiday_add(**add, name="Pilkada")
    assert Holiday.objects.filter(date=D(2025, 11, 3)).count() == 2


def test_holiday_add_rejects_an_unknown_kind(government, admin_scope):
    with pytest.raises(ValidationFailed) as error:
        holiday_add(
            actor=admin_scope, government=government, date=D(2025, 1, 2), name="X", kind="weekend"
        )
    assert "kind" in error.value.errors


@pytest.mark.parametrize("who", ["reader", "outsider", "other_admin"])
def test_only_the_government_admin_adds_and_archives(request, government, admin_scope, who):
    scope = scope_for(request.getfixturevalue(who))
    holiday = holiday_add(actor=admin_scope, government=government, date=D(2025, 5, 2), name="A")
    with pytest.raises(AccessDenied):
        holiday_add(actor=scope, government=government, date=D(2025, 5, 2), name="B")
    with pytest.raises(AccessDenied):
        holiday_archive(actor=scope, holiday=holiday)
    holiday.refresh_from_db()
    assert not holiday.is_archived
    assert Holiday.objects.count() == 1


def test_archive_keeps_the_row_and_the_history(government, admin_scope):
    holiday = holiday_add(actor=admin_scope, government=government, date=D(2025, 5, 2), name="A")
    holiday_archive(actor=admin_scope, holiday=holiday, reason="Dibatalkan")
    holiday.refresh_from_db()
    assert holiday.is_archived
    assert records(holiday, "archive").get().reason == "Dibatalkan"
    with pytest.raises(Conflict):
        holiday_archive(actor=admin_scope, holiday=holiday)
    # the same day and name may be marked again later
    again = holiday_add(actor=admin_scope, government=government, date=D(2025, 5, 2), name="A")
    assert again.pk != holiday.pk
    assert Holiday.objects.count() == 2


# --- sync with the national list --------------------------------------------------------------


def current(government, **filters):
    return Holiday.objects.filter(government=government, archived_at__isnull=True, **filters)


def test_sync_brings_national_holidays_and_cuti_bersama(government, admin_scope):
    result = holidays_sync(actor=admin_scope, government=government, year=2025)
    expected = national.national_holidays(2025)
    assert len(result.added) == len(expected) == current(government).count()
    assert result.archived == []
    idul_fitri = current(government, date=D(2025, 3, 31)).get()
    assert idul_fitri.kind == Holiday.Kind.NATIONAL
    assert idul_fitri.source == Holiday.Source.PACKAGE
    assert "Idul Fitri" in idul_fitri.name  # Indonesian names
    cuti = current(government, date=D(2025, 4, 2)).get()
    assert cuti.kind == Holiday.Kind.CUTI_BERSAMA
    assert cuti.name.startswith("Cuti Bersama")
    assert current(government, date__year=2024).count() == 0
    assert records(idul_fitri, "create").get().reason == national.SOURCE


def test_sync_is_idempotent(government, admin_scope):
    holidays_sync(actor=admin_scope, government=government, year=2025)
    rows = list(current(government).values_list("pk", "date", "name"))
    changes = ChangeRecord.objects.count()
    again = holidays_sync(actor=admin_scope, government=government, year=2025)
    assert again.added == [] and again.archived == []
    assert list(current(government).values_list("pk", "date", "name")) == rows
    assert ChangeRecord.objects.count() == changes


def test_sync_never_overrides_an_administrator(government, admin_scope):
    holidays_sync(actor=admin_scope, government=government, year=2025)
    removed = current(government, date=D(2025, 4, 7)).get()
    holiday_archive(actor=admin_scope, holiday=removed, reason="Kantor buka")
    regional = holiday_add(
        actor=admin_scope, government=government, date=D(2025, 10, 13), name="Hari Jadi"
    )

    result = holidays_sync(actor=admin_scope, government=government, year=2025)

    assert result.added == [] and result.archived == []
    assert not current(government, date=D(2025, 4, 7)).exists()  # stays removed
    assert current(government, pk=regional.pk).exists()  # manual rows untouched


def test_sync_does_not_duplicate_a_day_added_by_hand(government, admin_scope):
    listed = next(h for h in national.national_holidays(2025) if h.date == D(2025, 8, 17))
    manual = holiday_add(
        actor=admin_scope,
        government=government,
        date=listed.date,
        name=listed.name,
        kind=Holiday.Kind.NATIONAL,
    )
    holidays_sync(actor=admin_scope, government=government, year=2025)
    assert list(current(government, date=listed.date)) == [manual]
    assert current(government, date=listed.date).get().source == Holiday.Source.MANUAL


def test_sync_archives_package_days_the_list_dropped(government, admin_scope):
    stale = Holiday.objects.create(
        government=government,
        date=D(2025, 3, 30),
        name="Hari Raya Idul Fitri (perkiraan)",
        kind=Holiday.Kind.NATIONAL,
        source=Holiday.Source.PACKAGE,
    )
    other_year = Holiday.objects.create(
        government=government,
        date=D(2024, 3, 30),
        name="Tidak ada lagi",
        kind=Holiday.Kind.NATIONAL,
        source=Holiday.Source.PACKAGE,
    )
    result = holidays_sync(actor=admin_scope, government=government, year=2025)
    assert result.archived == [stale]
    stale.refresh_from_db()
    other_year.refresh_from_db()
    assert stale.is_archived and not other_year.is_archived
    assert "holidays" in records(stale, "archive").get().reason


def test_sync_touches_only_its_own_government(government, other_agency, admin_scope, superuser):
    holidays_sync(actor=scope_for(superuser), government=other_agency.government, year=2025)
    holidays_sync(actor=admin_scope, government=government, year=2025)
    assert current(government).count() == current(other_agency.government).count() > 0


@pytest.mark.parametrize("year", [1900, 2500])
def test_sync_rejects_a_year_outside_the_list(government, admin_scope, year):
    with pytest.raises(ValidationFailed) as error:
        holidays_sync(actor=admin_scope, government=government, year=year)
    assert "year" in error.value.errors


@pytest.mark.parametrize("who", ["reader", "outsider", "other_admin"])
def test_only_the_government_admin_syncs(request, government, who):
    with pytest.raises(AccessDenied):
        holidays_sync(
            actor=scope_for(request.getfixturevalue(who)), government=government, year=2025
        )
    assert not Holiday.objects.exists()
