"""Rencana Aksi consistency: quarterly targets must agree with the year's target.

For a cumulative indicator the four quarters add up to the year's target; for
last-value and average indicators the TW IV target equals the year's target
(the year is judged on where it ends). A range target follows the same rule on
both bounds. Missing quarters are reported, never guessed.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


class PlanAggregation(enum.Enum):
    CUMULATIVE = "cumulative"
    LAST_VALUE = "last"
    AVERAGE = "average"


class PlanProblem(enum.Enum):
    MISSING_QUARTER = "missing_quarter"
    SUM_MISMATCH = "sum_mismatch"
    LAST_MISMATCH = "last_mismatch"
    NEGATIVE = "negative"
    RANGE_INVERTED = "range_inverted"
    SHAPE_MISMATCH = "shape_mismatch"


@dataclass(frozen=True)
class Target:
    """One number, or a range when `low` and `high` are set."""

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    def bounds(self) -> tuple[Decimal | None, ...]:
        return (self.low, self.high) if self.is_range else (self.value,)


@dataclass(frozen=True)
class Issue:
    problem: PlanProblem
    quarter: int | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None


def check_target(target: Target) -> list[Issue]:
    """A single target on its own: not negative, a range not upside down."""
    issues = [Issue(PlanProblem.NEGATIVE) for b in target.bounds() if b is not None and b < 0]
    if target.low is not None and target.high is not None and target.low > target.high:
        issues.append(Issue(PlanProblem.RANGE_INVERTED))
    return issues


def check_quarterly_targets(
    *,
    year_target: Target,
    quarters: Mapping[int, Target],
    aggregation: PlanAggregation,
) -> list[Issue]:
    """Every reason the quarterly targets do not fit the year's target (empty when they do)."""
    issues: list[Issue] = []
    for quarter in (1, 2, 3, 4):
        target = quarters.get(quarter)
        if target is None or all(b is None for b in target.bounds()):
            issues.append(Issue(PlanProblem.MISSING_QUARTER, quarter=quarter))
        elif target.is_range != year_target.is_range:
            # A range year needs range quarters and a single number single numbers.
            issues.append(Issue(PlanProblem.SHAPE_MISMATCH, quarter=quarter))
        else:
            issues.extend(Issue(issue.problem, quarter=quarter) for issue in check_target(target))
    if issues:
        return issues
    for position, expected in enumerate(year_target.bounds()):
        if expected is None:
            continue
        values = [quarters[q].bounds()[position] for q in (1, 2, 3, 4)]
        if aggregation is PlanAggregation.CUMULATIVE:
            total = sum((v for v in values if v is not None), Decimal(0))
            if total != expected:
                issues.append(Issue(PlanProblem.SUM_MISMATCH, expected=expected, actual=total))
        elif values[3] != expected:
            issues.append(
                Issue(PlanProblem.LAST_MISMATCH, quarter=4, expected=expected, actual=values[3])
            )
    return issues
