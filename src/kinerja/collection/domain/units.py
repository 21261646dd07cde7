"""The units' side of a collection's SOP: which Bidang/UPT a unit reports through, and which
step of the SOP is theirs."""

from collections.abc import Mapping, Set

from kinerja.workflow.domain.definition import SopDefinition, Step, StepKind


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


def units_step(definition: SopDefinition) -> Step | None:
    """The SOP's step in which every Bidang/UPT reports its data: the first task done by an
    "each unit" actor (a later each-unit step, such as a decision on a semester report,
    is not the data collection's)."""
    each_unit = {actor.key for actor in definition.actors if actor.each_unit}
    return next(
        (
            step
            for step in sorted(definition.steps, key=lambda s: s.number)
            if step.actor in each_unit and step.kind in (StepKind.TASK, StepKind.START)
        ),
        None,
    )
