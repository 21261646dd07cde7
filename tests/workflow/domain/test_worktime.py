"""Working-time arithmetic: worked examples and properties (pure Python, no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kinerja.workflow.domain.worktime import (
    DEFAULT_PERIODS,
    Period,
    WorkingCalendar,
    add_working_minutes,
    format_periods,
    is_working_time,
    next_working_moment,
    parse_periods,
    periods_from_json,
    periods_to_json,
    working_minutes_between,
)

UTC = dt.UTC
WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")

# National holidays and cuti bersama around Idul Fitri and the year end (2025/2026).
HOLIDAYS = frozenset(
    dt.date.fromisoformat(d)
    for d in (
        "2025-01-01",
        "2025-03-28",  # cuti bersama Nyepi
        "2025-03-31",  # Idul Fitri
        "2025-04-01",
        "2025-04-02",  # cuti bersama Idul Fitri …
        "2025-04-03",
        "2025-04-04",
        "2025-04-07",
        "2025-04-18",
        "2025-12-25",
        "2025-12-26",  # cuti bersama Natal
        "2026-01-01",
    )
)
JAKARTA = WorkingCalendar(time_zone="Asia/Jakarta", non_working_dates=HOLIDAYS)
MAKASSAR = WorkingCalendar(time_zone="Asia/Makassar", non_working_dates=HOLIDAYS)
JAYAPURA = WorkingCalendar(time_zone="Asia/Jayapura", non_working_dates=HOLIDAYS)
SHORT_FRIDAY = WorkingCalendar(
    weekday_periods={4: parse_periods("08:00-11:30, 13:30-17:00")},
)
SIX_DAYS = WorkingCalendar(
    working_weekdays=frozenset(range(6)),
    weekday_periods={5: parse_periods("08:00-12:00")},
)


def wib(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


def case(*values):
    """A table row; the last value names it."""
    return pytest.param(*values[:-1], id=values[-1])


# --- add_working_minutes: worked examples ----------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "minutes", "expected"),
    [
        case(JAKARTA, "2025-01-10 14:00", 480, "2025-01-13 14:00", "fri-pm-one-day-to-mon"),
        case(JAKARTA, "2025-01-06 08:00", 480, "2025-01-06 17:00", "end-of-day-same-day"),
        case(JAKARTA, "2025-01-06 13:00", 240, "2025-01-06 17:00", "afternoon-to-17"),
        case(JAKARTA, "2025-01-06 08:00", 240, "2025-01-06 12:00", "morning-ends-at-12"),
        case(JAKARTA, "2025-01-06 08:00", 241, "2025-01-06 13:01", "one-past-lunch"),
        case(JAKARTA, "2025-01-06 11:30", 60, "2025-01-06 13:30", "over-lunch"),
        case(JAKARTA, "2025-01-06 12:15", 30, "2025-01-06 13:30", "start-in-lunch"),
        case(JAKARTA, "2025-01-06 22:00", 30, "2025-01-07 08:30", "start-at-night"),
        case(JAKARTA, "2025-01-07 05:00", 30, "2025-01-07 08:30", "start-before-dawn"),
        case(JAKARTA, "2025-01-11 10:00", 30, "2025-01-13 08:30", "start-on-saturday"),
        case(JAKARTA, "2025-01-10 17:00", 0, "2025-01-13 08:00", "zero-after-hours"),
        case(JAKARTA, "2025-01-06 12:00", 0, "2025-01-06 13:00", "zero-at-lunch"),
        case(JAKARTA, "2025-01-06 10:00", 0, "2025-01-06 10:00", "zero-working"),
        case(JAKARTA, "2025-01-06 10:00:30", 1, "2025-01-06 10:01:30", "seconds-kept"),
        case(JAKARTA, "2025-12-24 10:00", 480, "2025-12-29 10:00", "christmas-and-cuti-bersama"),
        case(JAKARTA, "2025-03-27 09:00", 480, "2025-04-08 09:00", "idul-fitri-week"),
        case(JAKARTA, "2025-03-29 09:00", 0, "2025-04-08 08:00", "idul-fitri-zero"),
        case(JAKARTA, "2025-12-31 15:00", 480, "2026-01-02 15:00", "year-end"),
        case(JAKARTA, "2025-12-31 17:00", 1, "2026-01-02 08:01", "new-years-day"),
        case(JAKARTA, "2025-01-06 08:00", 2400, "2025-01-10 17:00", "five-days-2400"),
        case(WorkingCalendar(), "2025-01-06 08:00", 57_600, "2025-06-20 17:00", "120-days"),
        case(SHORT_FRIDAY, "2025-01-10 08:00", 420, "2025-01-10 17:00", "short-friday-full"),
        case(SHORT_FRIDAY, "2025-01-10 11:00", 60, "2025-01-10 14:00", "short-friday-prayer"),
        case(SHORT_FRIDAY, "2025-01-10 11:45", 0, "2025-01-10 13:30", "short-friday-zero"),
        case(SHORT_FRIDAY, "2025-01-09 13:00", 660, "2025-01-10 17:00", "thu-into-fri"),
        case(SIX_DAYS, "2025-01-10 16:00", 120, "2025-01-11 09:00", "saturday-works"),
        case(SIX_DAYS, "2025-01-11 11:00", 120, "2025-01-13 09:00", "saturday-half-day"),
    ],
)
def test_add_working_minutes(calendar, start, minutes, expected):
    result = add_working_minutes(calendar, wib(start), minutes)
    assert result == wib(expected)
    assert result.tzinfo == calendar.zone


@pytest.mark.parametrize(
    ("calendar", "zone", "expected_local"),
    [
        # 2025-01-06 09:00 UTC is 16:00 WIB, 17:00 WITA, 18:00 WIT.
        pytest.param(JAKARTA, WIB, "2025-01-06 17:00", id="WIB-still-today"),
        pytest.param(MAKASSAR, WITA, "2025-01-07 09:00", id="WITA-next-morning"),
        pytest.param(JAYAPURA, WIT, "2025-01-07 09:00", id="WIT-next-morning"),
    ],
)
def test_same_instant_in_each_indonesian_zone(calendar, zone, expected_local):
    start = dt.datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    result = add_working_minutes(calendar, start, 60)
    assert result == dt.datetime.fromisoformat(expected_local).replace(tzinfo=zone)
    assert str(result.tzinfo) == calendar.time_zone


def test_same_instant_gives_different_due_instants_per_zone():
    start = dt.datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    dues = [add_working_minutes(c, start, 60) for c in (JAKARTA, MAKASSAR, JAYAPURA)]
    assert [due.astimezone(UTC).isoformat() for due in dues] == [
        "2025-01-06T10:00:00+00:00",
        "2025-01-07T01:00:00+00:00",
        "2025-01-07T00:00:00+00:00",
    ]


def test_start_in_another_zone_is_converted_first():
    # 2025-01-06 23:30 UTC is Tuesday 06:30 WIB: work starts Tuesday 08:00.
    start = dt.datetime(2025, 1, 6, 23, 30, tzinfo=UTC)
    assert add_working_minutes(JAKARTA, start, 30) == wib("2025-01-07 08:30")


# --- working_minutes_between, is_working_time, next_working_moment --------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        case(JAKARTA, "2025-01-10 14:00", "2025-01-13 14:00", 480, "weekend"),
        case(JAKARTA, "2025-01-06 11:00", "2025-01-06 14:00", 120, "lunch"),
        case(JAKARTA, "2025-01-06 08:00", "2025-01-06 17:00", 480, "one-day"),
        case(JAKARTA, "2025-01-06 00:00", "2025-01-13 00:00", 2400, "one-week"),
        case(JAKARTA, "2025-01-06 10:00", "2025-01-06 10:00", 0, "same-moment"),
        case(JAKARTA, "2025-01-07 10:00", "2025-01-06 10:00", 0, "end-before-start"),
        case(JAKARTA, "2025-01-11 09:00", "2025-01-12 16:00", 0, "inside-weekend"),
        case(JAKARTA, "2025-03-27 09:00", "2025-04-08 09:00", 480, "idul-fitri"),
        case(JAKARTA, "2025-12-31 15:00", "2026-01-02 15:00", 480, "year-end"),
        case(JAKARTA, "2025-01-06 10:00:30", "2025-01-06 10:02:00", 1, "floors"),
        case(SHORT_FRIDAY, "2025-01-06 00:00", "2025-01-13 00:00", 2340, "short-fri-week"),
        case(WorkingCalendar(), "2025-01-01 00:00", "2026-01-01 00:00", 261 * 480, "year"),
    ],
)
def test_working_minutes_between(calendar, start, end, expected):
    assert working_minutes_between(calendar, wib(start), wib(end)) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2025-01-06 08:00", True),
        ("2025-01-06 11:59:59", True),
        ("2025-01-06 12:00", False),
        ("2025-01-06 13:00", True),
        ("2025-01-06 17:00", False),
        ("2025-01-06 07:59", False),
        ("2025-01-11 10:00", False),  # Saturday
        ("2025-04-02 10:00", False),  # cuti bersama
        ("2025-04-08 10:00", True),
    ],
)
def test_is_working_time(moment, expected):
    assert is_working_time(JAKARTA, wib(moment)) is expected


def test_next_working_moment():
    assert next_working_moment(JAKARTA, wib("2025-01-06 10:00")) == wib("2025-01-06 10:00")
    assert next_working_moment(JAKARTA, wib("2025-01-06 12:30")) == wib("2025-01-06 13:00")
    assert next_working_moment(JAKARTA, wib("2025-12-24 17:00")) == wib("2025-12-29 08:00")


def test_days():
    assert JAKARTA.is_working_day(dt.date(2025, 4, 8))
    assert not JAKARTA.is_working_day(dt.date(2025, 4, 7))
    assert not JAKARTA.is_working_day(dt.date(2025, 4, 5))
    assert SHORT_FRIDAY.working_minutes_on(dt.date(2025, 1, 10)) == 420
    assert SHORT_FRIDAY.working_minutes_on(dt.date(2025, 1, 9)) == 480
    assert SHORT_FRIDAY.periods_on(dt.date(2025, 1, 11)) == ()
    assert JAKARTA.periods_on(dt.date(2025, 1, 6)) == DEFAULT_PERIODS
    assert sum(p.minutes for p in DEFAULT_PERIODS) == 480


# --- invalid input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"time_zone": "Asia/Nowhere"}, id="unknown-zone"),
        pytest.param({"time_zone": ""}, id="empty-zone"),
        pytest.param({"working_weekdays": frozenset()}, id="no-working-day"),
        pytest.param({"working_weekdays": frozenset({7})}, id="weekday-out-of-range"),
        pytest.param({"periods": ()}, id="no-periods"),
        pytest.param({"periods": parse_periods("08:00-12:00, 11:00-15:00")}, id="overlap"),
        pytest.param({"periods": parse_periods("13:00-17:00, 08:00-12:00")}, id="out-of-order"),
        pytest.param({"weekday_periods": {5: DEFAULT_PERIODS}}, id="override-on-day-off"),
        pytest.param({"weekday_periods": {4: ()}}, id="empty-override"),
    ],
)
def test_inconsistent_calendar_is_rejected(kwargs):
    with pytest.raises(ValueError):
        WorkingCalendar(**kwargs)


def test_default_periods_may_be_empty_when_every_working_day_has_its_own():
    calendar = WorkingCalendar(
        working_weekdays=frozenset({0}), periods=(), weekday_periods={0: DEFAULT_PERIODS}
    )
    assert calendar.working_minutes_on(dt.date(2025, 1, 6)) == 480


def test_naive_datetimes_and_negative_minutes_are_rejected():
    with pytest.raises(ValueError):
        add_working_minutes(JAKARTA, dt.datetime(2025, 1, 6, 8), 10)
    with pytest.raises(ValueError):
        working_minutes_between(JAKARTA, dt.datetime(2025, 1, 6, 8), wib("2025-01-07 08:00"))
    with pytest.raises(ValueError):
        add_working_minutes(JAKARTA, wib("2025-01-06 08:00"), -1)


@pytest.mark.parametrize(
    "bad", [(dt.time(12), dt.time(8)), (dt.time(8), dt.time(8)), (dt.time(8, 0, 30), dt.time(9))]
)
def test_bad_period(bad):
    with pytest.raises(ValueError):
        Period(*bad)


# --- text and JSON forms of periods ----------------------------------------------------------


def test_parse_and_format_periods():
    expected = (Period(dt.time(8), dt.time(11, 30)), Period(dt.time(13, 30), dt.time(17)))
    assert parse_periods("08:00-11:30, 13:30-17:00") == expected
    assert parse_periods(" 8.00 – 11.30 ; 13.30—17.00 ") == expected
    assert parse_periods("  ") == ()
    assert format_periods(expected) == "08:00-11:30, 13:30-17:00"
    assert periods_to_json(expected) == [["08:00", "11:30"], ["13:30", "17:00"]]
    assert periods_from_json(periods_to_json(expected)) == expected


@pytest.mark.parametrize("text", ["8-12", "08:00", "08:00-25:00", "12:00-08:00", "pagi"])
def test_parse_periods_rejects(text):
    with pytest.raises(ValueError):
        parse_periods(text)


@pytest.mark.parametrize("raw", [{}, [["08:00"]], [[8, 12]], [["08:00", "nanti"]], "08:00-12:00"])
def test_periods_from_json_rejects(raw):
    with pytest.raises(ValueError):
        periods_from_json(raw)


# --- properties --------------------------------------------------------------------------------

ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC"]


@st.composite
def period_sets(draw) -> tuple[Period, ...]:
    """1–3 ordered, non-overlapping periods in whole minutes of one day."""
    count = draw(st.integers(1, 3))
    bounds = sorted(draw(st.sets(st.integers(0, 1439), min_size=2 * count, max_size=2 * count)))
    return tuple(
        Period(dt.time(*divmod(bounds[i], 60)), dt.time(*divmod(bounds[i + 1], 60)))
        for i in range(0, len(bounds), 2)
    )


@st.composite
def calendars(draw) -> WorkingCalendar:
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1))
    overridden = draw(st.sets(st.sampled_from(sorted(weekdays))))
    return WorkingCalendar(
        time_zone=draw(st.sampled_from(ZONES)),
        working_weekdays=frozenset(weekdays),
        periods=draw(period_sets()),
        weekday_periods={day: draw(period_sets()) for day in overridden},
        non_working_dates=frozenset(
            draw(st.sets(st.dates(dt.date(2024, 12, 1), dt.date(2026, 2, 1)), max_size=40))
        ),
    )


moments = st.datetimes(
    min_value=dt.datetime(2024, 12, 20), max_value=dt.datetime(2026, 1, 10), timezones=st.just(UTC)
)
whole_minute_moments = moments.map(lambda m: m.replace(second=0, microsecond=0))
durations = st.integers(0, 200_000)


@given(calendars(), moments, durations)
def test_result_is_not_before_start_and_on_a_working_day(calendar, start, minutes):
    result = add_working_minutes(calendar, start, minutes)
    assert result >= start
    assert calendar.is_working_day(result.date())
    assert str(result.tzinfo) == calendar.time_zone


@given(calendars(), moments, durations, durations)
def test_monotonic_in_minutes(calendar, start, a, b):
    low, high = sorted((a, b))
    assert add_working_minutes(calendar, start, low) <= add_working_minutes(calendar, start, high)


@given(calendars(), moments, durations)
def test_measuring_gives_back_the_minutes(calendar, start, minutes):
    end = add_working_minutes(calendar, start, minutes)
    assert working_minutes_between(calendar, start, end) == minutes


@given(calendars(), moments, st.integers(0, 100_000), st.integers(1, 100_000))
def test_additive_from_a_working_moment(calendar, moment, a, b):
    start = next_working_moment(calendar, moment)
    assert add_working_minutes(calendar, add_working_minutes(calendar, start, a), b) == (
        add_working_minutes(calendar, start, a + b)
    )


@given(calendars(), moments)
def test_next_working_moment_is_the_first_working_moment(calendar, moment):
    start = next_working_moment(calendar, moment)
    assert start >= moment
    assert is_working_time(calendar, start)
    assert working_minutes_between(calendar, moment, start) == 0
    assert add_working_minutes(calendar, moment, 0) == start


@given(calendars(), whole_minute_moments, whole_minute_moments, whole_minute_moments)
def test_between_is_additive_over_a_split_point(calendar, a, b, c):
    first, middle, last = sorted((a, b, c))
    assert working_minutes_between(calendar, first, last) == working_minutes_between(
        calendar, first, middle
    ) + working_minutes_between(calendar, middle, last)


def _reference_add(calendar: WorkingCalendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """Minute by minute, the obvious way (whole-minute starts only)."""
    current = start.astimezone(calendar.zone)
    while not is_working_time(calendar, current):
        current += dt.timedelta(minutes=1)
    while minutes:
        if is_working_time(calendar, current):
            minutes -= 1
        current += dt.timedelta(minutes=1)
    return current


def _week_minutes(calendar: WorkingCalendar) -> int:
    return sum(
        sum(p.minutes for p in calendar.weekday_periods.get(day, calendar.periods))
        for day in calendar.working_weekdays
    )


@settings(max_examples=60, deadline=None)
@given(calendars(), whole_minute_moments, st.integers(0, 1500))
def test_agrees_with_minute_by_minute_reference(calendar, start, minutes):
    assume(_week_minutes(calendar) >= 600)
    assert add_working_minutes(calendar, start, minutes) == _reference_add(calendar, start, minutes)


@settings(max_examples=60, deadline=None)
@given(calendars(), whole_minute_moments, st.integers(0, 4 * 1440))
def test_between_agrees_with_counting_minutes(calendar, start, length):
    end = start + dt.timedelta(minutes=length)
    expected = sum(
        is_working_time(calendar, start + dt.timedelta(minutes=i)) for i in range(length)
    )
    assert working_minutes_between(calendar, start, end) == expected
