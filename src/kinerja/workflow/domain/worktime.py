"""Working time: the arithmetic behind every due time (pure Python, no Django).

An SOP's standard durations are working minutes (480 menit is one working
day). A `WorkingCalendar` says when an agency works: its time zone, the
weekdays it works, the working periods of those days (one set for every day,
optionally another for some weekdays, e.g. a shorter Friday) and the dates it
does not work (national holidays, cuti bersama, regional days off).

Conventions:

- A working period is half-open on the local wall clock: 08:00–12:00 covers
  08:00 up to, not including, 12:00. A moment outside working time (night,
  lunch break, weekend, holiday) moves on to the next working moment.
- A duration that ends exactly where a period ends ends there: 480 minutes
  from Monday 08:00 is Monday 17:00, not Tuesday 08:00. Adding more time
  continues from the next period, so `add(add(s, a), b) == add(s, a + b)` for
  every working moment `s`, `a >= 0` and `b > 0`.
- Time is counted on the wall clock of the calendar's zone. Indonesia has no
  daylight saving time; in a zone that has it, a skipped or repeated hour is
  counted as the clock reads.
- Long durations jump over whole weeks and days (holidays found by bisection),
  never minute by minute.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONDAY_TO_FRIDAY = frozenset(range(5))
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
MINUTE = dt.timedelta(minutes=1)
NO_TIME = dt.timedelta(0)

_Span = tuple[dt.timedelta, dt.timedelta]


def _offset(moment: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=moment.hour, minutes=moment.minute)


@dataclass(frozen=True, order=True)
class Period:
    """One stretch of working time in a day, [start, end) in whole minutes."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                raise ValueError(f"working periods are in whole local minutes: {moment}")
        if self.start >= self.end:
            raise ValueError(f"a working period must end after it starts: {self}")

    @property
    def minutes(self) -> int:
        return (_offset(self.end) - _offset(self.start)) // MINUTE

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_PERIODS = (Period(dt.time(8), dt.time(12)), Period(dt.time(13), dt.time(17)))


def check_periods(periods: Sequence[Period], *, where: str = "periods") -> tuple[Period, ...]:
    """The periods of one working day: at least one, in order, not overlapping (else ValueError)."""
    periods = tuple(periods)
    if not all(isinstance(period, Period) for period in periods):
        raise ValueError(f"{where}: expected Period values")
    if not periods:
        raise ValueError(f"{where}: a working day needs at least one working period")
    for before, after in itertools.pairwise(periods):
        if after.start < before.end:
            raise ValueError(
                f"{where}: periods must be in order and not overlap ({before}, {after})"
            )
    return periods


@dataclass(frozen=True)
class WorkingCalendar:
    """When an agency works. Raises ValueError when the description is inconsistent.

    `periods` applies to every working weekday; `weekday_periods` replaces it
    for some weekdays (0 = Monday … 6 = Sunday), which must be working weekdays.
    `non_working_dates` are the holidays and cuti bersama (any weekday).
    """

    time_zone: str = "Asia/Jakarta"
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    weekday_periods: Mapping[int, tuple[Period, ...]] = field(default_factory=dict, hash=False)
    non_working_dates: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from exc
        weekdays = frozenset(self.working_weekdays)
        if not weekdays or not weekdays <= frozenset(range(7)):
            raise ValueError("working weekdays must be a non-empty subset of 0 (Monday) … 6")
        overrides = {int(day): tuple(periods) for day, periods in self.weekday_periods.items()}
        if not frozenset(overrides) <= weekdays:
            raise ValueError("working periods were given for a weekday that is not a working day")
        if weekdays - frozenset(overrides):
            check_periods(self.periods, where="periods")
        for day, periods in overrides.items():
            check_periods(periods, where=f"weekday {day}")
        object.__setattr__(self, "working_weekdays", weekdays)
        object.__setattr__(self, "periods", tuple(self.periods))
        object.__setattr__(self, "weekday_periods", overrides)
        object.__setattr__(self, "non_working_dates", frozenset(self.non_working_dates))

    # --- derived tables (computed once per calendar) ---

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _spans(self) -> tuple[tuple[_Span, ...], ...]:
        """Per weekday, the working periods as offsets from midnight (empty: day off)."""
        return tuple(
            tuple(
                (_offset(period.start), _offset(period.end))
                for period in self.weekday_periods.get(day, self.periods)
            )
            if day in self.working_weekdays
            else ()
            for day in range(7)
        )

    @cached_property
    def _lengths(self) -> tuple[dt.timedelta, ...]:
        return tuple(sum((end - start for start, end in spans), NO_TIME) for spans in self._spans)

    @cached_property
    def _week_length(self) -> dt.timedelta:
        return sum(self._lengths, NO_TIME)

    @cached_property
    def _closed_days(self) -> tuple[dt.date, ...]:
        """The non-working dates that fall on working weekdays (the only ones that matter)."""
        return tuple(sorted(d for d in self.non_working_dates if self._lengths[d.weekday()]))

    # --- days ---

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._lengths[day.weekday()]) and day not in self.non_working_dates

    def periods_on(self, day: dt.date) -> tuple[Period, ...]:
        if not self.is_working_day(day):
            return ()
        return self.weekday_periods.get(day.weekday(), self.periods)

    def working_minutes_on(self, day: dt.date) -> int:
        return self._length_on(day) // MINUTE

    def _spans_on(self, day: dt.date) -> tuple[_Span, ...]:
        return () if day in self.non_working_dates else self._spans[day.weekday()]

    def _length_on(self, day: dt.date) -> dt.timedelta:
        return NO_TIME if day in self.non_working_dates else self._lengths[day.weekday()]

    def _closed_time(self, first: dt.date, stop: dt.date) -> dt.timedelta:
        """Working time lost to non-working dates in [first, stop)."""
        closed = self._closed_days
        low, high = bisect.bisect_left(closed, first), bisect.bisect_left(closed, stop)
        return sum((self._lengths[d.weekday()] for d in closed[low:high]), NO_TIME)

    def _time_in_days(self, first: dt.date, stop: dt.date) -> dt.timedelta:
        """Working time in the whole days [first, stop)."""
        weeks, extra = divmod((stop - first).days, 7)
        total = self._week_length * weeks + sum(
            (self._lengths[(first.weekday() + i) % 7] for i in range(extra)), NO_TIME
        )
        return total - self._closed_time(first, stop)

    def _worked_before(self, day: dt.date, offset: dt.timedelta) -> dt.timedelta:
        """Working time on `day` before `offset` (from midnight)."""
        return sum(
            (min(end, offset) - start for start, end in self._spans_on(day) if start < offset),
            NO_TIME,
        )


# --- moments ---------------------------------------------------------------------------


def _split(calendar: WorkingCalendar, moment: dt.datetime) -> tuple[dt.date, dt.timedelta]:
    """The local date of an aware moment and its offset from local midnight."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, got {moment!r}")
    local = moment.astimezone(calendar.zone)
    return local.date(), local - local.replace(hour=0, minute=0, second=0, microsecond=0)


def _at(calendar: WorkingCalendar, day: dt.date, offset: dt.timedelta) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=calendar.zone) + offset


def is_working_time(calendar: WorkingCalendar, moment: dt.datetime) -> bool:
    day, offset = _split(calendar, moment)
    return any(start <= offset < end for start, end in calendar._spans_on(day))


def next_working_moment(calendar: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    """`moment` itself when it is working time, else the start of the next working period."""
    return add_working_minutes(calendar, moment, 0)


def add_working_minutes(calendar: WorkingCalendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment `minutes` of working time after `start`, in the calendar's zone.

    A start outside working time begins at the next working moment; 0 minutes
    gives that moment. See the module docstring for where a duration ends.
    """
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")
    day, offset = _split(calendar, start)
    remaining = minutes * MINUTE
    while True:
        for span_start, span_end in calendar._spans_on(day):
            if span_end <= offset:
                continue
            offset = max(offset, span_start)
            if remaining <= span_end - offset:
                return _at(calendar, day, offset + remaining)
            remaining -= span_end - offset
        day, remaining = _skip_whole_days(calendar, day + DAY, remaining)
        offset = NO_TIME


def _skip_whole_days(
    calendar: WorkingCalendar, day: dt.date, remaining: dt.timedelta
) -> tuple[dt.date, dt.timedelta]:
    """Jump over the whole weeks, then whole days, that `remaining` outlasts.

    Weeks without a non-working date are jumped all at once, so the cost grows
    with the number of holidays passed, not with the length of the duration.
    """
    full_week, closed = calendar._week_length, calendar._closed_days
    while remaining > full_week:
        index = bisect.bisect_left(closed, day)
        next_closed = closed[index] if index < len(closed) else None
        if next_closed is None or next_closed >= day + WEEK:
            weeks = -(-remaining // full_week) - 1  # leave 0 < remaining <= one week
            if next_closed is not None:
                weeks = min(weeks, (next_closed - day).days // 7)
            remaining -= full_week * weeks
            day += WEEK * weeks
            continue
        week = full_week - calendar._closed_time(day, day + WEEK)
        if remaining <= week:
            break
        remaining -= week
        day += WEEK
    while remaining > (length := calendar._length_on(day)):
        remaining -= length
        day += DAY
    return day, remaining


def working_minutes_between(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes of working time in [start, end); 0 when `end` is not after `start`."""
    first_day, first_offset = _split(calendar, start)
    last_day, last_offset = _split(calendar, end)
    if end <= start:
        return 0
    total = (
        calendar._time_in_days(first_day, last_day)
        - calendar._worked_before(first_day, first_offset)
        + calendar._worked_before(last_day, last_offset)
    )
    return max(total, NO_TIME) // MINUTE


# --- periods as text and as JSON ---------------------------------------------------------

_PERIOD_TEXT = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


def _time(hour: str, minute: str) -> dt.time:
    return dt.time(int(hour), int(minute))


def parse_periods(text: str) -> tuple[Period, ...]:
    """ "08:00-12:00, 13:00-17:00" (also "08.00–12.00; 13.00–17.00") → periods.

    Empty text is no periods. Raises ValueError for anything else that does not parse.
    """
    periods = []
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        match = _PERIOD_TEXT.match(part)
        if match is None:
            raise ValueError(f"not a working period: {part.strip()!r}")
        h1, m1, h2, m2 = match.groups()
        periods.append(Period(_time(h1, m1), _time(h2, m2)))
    return tuple(periods)


def format_periods(periods: Iterable[Period]) -> str:
    return ", ".join(str(period) for period in periods)


def periods_to_json(periods: Iterable[Period]) -> list[list[str]]:
    return [[f"{p.start:%H:%M}", f"{p.end:%H:%M}"] for p in periods]


def periods_from_json(raw: object) -> tuple[Period, ...]:
    """[["08:00", "12:00"], …] → periods; ValueError for any other shape."""
    if not isinstance(raw, list):
        raise ValueError("working periods must be a list of [start, end] pairs")
    periods = []
    for pair in raw:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
        ):
            raise ValueError(f"not a [start, end] pair: {pair!r}")
        periods.append(Period(dt.time.fromisoformat(pair[0]), dt.time.fromisoformat(pair[1])))
    return tuple(periods)
