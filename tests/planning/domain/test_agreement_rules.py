"""Target shapes of PK lines and Rencana Aksi cells (pure Python, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.planning.domain.action_plan import PlanAggregation, PlanProblem, Target
from kinerja.planning.domain.agreement_rules import (
    TargetProblem,
    line_issues,
    shape_mismatches,
    target_problems,
)

D = Decimal
numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@pytest.mark.parametrize(
    ("is_range", "value", "low", "high", "expected"),
    [
        (False, D("80"), None, None, []),
        (False, None, None, None, [TargetProblem.VALUE_REQUIRED]),
        (False, D("80"), D("1"), None, [TargetProblem.BOUNDS_NOT_ALLOWED]),
        (False, D("-1"), None, None, [TargetProblem.NEGATIVE]),
        (True, None, D("2"), D("5"), []),
        (True, None, D("2"), None, [TargetProblem.BOUNDS_REQUIRED]),
        (True, D("3"), D("2"), D("5"), [TargetProblem.VALUE_NOT_ALLOWED]),
        (True, None, D("5"), D("2"), [TargetProblem.RANGE_INVERTED]),
    ],
)
def test_target_problems(is_range, value, low, high, expected):
    assert target_problems(is_range=is_range, value=value, low=low, high=high) == expected


@pytest.mark.parametrize("is_range", [True, False])
def test_an_empty_cell_is_fine_while_drafting_but_not_as_a_target(is_range):
    assert target_problems(is_range=is_range, value=None, low=None, high=None, required=False) == []
    assert target_problems(is_range=is_range, value=None, low=None, high=None) != []


def test_quarters_of_the_wrong_shape_are_reported_before_the_aggregation():
    quarters = {1: Target(value=D("1")), 2: Target(low=D("1"), high=D("2")), 3: Target()}

    mismatched, issues = line_issues(
        year_target=Target(value=D("4")), quarters=quarters, aggregation=PlanAggregation.CUMULATIVE
    )

    assert (mismatched, issues) == ([2], [])
    assert shape_mismatches(year_target=Target(low=D("1"), high=D("2")), quarters=quarters) == [1]


def test_a_well_shaped_line_gets_the_aggregation_check():
    quarters = {q: Target(value=D("1")) for q in (1, 2, 3)}
    mismatched, issues = line_issues(
        year_target=Target(value=D("4")), quarters=quarters, aggregation=PlanAggregation.CUMULATIVE
    )
    assert mismatched == []
    assert [(i.problem, i.quarter) for i in issues] == [(PlanProblem.MISSING_QUARTER, 4)]


@given(st.lists(numbers, min_size=4, max_size=4))
def test_cumulative_quarters_that_add_up_have_no_issue(values):
    quarters = {q: Target(value=v) for q, v in enumerate(values, start=1)}
    assert line_issues(
        year_target=Target(value=sum(values, D(0))),
        quarters=quarters,
        aggregation=PlanAggregation.CUMULATIVE,
    ) == ([], [])


@given(st.lists(numbers, min_size=4, max_size=4), numbers)
def test_last_value_lines_only_compare_tw_iv(values, year):
    quarters = {q: Target(value=v) for q, v in enumerate(values, start=1)}
    _, issues = line_issues(
        year_target=Target(value=year), quarters=quarters, aggregation=PlanAggregation.LAST_VALUE
    )
    assert (issues == []) == (values[3] == year)
