"""Shape rules of PK targets: one number, or a range [low, high] for a range indicator.

A target-range indicator (polarity "range") is planned with both bounds and no
single value; every other indicator with one value and no bounds. A PK line's
quarterly targets (Rencana Aksi) must have the same shape as the line's target,
otherwise the aggregation check in `action_plan` cannot compare them.
"""

import enum
from collections.abc import Mapping
from decimal import Decimal

from kinerja.planning.domain.action_plan import (
    Issue,
    PlanAggregation,
    Target,
    check_quarterly_targets,
)


class TargetProblem(enum.Enum):
    VALUE_REQUIRED = "value_required"
    BOUNDS_REQUIRED = "bounds_required"
    VALUE_NOT_ALLOWED = "value_not_allowed"
    BOUNDS_NOT_ALLOWED = "bounds_not_allowed"
    NEGATIVE = "negative"
    RANGE_INVERTED = "range_inverted"


def target_problems(
    *,
    is_range: bool,
    value: Decimal | None,
    low: Decimal | None,
    high: Decimal | None,
    required: bool = True,
) -> list[TargetProblem]:
    """Why (value, low, high) is not a valid target for an indicator of this shape.

    With `required=False` an entirely empty target is accepted (a Rencana Aksi
    cell that is still being drafted).
    """
    if not required and value is None and low is None and high is None:
        return []
    problems: list[TargetProblem] = []
    if is_range:
        if value is not None:
            problems.append(TargetProblem.VALUE_NOT_ALLOWED)
        if low is None or high is None:
            problems.append(TargetProblem.BOUNDS_REQUIRED)
        elif low > high:
            problems.append(TargetProblem.RANGE_INVERTED)
    else:
        if low is not None or high is not None:
            problems.append(TargetProblem.BOUNDS_NOT_ALLOWED)
        if value is None:
            problems.append(TargetProblem.VALUE_REQUIRED)
    if any(number is not None and number < 0 for number in (value, low, high)):
        problems.append(TargetProblem.NEGATIVE)
    return problems


def is_empty(target: Target) -> bool:
    return target.value is None and target.low is None and target.high is None


def shape_mismatches(*, year_target: Target, quarters: Mapping[int, Target]) -> list[int]:
    """Quarters whose filled-in target is a range while the year's is a number, or vice versa."""
    return sorted(
        quarter
        for quarter, target in quarters.items()
        if not is_empty(target) and target.is_range != year_target.is_range
    )


def line_issues(
    *, year_target: Target, quarters: Mapping[int, Target], aggregation: PlanAggregation
) -> tuple[list[int], list[Issue]]:
    """(quarters of the wrong shape, aggregation issues).

    The aggregation is only checked when every filled-in quarter has the right shape.
    """
    mismatched = shape_mismatches(year_target=year_target, quarters=quarters)
    if mismatched:
        return mismatched, []
    return [], check_quarterly_targets(
        year_target=year_target, quarters=quarters, aggregation=aggregation
    )
