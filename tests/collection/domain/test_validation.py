from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.collection.domain.validation import (
    RowFacts,
    RowIssue,
    Rule,
    Thresholds,
    check_row,
)

D = Decimal
DEFAULT = Thresholds()


def rules(facts: RowFacts, thresholds: Thresholds = DEFAULT) -> list[tuple[Rule, bool]]:
    return [(issue.rule, issue.hard) for issue in check_row(facts, thresholds)]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (RowFacts(value=D(5)), []),
        (RowFacts(value=None), [(Rule.MISSING_VALUE, True)]),
        (RowFacts(value=D(100), unit_of_measure="%"), []),
        (RowFacts(value=D(0), unit_of_measure=" Persen "), []),
        (RowFacts(value=D("100.01"), unit_of_measure="%"), [(Rule.PERCENT_OUT_OF_RANGE, True)]),
        (RowFacts(value=D(-1), unit_of_measure="persen"), [(Rule.PERCENT_OUT_OF_RANGE, True)]),
        (RowFacts(value=D(150), unit_of_measure="orang"), []),
        (
            RowFacts(value=D(-1), aggregation="cumulative", previous_value=D(10)),
            [(Rule.CUMULATIVE_DECREASE, True), (Rule.FAR_FROM_PREVIOUS, False)],
        ),
        # a smaller quarter than the last is fine: the running total still grows
        (RowFacts(value=D(9), aggregation="cumulative", previous_value=D(10)), []),
        (RowFacts(value=D(10), aggregation="cumulative", previous_value=D(10)), []),
        (RowFacts(value=D(9), aggregation="last", previous_value=D(10)), []),
        (RowFacts(value=D(9), aggregation="cumulative"), []),
        (RowFacts(value=D(1), evidence_required=True), [(Rule.EVIDENCE_MISSING, True)]),
        (RowFacts(value=D(1), evidence_required=True, evidence_count=1), []),
        (
            RowFacts(value=None, evidence_required=True),
            [(Rule.MISSING_VALUE, True), (Rule.EVIDENCE_MISSING, True)],
        ),
        # a percentage with its numerator and denominator is their ratio, to the cent
        (
            RowFacts(value=D("61.5"), unit_of_measure="%", numerator=D(1187), denominator=D(1930)),
            [],
        ),
        (
            RowFacts(value=D("61.6"), unit_of_measure="%", numerator=D(1187), denominator=D(1930)),
            [(Rule.RATIO_MISMATCH, True)],
        ),
        (RowFacts(value=D(3), unit_of_measure="indeks", numerator=D(1), denominator=D(2)), []),
        (
            RowFacts(value=D(0), unit_of_measure="%", numerator=D(0), denominator=D(0)),
            [(Rule.DENOMINATOR_ZERO, True)],
        ),
        (RowFacts(value=D(50), unit_of_measure="%", numerator=D(1)), []),  # no denominator yet
        # soft: more than 50 % away from the target or the previous quarter
        (RowFacts(value=D(150), target=D(100)), []),
        (RowFacts(value=D("150.01"), target=D(100)), [(Rule.FAR_FROM_TARGET, False)]),
        (RowFacts(value=D("49.99"), target=D(100)), [(Rule.FAR_FROM_TARGET, False)]),
        (RowFacts(value=D(5), target=D(0)), []),  # a zero reference has no scale
        (RowFacts(value=D(1), previous_value=D(10)), [(Rule.FAR_FROM_PREVIOUS, False)]),
        (RowFacts(value=D(1), previous_value=D(10), has_explanation=True), []),
        (
            RowFacts(value=D(500), target=D(100), previous_value=D(100)),
            [(Rule.FAR_FROM_TARGET, False), (Rule.FAR_FROM_PREVIOUS, False)],
        ),
        (
            RowFacts(value=D(101), unit_of_measure="%", target=D(20)),
            [(Rule.PERCENT_OUT_OF_RANGE, True), (Rule.FAR_FROM_TARGET, False)],
        ),
        (
            RowFacts(
                value=D(-1), aggregation="cumulative", previous_value=D(10), has_explanation=True
            ),
            [(Rule.CUMULATIVE_DECREASE, True)],  # an explanation never lifts a hard rule
        ),
    ],
)
def test_rules(facts, expected):
    assert rules(facts) == expected


def test_thresholds_are_configurable():
    facts = RowFacts(value=D(115), target=D(100))

    assert rules(facts, Thresholds(deviation_percent=D(10))) == [(Rule.FAR_FROM_TARGET, False)]
    assert rules(facts, Thresholds(deviation_percent=D(20))) == []
    assert Thresholds().deviation_percent == D(50)


def test_issue_is_a_value():
    assert check_row(RowFacts(value=None)) == [RowIssue(Rule.MISSING_VALUE, hard=True)]


decimals = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2)
optional = st.none() | decimals


@given(
    value=optional,
    unit=st.sampled_from(["%", "persen", "orang", ""]),
    aggregation=st.sampled_from(["cumulative", "last", "average"]),
    previous=optional,
    target=optional,
    evidence=st.integers(min_value=0, max_value=3),
    required=st.booleans(),
)
def test_an_explanation_lifts_exactly_the_soft_issues(
    value, unit, aggregation, previous, target, evidence, required
):
    facts = RowFacts(
        value=value,
        unit_of_measure=unit,
        aggregation=aggregation,
        previous_value=previous,
        target=target,
        evidence_count=evidence,
        evidence_required=required,
    )
    explained = replace(facts, has_explanation=True)

    unexplained_issues = check_row(facts)
    assert check_row(explained) == [issue for issue in unexplained_issues if issue.hard]
    hard = [issue.hard for issue in unexplained_issues]
    assert hard == sorted(hard, reverse=True)  # hard ones first


@given(value=decimals, reference=decimals, percent=st.integers(min_value=0, max_value=200))
def test_far_means_beyond_the_percentage_of_the_reference(value, reference, percent):
    issues = check_row(RowFacts(value=value, target=reference), Thresholds(D(percent)))

    far = reference != 0 and abs(value - reference) / abs(reference) * 100 > percent
    assert issues == ([RowIssue(Rule.FAR_FROM_TARGET, hard=False)] if far else [])


@given(value=decimals)
def test_percentages_must_lie_between_0_and_100(value):
    issues = check_row(RowFacts(value=value, unit_of_measure="%"))

    assert (RowIssue(Rule.PERCENT_OUT_OF_RANGE, hard=True) in issues) == (not 0 <= value <= 100)
