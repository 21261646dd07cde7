import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.collection.domain.progress import (
    PERIOD_ORDER,
    Level,
    Timeliness,
    Totals,
    UnitFigures,
    latest_period,
    level,
    percent,
    timeliness,
)
from kinerja.measurement.selectors import PERIOD_PARAMS

UTC = datetime.UTC
DEADLINE = datetime.datetime(2025, 7, 10, 16, 0, tzinfo=UTC)
BEFORE = DEADLINE - datetime.timedelta(minutes=1)
AFTER = DEADLINE + datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("submitted", "now", "expected"),
    [
        (BEFORE, AFTER, Timeliness.ON_TIME),
        (DEADLINE, AFTER, Timeliness.ON_TIME),  # on the deadline itself is still on time
        (AFTER, AFTER, Timeliness.LATE),
        (None, BEFORE, Timeliness.PENDING),
        (None, DEADLINE, Timeliness.PENDING),
        (None, AFTER, Timeliness.OVERDUE),
        (AFTER, BEFORE, Timeliness.LATE),  # judged on the submission, whatever "now" is
    ],
)
def test_timeliness(submitted, now, expected):
    assert timeliness(first_submitted_at=submitted, deadline=DEADLINE, now=now) is expected


@pytest.mark.parametrize(
    ("value", "submitted", "is_late"),
    [
        (Timeliness.ON_TIME, True, False),
        (Timeliness.LATE, True, True),
        (Timeliness.OVERDUE, False, True),
        (Timeliness.PENDING, False, False),
    ],
)
def test_what_each_timeliness_counts_as(value, submitted, is_late):
    assert (value.submitted, value.is_late) == (submitted, is_late)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, None),
        (3, 0, None),
        (0, 4, Decimal(0)),
        (1, 4, Decimal(25)),
        (4, 4, Decimal(100)),
    ],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_is_not_rounded():
    assert percent(2, 3) == Decimal(200) / Decimal(3)


@pytest.mark.parametrize(
    ("filled", "expected", "result"),
    [
        (0, 0, Level.NONE),
        (0, 3, Level.EMPTY),
        (1, 3, Level.PARTIAL),
        (3, 3, Level.COMPLETE),
    ],
)
def test_level(filled, expected, result):
    assert level(filled, expected) is result


def test_unit_figures():
    figures = UnitFigures(expected=4, filled=3, timeliness=Timeliness.LATE)

    assert (figures.missing, figures.submitted, figures.percent, figures.level) == (
        1,
        True,
        Decimal(75),
        Level.PARTIAL,
    )


def test_totals_add_up_units_and_rows():
    totals = Totals.of(
        [
            UnitFigures(expected=2, filled=2, timeliness=Timeliness.ON_TIME),
            UnitFigures(expected=3, filled=1, timeliness=Timeliness.LATE),
            UnitFigures(expected=1, filled=0, timeliness=Timeliness.OVERDUE),
            UnitFigures(expected=2, filled=1, timeliness=Timeliness.PENDING),
        ]
    )

    assert totals == Totals(
        units=4, expected=8, filled=4, submitted=2, on_time=1, late=2, overdue=1
    )
    assert (totals.missing, totals.not_submitted, totals.percent, totals.submitted_percent) == (
        4,
        2,
        Decimal(50),
        Decimal(50),
    )
    assert totals.level is Level.PARTIAL


def test_no_units_is_all_zero_with_no_percentage():
    totals = Totals.of([])

    assert totals == Totals()
    assert (totals.percent, totals.submitted_percent, totals.level) == (None, None, Level.NONE)


figures = st.builds(
    lambda expected, filled, when: UnitFigures(
        expected=expected, filled=min(filled, expected), timeliness=when
    ),
    st.integers(0, 50),
    st.integers(0, 50),
    st.sampled_from(Timeliness),
)


@given(st.lists(figures, max_size=20), st.lists(figures, max_size=20))
def test_adding_totals_is_counting_both_groups(first, second):
    together = Totals.of(first) + Totals.of(second)

    assert together == Totals.of(first + second)
    assert (
        together.on_time
        + together.late
        + (together.units - together.submitted)
        - (together.overdue)
        == together.units
    )
    assert 0 <= together.filled <= together.expected


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([], None),
        (["tw1"], "tw1"),
        (["tw2", "tw1"], "tw2"),
        (["s1", "tw2"], "s1"),
        (["tw3", "s1"], "tw3"),
        (["annual", "tw4", "s2"], "annual"),
        (["bogus"], None),
        (["bogus", "tw2"], "tw2"),
    ],
)
def test_latest_period(periods, expected):
    assert latest_period(periods) == expected


def test_every_collection_period_has_a_place():
    assert sorted(PERIOD_ORDER) == sorted(PERIOD_PARAMS)
