"""Which Bidang/UPT a unit reports through: itself or its nearest ancestor among the work units."""

from collections.abc import Mapping, Set


def work_unit_of(
    unit_id: int, *, parents: Mapping[int, int | None], work_units: Set[int]
) -> int | None:
    """The nearest of `unit_id` and its ancestors that is a work unit (None: none is).

    `parents` maps every unit of the agency to its parent; a cycle ends the climb.
    """
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        if current in work_units:
            return current
        seen.add(current)
        current = parents.get(current)
    return None
