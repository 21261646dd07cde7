"""Inclusive date periods: overlap and coverage, checked against counting days."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.organizations.domain.periods import covers, overlaps

D = datetime.date


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((D(2024, 1, 1), D(2024, 1, 31)), (D(2024, 1, 31), D(2024, 2, 5)), True),  # one shared day
        ((D(2024, 1, 1), D(2024, 1, 31)), (D(2024, 2, 1), None), False),
        ((D(2024, 1, 1), None), (D(2030, 1, 1), D(2030, 1, 2)), True),
        ((D(2024, 3, 1), D(2024, 3, 1)), (D(2024, 1, 1), D(2024, 2, 29)), False),
        ((D(2024, 1, 1), None), (D(2020, 1, 1), None), True),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


def test_covers_joins_adjacent_periods():
    holders = [(D(2024, 1, 1), D(2024, 1, 10)), (D(2024, 1, 11), None)]
    assert covers(holders, (D(2024, 1, 5), D(2024, 3, 1)))
    assert covers(holders, (D(2024, 1, 5), None))


def test_covers_finds_a_gap():
    holders = [(D(2024, 1, 1), D(2024, 1, 10)), (D(2024, 1, 12), D(2024, 2, 1))]
    assert not covers(holders, (D(2024, 1, 5), D(2024, 1, 20)))
    assert not covers(holders, (D(2023, 12, 31), D(2024, 1, 2)))
    assert not covers([], (D(2024, 1, 1), D(2024, 1, 1)))


START = D(2024, 1, 1)
HORIZON = 60  # days; closed periods end by day 45, so only an open one reaches it


@st.composite
def periods(draw):
    first = draw(st.integers(min_value=0, max_value=30))
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=15)))
    start = START + datetime.timedelta(days=first)
    return (start, None if length is None else start + datetime.timedelta(days=length))


def days(period):
    start, end = period
    last = end or START + datetime.timedelta(days=HORIZON)
    return {start + datetime.timedelta(days=n) for n in range((last - start).days + 1)}


@given(periods(), periods())
def test_overlaps_means_a_shared_day(a, b):
    assert overlaps(a, b) == bool(days(a) & days(b))


@given(st.lists(periods(), max_size=5), periods())
def test_covers_means_every_day_is_inside_some_period(holders, target):
    held = set().union(*(days(p) for p in holders))
    assert covers(holders, target) == (days(target) <= held)
