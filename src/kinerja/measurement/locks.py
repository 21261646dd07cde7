"""Quarters whose realisasi another record has settled (a locked data collection).

Measurement knows nothing of those records: an app registers a `PeriodLock` in
its `AppConfig.ready`, and `realization_record` asks before any other source
than that app's own changes a settled quarter.
"""

from collections.abc import Callable

from kinerja.planning.models import Indicator

#: (indicator, year, quarter, source) → why the quarter may not change ("" when it may)
PeriodLock = Callable[[Indicator, int, int, str], str]

_locks: list[PeriodLock] = []


def register_period_lock(lock: PeriodLock) -> None:
    if lock not in _locks:
        _locks.append(lock)


def period_locked(indicator: Indicator, *, year: int, quarter: int, source: str) -> str:
    """Why the indicator's realisasi for the quarter may not be changed by `source` ("": may)."""
    return next(
        (reason for lock in _locks if (reason := lock(indicator, year, quarter, source))), ""
    )
