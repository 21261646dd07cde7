"""Who reviews a unit's worksheet after the units' step, read off the collection's SOP."""

from collections.abc import Sequence

from kinerja.collection.domain.units import units_step
from kinerja.workflow.domain.definition import SopDefinition


def chain_from_sop(definition: SopDefinition, *, reviewers: Sequence[str]) -> tuple[str, ...]:
    """The roles among `reviewers` that act after the units' step, in the order the SOP first
    names them (seed 004: Kasubbag Program, Sekretaris, Kepala Dinas; seeds 002 and 003:
    the Kasubbag Program alone). Empty when the SOP names none of them."""
    theirs = units_step(definition)
    after = theirs.number if theirs is not None else 0
    chain: list[str] = []
    for step in sorted(definition.steps, key=lambda s: s.number):
        actor = definition.actor(step.actor)
        role = actor.role_key
        later = step.number > after and not actor.each_unit
        if later and role is not None and role in reviewers and role not in chain:
            chain.append(role)
    return tuple(chain)
