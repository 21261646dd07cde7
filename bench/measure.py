"""Timing one call and counting its queries, and the figures a benchmark reports."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """One measured step of a benchmark at one data size.

    `data` says what the size is ("2,000 rows"); `count` is that number alone,
    so two sizes can be compared.
    """

    benchmark: str
    step: str
    data: str
    count: int
    seconds: float
    queries: int


def measure(call: Callable[[], T], *, repeat: int = 1) -> tuple[T, float, int]:
    """(result, wall-clock seconds, number of SQL queries) of a call.

    A read can be repeated: the fastest of `repeat` runs is the one least disturbed
    by whatever else the machine is doing. Every run must take the same queries.
    """
    best, counts = float("inf"), set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = call()
            best = min(best, time.perf_counter() - started)
        counts.add(len(queries))
    if len(counts) != 1:
        raise RuntimeError(f"the same call took different numbers of queries: {sorted(counts)}")
    return result, best, counts.pop()


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """(result, seconds) of a call whose queries do not matter (building the data)."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


@dataclass
class Run:
    """What one benchmark at one size reports: measured steps, and how long building its
    data took (label → seconds; not measured for queries)."""

    figures: list[Figure]
    setup: dict[str, float]
