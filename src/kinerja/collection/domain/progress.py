"""Completeness and timeliness of a data collection: counting rows and judging deadlines.

A unit's worksheet expects one value per row; a row is filled when its current
entry has a value. Timeliness is judged on the *first* submission against the
worksheet's deadline (a return and resubmission does not make a unit late);
a worksheet not yet submitted is overdue once its deadline has passed and
counts as late from then on.
"""

import datetime
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from decimal import Decimal
from enum import StrEnum

_HUNDRED = Decimal(100)

#: the collection periods in the order they close within a year (a quarter before the
#: semester or year ending with it)
PERIOD_ORDER: tuple[str, ...] = ("tw1", "tw2", "s1", "tw3", "tw4", "s2", "annual")
#: the period a progress page opens on when no collection exists yet
DEFAULT_PERIOD = "tw1"


class Timeliness(StrEnum):
    ON_TIME = "on_time"  # first submitted by the deadline
    LATE = "late"  # first submitted after it
    OVERDUE = "overdue"  # not submitted, the deadline has passed
    PENDING = "pending"  # not submitted, the deadline is still ahead

    @property
    def submitted(self) -> bool:
        return self in (Timeliness.ON_TIME, Timeliness.LATE)

    @property
    def is_late(self) -> bool:
        """Late in the count: submitted late, or still missing after the deadline."""
        return self in (Timeliness.LATE, Timeliness.OVERDUE)


class Level(StrEnum):
    """How complete a worksheet (or a collection) is, for its colour."""

    COMPLETE = "complete"  # every row filled
    PARTIAL = "partial"  # some rows filled
    EMPTY = "empty"  # nothing filled yet
    NONE = "none"  # nothing expected


def timeliness(
    *,
    first_submitted_at: datetime.datetime | None,
    deadline: datetime.datetime,
    now: datetime.datetime,
) -> Timeliness:
    if first_submitted_at is not None:
        return Timeliness.ON_TIME if first_submitted_at <= deadline else Timeliness.LATE
    return Timeliness.OVERDUE if deadline < now else Timeliness.PENDING


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole in percent (unrounded); None when nothing is expected."""
    if whole <= 0:
        return None
    return Decimal(part) * _HUNDRED / Decimal(whole)


def level(filled: int, expected: int) -> Level:
    if expected <= 0:
        return Level.NONE
    if filled >= expected:
        return Level.COMPLETE
    return Level.PARTIAL if filled > 0 else Level.EMPTY


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One worksheet: rows expected and filled, and how its submission stands."""

    expected: int
    filled: int
    timeliness: Timeliness

    @property
    def missing(self) -> int:
        return self.expected - self.filled

    @property
    def submitted(self) -> bool:
        return self.timeliness.submitted

    @property
    def percent(self) -> Decimal | None:
        return percent(self.filled, self.expected)

    @property
    def level(self) -> Level:
        return level(self.filled, self.expected)


@dataclass(frozen=True, slots=True)
class Totals:
    """Worksheets and rows of a collection (or of what a user sees of it) added up.

    `late` counts worksheets submitted late and those still missing past their
    deadline; `overdue` is the second group alone.
    """

    units: int = 0
    expected: int = 0
    filled: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @classmethod
    def of(cls, figures: Iterable[UnitFigures]) -> "Totals":
        units = expected = filled = submitted = on_time = late = overdue = 0
        for item in figures:
            units += 1
            expected += item.expected
            filled += item.filled
            submitted += int(item.submitted)
            on_time += int(item.timeliness is Timeliness.ON_TIME)
            late += int(item.timeliness.is_late)
            overdue += int(item.timeliness is Timeliness.OVERDUE)
        return cls(units, expected, filled, submitted, on_time, late, overdue)

    def __add__(self, other: "Totals") -> "Totals":
        """Two groups together (`sum(totals, Totals())` adds up a government's agencies)."""
        return Totals(
            *(mine + theirs for mine, theirs in zip(astuple(self), astuple(other), strict=True))
        )

    @property
    def missing(self) -> int:
        return self.expected - self.filled

    @property
    def not_submitted(self) -> int:
        return self.units - self.submitted

    @property
    def percent(self) -> Decimal | None:
        """Rows filled, in percent of the rows expected."""
        return percent(self.filled, self.expected)

    @property
    def submitted_percent(self) -> Decimal | None:
        return percent(self.submitted, self.units)

    @property
    def level(self) -> Level:
        return level(self.filled, self.expected)


def latest_period(periods: Iterable[str]) -> str | None:
    """The period closing last in the year among `periods` (unknown ones ignored)."""
    known = [period for period in periods if period in PERIOD_ORDER]
    return max(known, key=PERIOD_ORDER.index, default=None)
