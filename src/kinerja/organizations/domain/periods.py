"""Date periods of assignments: inclusive [start, end], where end None means open-ended."""

import datetime
from collections.abc import Iterable

Period = tuple[datetime.date, datetime.date | None]


def overlaps(a: Period, b: Period) -> bool:
    """Whether two inclusive periods share at least one day."""
    a_start, a_end = a
    b_start, b_end = b
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def covers(periods: Iterable[Period], target: Period) -> bool:
    """Whether every day of `target` lies in at least one of `periods`."""
    start, end = target
    reached = start  # the first day not yet known to be covered
    for p_start, p_end in sorted(periods, key=lambda p: p[0]):
        if p_start > reached:
            break
        if p_end is None or (end is not None and p_end >= end):
            return True
        if p_end >= reached:
            reached = p_end + datetime.timedelta(days=1)
    return False
