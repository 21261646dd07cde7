"""The SOP execution engine: which work items of a running instance are open (pure Python).

A running instance is a fold over its events: `start` opens the first step,
`complete` closes one open work item with an outcome and opens what follows, and
`replay` rebuilds the state from the stored events. Every call returns a
`Transition` (new state, work items opened and closed) so the caller can create
and close its task rows from it; the state itself is immutable.

Work items. A step done by one position has a single work item (slot `None`). A
step whose actor works `each_unit` has one work item per unit (slot = the unit
key); the units are pinned when the instance starts, like the SOP version.

Flow.
- A start or task step is completed DONE and goes to `next` (default: number + 1).
- A decision is completed YES (Ya: go on to `yes`) or NO (Tidak: back to `no`). NO
  needs a reason; the work item it reopens carries the reason and the decision's
  number (`Opened.returned_from`).
- An end step, once completed, finishes the instance.
- Every step is a barrier for the slots that entered it: it moves on once all of
  them have passed it (DONE, or YES at a decision). An each-unit step therefore
  waits for every unit; a single step has one slot.
- Slots carry over from an each-unit step to the next each-unit step; a single
  step fans out to every unit; an each-unit step joins into one single work item.
- An each-unit decision decides per unit. YES passes that unit. NO sends only that
  unit back when the `no` step is also an each-unit step; when it is not, NO
  reopens the `no` step as its single work item (and the flow from there fans out
  again, so units that had said Ya decide again). Either way the decision waits
  until that unit comes back and says Ya.
- A single decision whose `no` step is an each-unit step reopens it for every unit.
- Arriving at a work item that is already open merges into it: no second task
  (the reason of such a second return is in the event history only).
- A unit sent back whose way down skips the step it left (a `next` or `yes`
  jumping over it) is not waited for forever: when nothing at all is open, the
  lowest waiting step goes on with the slots that passed it (`_Run.settle`).
- If the instance finishes while work items are still open (again only when a
  way down skips a decision), they are closed as withdrawn.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kinerja.workflow.domain.definition import SopDefinition, Step, StepKind

Slot = str | None


class Outcome(StrEnum):
    DONE = "done"  # a start, task or end step was done
    YES = "yes"  # Ya: the work is right, go on
    NO = "no"  # Tidak: back to the step that corrects it


class EngineError(Exception):
    """Base of the engine's errors; messages are for developers, services translate them."""


class InvalidDefinition(EngineError):
    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


class InvalidUnits(EngineError):
    """The unit keys are blank, repeated, or missing while the SOP has each-unit steps."""


class Finished(EngineError):
    """The instance has already finished."""


class NotOpen(EngineError):
    """The work item is not open (never opened, already completed, or no such step)."""


class WrongOutcome(EngineError):
    """DONE for a decision, or YES/NO for a step that is not a decision."""


class ReasonRequired(EngineError):
    """Tidak (NO) needs a reason: the returned task shows it."""


@dataclass(frozen=True)
class WorkItem:
    step: int
    slot: Slot = None


@dataclass(frozen=True)
class StepProgress:
    """A step some slots have entered: `cohort` must all be in `passed` before it moves on."""

    step: int
    cohort: frozenset[Slot]
    passed: frozenset[Slot] = frozenset()


@dataclass(frozen=True)
class EngineState:
    units: tuple[str, ...]
    open: frozenset[WorkItem] = frozenset()
    progress: tuple[StepProgress, ...] = ()  # sorted by step
    finished: bool = False

    def open_items(self) -> tuple[WorkItem, ...]:
        """The open work items by step, then in unit order."""
        order = {unit: index for index, unit in enumerate(self.units)}
        return tuple(
            sorted(self.open, key=lambda item: (item.step, order.get(item.slot or "", -1)))
        )

    def is_open(self, step: int, slot: Slot = None) -> bool:
        return WorkItem(step, slot) in self.open


@dataclass(frozen=True)
class Opened:
    step: int
    slot: Slot
    returned_from: int | None = None  # the decision that said Tidak
    reason: str = ""  # its reason, shown on the returned task


@dataclass(frozen=True)
class Closed:
    step: int
    slot: Slot
    outcome: Outcome | None  # None: withdrawn because the instance finished
    reason: str = ""


@dataclass(frozen=True)
class Transition:
    state: EngineState
    opened: tuple[Opened, ...] = ()
    closed: tuple[Closed, ...] = ()
    finished: bool = False  # this transition finished the instance


@dataclass(frozen=True)
class Event:
    """One stored completion, as `complete` received it."""

    step: int
    slot: Slot
    outcome: Outcome
    reason: str = ""


def start(definition: SopDefinition, *, units: Sequence[str]) -> Transition:
    """Open the first step; `units` are the Bidang/UPT keys of each-unit steps, in order."""
    _require_valid(definition)
    state = EngineState(units=_checked_units(definition, units))
    run = _Run(definition, state)
    run.arrive(definition.steps[0].number, frozenset({None}))
    return run.transition()


def complete(
    definition: SopDefinition,
    state: EngineState,
    *,
    step: int,
    slot: Slot,
    outcome: Outcome | str,
    reason: str = "",
) -> Transition:
    """Close the open work item (`step`, `slot`) with `outcome` and open what follows.

    `outcome` may be the stored text ("done", "yes", "no").
    """
    _require_valid(definition)
    if state.finished:
        raise Finished("the instance has finished")
    if not state.is_open(step, slot):
        raise NotOpen(f"step {step} slot {slot!r} is not open")
    current = definition.step(step)
    outcome = _checked_outcome(current, outcome, reason)
    run = _Run(definition, state)
    run.close(WorkItem(step, slot), outcome, reason)
    if outcome is Outcome.NO:
        assert current.no is not None  # check_definition
        run.arrive(current.no, frozenset({slot}), returned_from=step, reason=reason)
    else:
        run.pass_step(current, slot)
    return run.transition()


def replay(
    definition: SopDefinition, events: Iterable[Event], *, units: Sequence[str]
) -> EngineState:
    """The state after `start` and every stored event in order."""
    state = start(definition, units=units).state
    for event in events:
        state = complete(
            definition,
            state,
            step=event.step,
            slot=event.slot,
            outcome=event.outcome,
            reason=event.reason,
        ).state
    return state


def check_definition(definition: SopDefinition) -> list[str]:
    """What the engine relies on: known actors, existing targets, and a way to the end.

    From every step, answering Ya at each decision must reach an end step without
    passing a step twice; the last step must be an end step.
    """
    if not definition.steps:
        return ["the SOP has no steps"]
    numbers = [step.number for step in definition.steps]
    problems = [
        f"step {n} appears more than once" for n in sorted(set(numbers)) if numbers.count(n) > 1
    ]
    actors = {actor.key for actor in definition.actors}
    for step in definition.steps:
        if step.actor not in actors:
            problems.append(f"step {step.number}: unknown actor {step.actor!r}")
        for label, target in _targets(step):
            if target is None:
                problems.append(f"step {step.number}: decision without {label}")
            elif target not in numbers:
                problems.append(f"step {step.number}: {label} step {target} does not exist")
    if definition.steps[-1].kind is not StepKind.END:
        problems.append(f"the last step ({definition.steps[-1].number}) is not an end step")
    if not problems:
        problems = [
            f"from step {step.number}, answering Ya never reaches an end step"
            for step in definition.steps
            if not _reaches_end(definition, step.number)
        ]
    return problems


def straight_path(definition: SopDefinition) -> list[int]:
    """The step numbers visited when every decision says Ya."""
    return walk(definition, {})


def walk(definition: SopDefinition, decisions: Mapping[int, Sequence[bool]]) -> list[int]:
    """The step numbers visited as one flow, with the given answers per decision.

    `decisions[n]` are decision n's answers in order (True: Ya, False: Tidak);
    once they run out it says Ya. Each-unit steps count once.
    """
    _require_valid(definition)
    answers = {number: deque(values) for number, values in decisions.items()}
    path = []
    step = definition.steps[0]
    while True:
        path.append(step.number)
        if step.kind is StepKind.END:
            return path
        if step.kind is StepKind.DECISION:
            pending = answers.get(step.number)
            number = step.yes if not pending or pending.popleft() else step.no
        else:
            number = _following(step)
        assert number is not None  # check_definition
        step = definition.step(number)


def expected_actor_sequence(
    definition: SopDefinition, decisions: Mapping[int, Sequence[bool]]
) -> list[str]:
    """The actor keys along `walk(definition, decisions)`."""
    return [definition.step(number).actor for number in walk(definition, decisions)]


class _Run:
    """The mutable working copy of one transition."""

    def __init__(self, definition: SopDefinition, state: EngineState) -> None:
        self.definition = definition
        self.units = state.units
        self.open = set(state.open)
        self.progress = {p.step: (set(p.cohort), set(p.passed)) for p in state.progress}
        self.opened: list[Opened] = []
        self.closed: list[Closed] = []
        self.finished = False

    def each_unit(self, number: int) -> bool:
        return self.definition.actor(self.definition.step(number).actor).each_unit

    def arrive(
        self,
        number: int,
        slots: frozenset[Slot],
        *,
        returned_from: int | None = None,
        reason: str = "",
    ) -> None:
        """Bring `slots` (leaving another step) into step `number`."""
        if self.each_unit(number):
            # Units carry over from an each-unit step; a single step fans out to all.
            carried = [unit for unit in self.units if unit in slots]
            arriving: list[Slot] = list(carried or self.units)
        else:
            arriving = [None]
        cohort, passed = self.progress.setdefault(number, (set(), set()))
        cohort.update(arriving)
        passed.difference_update(arriving)
        for slot in arriving:
            item = WorkItem(number, slot)
            if item not in self.open:
                self.open.add(item)
                self.opened.append(Opened(number, slot, returned_from, reason))

    def close(self, item: WorkItem, outcome: Outcome | None, reason: str = "") -> None:
        self.open.remove(item)
        self.closed.append(Closed(item.step, item.slot, outcome, reason))

    def pass_step(self, step: Step, slot: Slot) -> None:
        cohort, passed = self.progress[step.number]
        passed.add(slot)
        if cohort <= passed:
            del self.progress[step.number]
            self.move_on(step, frozenset(passed))

    def move_on(self, step: Step, slots: frozenset[Slot]) -> None:
        if step.kind is StepKind.END:
            self.finish()
        else:
            self.arrive(_following(step), slots)

    def settle(self) -> None:
        """When nothing is open, stop waiting for slots that went elsewhere, lowest step first.

        A slot sent back by Tidak whose way down skips the step it left (a `next`
        or `yes` jumping over it) would otherwise be waited for forever.
        """
        while not self.finished and not self.open and self.progress:
            number = min(self.progress)
            _, passed = self.progress.pop(number)
            if passed:
                self.move_on(self.definition.step(number), frozenset(passed))

    def finish(self) -> None:
        for item in sorted(self.open, key=lambda item: (item.step, item.slot or "")):
            self.close(item, None)
        self.progress.clear()
        self.finished = True

    def transition(self) -> Transition:
        self.settle()
        state = EngineState(
            units=self.units,
            open=frozenset(self.open),
            progress=tuple(
                StepProgress(number, frozenset(cohort), frozenset(passed))
                for number, (cohort, passed) in sorted(self.progress.items())
            ),
            finished=self.finished,
        )
        return Transition(state, tuple(self.opened), tuple(self.closed), self.finished)


def _following(step: Step) -> int:
    """Where a passed (DONE or YES) step goes."""
    if step.kind is StepKind.DECISION:
        assert step.yes is not None  # check_definition
        return step.yes
    return step.next if step.next is not None else step.number + 1


def _targets(step: Step) -> list[tuple[str, int | None]]:
    if step.kind is StepKind.END:
        return []
    if step.kind is StepKind.DECISION:
        return [("yes", step.yes), ("no", step.no)]
    return [("next", _following(step))]


def _reaches_end(definition: SopDefinition, number: int) -> bool:
    """Whether answering Ya from step `number` reaches an end step without a loop."""
    seen: set[int] = set()
    while number not in seen:
        seen.add(number)
        step = definition.step(number)
        if step.kind is StepKind.END:
            return True
        number = _following(step)
    return False


def _checked_outcome(step: Step, text: Outcome | str, reason: str) -> Outcome:
    try:
        outcome = Outcome(text)
    except ValueError:
        raise WrongOutcome(f"step {step.number}: unknown outcome {text!r}") from None
    if step.kind is StepKind.DECISION:
        if outcome is Outcome.DONE:
            raise WrongOutcome(f"step {step.number} is a decision: answer YES or NO")
        if outcome is Outcome.NO and not reason.strip():
            raise ReasonRequired(f"step {step.number}: NO needs a reason")
    elif outcome is not Outcome.DONE:
        raise WrongOutcome(f"step {step.number} is not a decision: complete it DONE")
    return outcome


def _require_valid(definition: SopDefinition) -> None:
    problems = check_definition(definition)
    if problems:
        raise InvalidDefinition(problems)


def _checked_units(definition: SopDefinition, units: Sequence[str]) -> tuple[str, ...]:
    if isinstance(units, str):
        raise InvalidUnits("units must be a sequence of unit keys, not one string")
    keys = tuple(units)
    if any(not key for key in keys) or len(set(keys)) != len(keys):
        raise InvalidUnits(f"unit keys must be non-empty and distinct: {keys!r}")
    if not keys and any(definition.actor(step.actor).each_unit for step in definition.steps):
        raise InvalidUnits("the SOP has each-unit steps but no units were given")
    return keys
