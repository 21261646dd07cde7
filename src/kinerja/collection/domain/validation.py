"""Checks a worksheet row must pass before its unit submits it.

Hard rules block the submission outright: no value, a percentage outside
0–100, a cumulative indicator going down from the previous quarter, evidence
required but none attached, a zero denominator, a percentage that is not its
numerator ÷ denominator × 100 (to the cent). Soft rules ask for an explanation: a value more
than `Thresholds.deviation_percent` away from the target or from the previous
quarter is accepted once the row's analysis (penjelasan) says why, so a soft
issue is reported only while the row has none.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

#: units of measure that make a value a percentage
PERCENT_UNITS = frozenset({"%", "persen"})
#: the aggregation key of indicators whose quarterly values add up (planning's "cumulative")
CUMULATIVE = "cumulative"

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


class Rule(StrEnum):
    MISSING_VALUE = "missing_value"
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    CUMULATIVE_DECREASE = "cumulative_decrease"
    EVIDENCE_MISSING = "evidence_missing"
    DENOMINATOR_ZERO = "denominator_zero"
    RATIO_MISMATCH = "ratio_mismatch"
    FAR_FROM_TARGET = "far_from_target"
    FAR_FROM_PREVIOUS = "far_from_previous"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """An agency's tolerances; `deviation_percent` is relative to the reference value."""

    deviation_percent: Decimal = Decimal(50)


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What the rules need to know about one row: its current value and its context.

    `target` is a single target; a range target has no one point to deviate
    from, so callers pass None for it.
    """

    value: Decimal | None
    unit_of_measure: str = ""
    aggregation: str = ""
    previous_value: Decimal | None = None
    target: Decimal | None = None
    has_explanation: bool = False
    evidence_count: int = 0
    evidence_required: bool = False
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_percentage(self) -> bool:
        return self.unit_of_measure.strip().lower() in PERCENT_UNITS


@dataclass(frozen=True, slots=True)
class RowIssue:
    rule: Rule
    hard: bool


def _far(value: Decimal, reference: Decimal | None, limit: Decimal) -> bool:
    """More than `limit` percent away from a non-zero reference (a zero one has no scale)."""
    if reference is None or reference == 0:
        return False
    return abs(value - reference) * _HUNDRED > limit * abs(reference)


def _ratio_mismatch(facts: RowFacts, value: Decimal) -> bool:
    """A percentage given with its numerator and denominator that is not their ratio × 100
    (compared to the cent, as it is shown)."""
    numerator, denominator = facts.numerator, facts.denominator
    if not facts.is_percentage or numerator is None or not denominator:
        return False
    ratio = numerator * _HUNDRED / denominator
    return abs(value - ratio) > _CENT


def check_row(facts: RowFacts, thresholds: Thresholds = Thresholds()) -> list[RowIssue]:
    """Every rule the row breaks, hard ones first; an empty list means it may be submitted."""
    hard: list[Rule] = []
    soft: list[Rule] = []
    if facts.evidence_required and facts.evidence_count <= 0:
        hard.append(Rule.EVIDENCE_MISSING)
    if facts.numerator is not None and facts.denominator == 0:
        hard.append(Rule.DENOMINATOR_ZERO)
    value = facts.value
    if value is None:
        hard.insert(0, Rule.MISSING_VALUE)
    else:
        if facts.is_percentage and not 0 <= value <= _HUNDRED:
            hard.append(Rule.PERCENT_OUT_OF_RANGE)
        previous = facts.previous_value
        # A cumulative indicator's quarters are stored as the quarter's own amount and
        # summed (measurement.domain.achievement), so its running total goes down
        # exactly when a quarter's amount is negative.
        if facts.aggregation == CUMULATIVE and value < 0:
            hard.append(Rule.CUMULATIVE_DECREASE)
        if _ratio_mismatch(facts, value):
            hard.append(Rule.RATIO_MISMATCH)
        if not facts.has_explanation:
            if _far(value, facts.target, thresholds.deviation_percent):
                soft.append(Rule.FAR_FROM_TARGET)
            if _far(value, previous, thresholds.deviation_percent):
                soft.append(Rule.FAR_FROM_PREVIOUS)
    return [RowIssue(rule, hard=True) for rule in hard] + [
        RowIssue(rule, hard=False) for rule in soft
    ]
