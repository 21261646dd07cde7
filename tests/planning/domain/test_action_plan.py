"""Rencana Aksi consistency rules, table-driven and by property."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.planning.domain.action_plan import (
    PlanAggregation,
    PlanProblem,
    Target,
    check_quarterly_targets,
    check_target,
)

CUM, LAST, AVG = PlanAggregation.CUMULATIVE, PlanAggregation.LAST_VALUE, PlanAggregation.AVERAGE


def quarters(*values):
    return {q: Target(value=None if v is None else D(v)) for q, v in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("year", "qs", "aggregation", "problems"),
    [
        ("100", ("25", "25", "25", "25"), CUM, []),
        ("100", ("10", "20", "30", "40"), CUM, []),
        ("100", ("25", "25", "25", "20"), CUM, [PlanProblem.SUM_MISMATCH]),
        ("80", ("20", "40", "60", "80"), LAST, []),
        ("80", ("20", "40", "60", "75"), LAST, [PlanProblem.LAST_MISMATCH]),
        ("3", ("5", "4", "3", "3"), AVG, []),
        ("3", ("5", "4", "3", "2"), AVG, [PlanProblem.LAST_MISMATCH]),
        ("100", ("25", None, "25", "50"), CUM, [PlanProblem.MISSING_QUARTER]),
        ("100", ("-5", "35", "35", "35"), CUM, [PlanProblem.NEGATIVE]),
        ("0", ("0", "0", "0", "0"), CUM, []),
    ],
    ids=lambda v: str(v),
)
def test_quarterly_targets(year, qs, aggregation, problems):
    issues = check_quarterly_targets(
        year_target=Target(value=D(year)), quarters=quarters(*qs), aggregation=aggregation
    )
    assert [issue.problem for issue in issues] == problems


def test_sum_mismatch_reports_expected_and_actual():
    [issue] = check_quarterly_targets(
        year_target=Target(value=D("100")),
        quarters=quarters("25", "25", "25", "20"),
        aggregation=CUM,
    )
    assert (issue.expected, issue.actual) == (D("100"), D("95"))


def test_missing_quarter_names_the_quarter():
    issues = check_quarterly_targets(
        year_target=Target(value=D("100")), quarters=quarters("25", "25"), aggregation=CUM
    )
    assert [(i.problem, i.quarter) for i in issues] == [
        (PlanProblem.MISSING_QUARTER, 3),
        (PlanProblem.MISSING_QUARTER, 4),
    ]


def test_range_targets_check_both_bounds():
    year = Target(low=D("76.61"), high=D("88.30"))
    good = {q: Target(low=D("70"), high=D("80")) for q in (1, 2, 3)} | {
        4: Target(low=D("76.61"), high=D("88.30"))
    }
    assert check_quarterly_targets(year_target=year, quarters=good, aggregation=LAST) == []
    bad = good | {4: Target(low=D("76.61"), high=D("90"))}
    [issue] = check_quarterly_targets(year_target=year, quarters=bad, aggregation=LAST)
    assert issue.problem is PlanProblem.LAST_MISMATCH and issue.expected == D("88.30")


def test_inverted_range_is_reported():
    assert [i.problem for i in check_target(Target(low=D("9"), high=D("3")))] == [
        PlanProblem.RANGE_INVERTED
    ]


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(st.lists(amounts, min_size=4, max_size=4))
def test_cumulative_quarters_that_sum_to_the_year_always_pass(values):
    year = Target(value=sum(values, D(0)))
    qs = {q: Target(value=v) for q, v in enumerate(values, start=1)}
    assert check_quarterly_targets(year_target=year, quarters=qs, aggregation=CUM) == []


@given(st.lists(amounts, min_size=4, max_size=4), amounts)
def test_last_value_depends_only_on_tw4(values, year_value):
    qs = {q: Target(value=v) for q, v in enumerate(values, start=1)}
    issues = check_quarterly_targets(
        year_target=Target(value=year_value), quarters=qs, aggregation=LAST
    )
    assert (issues == []) == (values[3] == year_value)


def test_a_single_number_quarter_under_a_range_year_is_a_shape_mismatch():
    year = Target(low=D("70"), high=D("80"))
    qs = {q: Target(low=D("70"), high=D("80")) for q in (1, 2, 4)} | {3: Target(value=D("75"))}
    issues = check_quarterly_targets(year_target=year, quarters=qs, aggregation=LAST)
    assert [(i.problem, i.quarter) for i in issues] == [(PlanProblem.SHAPE_MISMATCH, 3)]
