"""Worked examples and properties of the SOP execution engine (pure Python, no database)."""

from itertools import permutations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kinerja.workflow.domain.definition import Actor, Identity, SopDefinition, Step, StepKind
from kinerja.workflow.domain.engine import (
    Closed,
    EngineState,
    Event,
    Finished,
    InvalidDefinition,
    InvalidUnits,
    NotOpen,
    Opened,
    Outcome,
    ReasonRequired,
    StepProgress,
    Transition,
    WorkItem,
    WrongOutcome,
    check_definition,
    complete,
    expected_actor_sequence,
    replay,
    start,
    straight_path,
    walk,
)

DONE, YES, NO = Outcome.DONE, Outcome.YES, Outcome.NO
START, TASK, DECISION, END = StepKind.START, StepKind.TASK, StepKind.DECISION, StepKind.END
EACH_UNIT = {"pemegang_data", "kepala_bidang"}
UNITS = ("bidang_1", "bidang_2", "upt_1")


def sop(*steps: Step) -> SopDefinition:
    keys = dict.fromkeys(step.actor for step in steps)
    return SopDefinition(
        code="uji",
        version=1,
        identity=Identity(number="1", name="Uji", agency_name="Dinas Uji"),
        actors=tuple(Actor(key=key, label=key, each_unit=key in EACH_UNIT) for key in keys),
        steps=steps,
    )


def step(
    number: int,
    actor: str,
    kind: StepKind = TASK,
    *,
    next: int | None = None,
    yes: int | None = None,
    no: int | None = None,
) -> Step:
    activity = f"Kegiatan {number}"
    return Step(number, activity, actor, kind, next=next, yes=yes, no=no)


LINEAR = sop(
    step(1, "kepala_dinas", START),
    step(2, "sekretaris"),
    step(3, "fungsional_umum"),
    step(4, "kepala_dinas", END),
)
# Kasubbag Program checks the draft; Tidak sends it back two steps, to the drafting.
LOOP = sop(
    step(1, "kepala_dinas", START),
    step(2, "fungsional_umum"),
    step(3, "fungsional_umum"),
    step(4, "kasubbag_program", DECISION, yes=5, no=2),
    step(5, "kepala_dinas", END),
)
FAN_OUT = sop(
    step(1, "kasubbag_program", START),
    step(2, "pemegang_data"),
    step(3, "kasubbag_program"),
    step(4, "kepala_dinas", END),
)
# Each Kepala Bidang checks the data of their own unit and returns it to their Pemegang Data.
UNIT_DECISION = sop(
    step(1, "kasubbag_program", START),
    step(2, "pemegang_data"),
    step(3, "kepala_bidang", DECISION, yes=4, no=2),
    step(4, "kasubbag_program"),
    step(5, "kepala_dinas", END),
)
# A unit's Tidak goes back to a single step: the format is sent again to every unit.
UNIT_DECISION_TO_SINGLE = sop(
    step(1, "kepala_dinas", START),
    step(2, "kasubbag_program"),
    step(3, "pemegang_data"),
    step(4, "kepala_bidang", DECISION, yes=5, no=2),
    step(5, "kepala_dinas", END),
)
# The Sekretaris (one person) returns the data to every unit.
SINGLE_DECISION_TO_UNITS = sop(
    step(1, "kasubbag_program", START),
    step(2, "pemegang_data"),
    step(3, "sekretaris", DECISION, yes=4, no=2),
    step(4, "kepala_dinas", END),
)
# A unit's Tidak goes back to a correction that leads to the end without the decision.
SKIPPING_LOOP = sop(
    step(1, "kasubbag_program", START, next=3),
    step(2, "kasubbag_program", next=5),
    step(3, "kepala_bidang", DECISION, yes=4, no=2),
    step(4, "sekretaris"),
    step(5, "kepala_dinas", END),
)


def item(number: int, slot: str | None = None) -> WorkItem:
    return WorkItem(number, slot)


def run(definition: SopDefinition, actions, units=UNITS) -> list[Transition]:
    """Start, then complete each (step, slot, outcome[, reason]) in order."""
    transitions = [start(definition, units=units)]
    for action in actions:
        number, slot, outcome, *reason = action
        transitions.append(
            complete(
                definition,
                transitions[-1].state,
                step=number,
                slot=slot,
                outcome=outcome,
                reason=reason[0] if reason else "",
            )
        )
    return transitions


def at_decision() -> EngineState:
    """LOOP waiting for the Kasubbag Program's check (step 4)."""
    return run(LOOP, [(1, None, DONE), (2, None, DONE), (3, None, DONE)])[-1].state


# --- worked examples ----------------------------------------------------------------------------


def test_start_opens_the_first_step():
    transition = start(LINEAR, units=())

    assert transition.opened == (Opened(1, None),)
    assert transition.closed == ()
    assert transition.state.open_items() == (item(1),)
    assert not transition.finished


def test_linear_sop_runs_step_by_step_and_finishes():
    transitions = run(LINEAR, [(1, None, DONE), (2, None, DONE), (3, None, DONE), (4, None, DONE)])

    assert [t.opened for t in transitions] == [
        (Opened(1, None),),
        (Opened(2, None),),
        (Opened(3, None),),
        (Opened(4, None),),
        (),
    ]
    assert transitions[2].closed == (Closed(2, None, DONE),)
    assert [t.finished for t in transitions] == [False, False, False, False, True]
    assert transitions[-1].state == EngineState(units=UNITS, finished=True)


def test_outcomes_stored_as_text_are_accepted():
    transition = complete(LOOP, at_decision(), step=4, slot=None, outcome="no", reason="Salah")

    assert transition.closed == (Closed(4, None, NO, "Salah"),)
    assert transition.opened == (Opened(2, None, returned_from=4, reason="Salah"),)


def test_next_overrides_the_following_number():
    definition = sop(
        step(1, "kepala_dinas", START, next=3),
        step(2, "sekretaris"),
        step(3, "kepala_dinas", END),
    )

    transition = run(definition, [(1, None, DONE)])[-1]

    assert transition.opened == (Opened(3, None),)


def test_decision_returns_twice_with_reasons_then_goes_on():
    transitions = run(
        LOOP,
        [
            (1, None, DONE),
            (2, None, DONE),
            (3, None, DONE),
            (4, None, NO, "Angka triwulan II salah"),
            (2, None, DONE),
            (3, None, DONE),
            (4, None, NO, "Lampiran belum ada"),
            (2, None, DONE),
            (3, None, DONE),
            (4, None, YES),
            (5, None, DONE),
        ],
    )

    assert transitions[4].opened == (
        Opened(2, None, returned_from=4, reason="Angka triwulan II salah"),
    )
    assert transitions[4].closed == (Closed(4, None, NO, "Angka triwulan II salah"),)
    assert transitions[7].opened == (Opened(2, None, returned_from=4, reason="Lampiran belum ada"),)
    assert transitions[10].opened == (Opened(5, None),)
    assert transitions[-1].finished
    opened_actors = [LOOP.step(o.step).actor for t in transitions for o in t.opened]
    assert opened_actors == expected_actor_sequence(LOOP, {4: [False, False]})


@pytest.mark.parametrize("order", list(permutations(UNITS)), ids="-".join)
def test_each_unit_step_waits_for_every_unit_in_any_order(order):
    opened_units = run(FAN_OUT, [(1, None, DONE)])[-1]
    assert opened_units.opened == tuple(Opened(2, unit) for unit in UNITS)

    transitions = run(FAN_OUT, [(1, None, DONE)] + [(2, unit, DONE) for unit in order])

    assert [t.opened for t in transitions[2:]] == [(), (), (Opened(3, None),)]
    assert transitions[-1].state.open_items() == (item(3),)


def test_each_unit_decision_returns_only_that_unit():
    a, b, c = UNITS
    prefix = [(1, None, DONE), (2, a, DONE), (2, b, DONE), (2, c, DONE)]
    transitions = run(
        UNIT_DECISION,
        [
            *prefix,
            (3, b, NO, "Realisasi kosong"),
            (3, a, YES),
            (3, c, YES),
            (2, b, DONE),
            (3, b, YES),
        ],
    )
    returned, yes_a, yes_c, refilled, yes_b = transitions[5:]

    assert transitions[4].opened == tuple(Opened(3, unit) for unit in UNITS)
    assert returned.opened == (Opened(2, b, returned_from=3, reason="Realisasi kosong"),)
    assert returned.state.open_items() == (item(2, b), item(3, a), item(3, c))
    assert yes_a.opened == yes_c.opened == ()
    assert yes_c.state.open_items() == (item(2, b),)
    assert StepProgress(3, cohort=frozenset(UNITS), passed=frozenset({a, c})) in (
        yes_c.state.progress
    )
    assert refilled.opened == (Opened(3, b),)
    assert yes_b.opened == (Opened(4, None),)
    assert yes_b.state.open_items() == (item(4),)


def test_each_unit_decision_to_a_single_step_reopens_it_and_units_decide_again():
    a, b, c = UNITS
    fill = [(3, unit, DONE) for unit in UNITS]
    transitions = run(
        UNIT_DECISION_TO_SINGLE,
        [
            (1, None, DONE),
            (2, None, DONE),
            *fill,
            (4, a, NO, "Format salah"),
            (4, b, YES),
            (2, None, DONE),
            *fill,
        ],
    )
    returned, _, resent = transitions[6], transitions[7], transitions[8]
    refilled = transitions[-1]

    assert returned.opened == (Opened(2, None, returned_from=4, reason="Format salah"),)
    assert resent.opened == tuple(Opened(3, unit) for unit in UNITS)
    # c never answered, so its task stays open; a and b get a new one.
    assert refilled.opened == (Opened(4, a), Opened(4, b))
    assert refilled.state.open_items() == (item(4, a), item(4, b), item(4, c))

    state = refilled.state
    for unit in UNITS:
        state = complete(UNIT_DECISION_TO_SINGLE, state, step=4, slot=unit, outcome=YES).state
    assert state.open_items() == (item(5),)


def test_single_decision_returns_an_each_unit_step_to_every_unit():
    done = [(2, unit, DONE) for unit in UNITS]
    transition = run(SINGLE_DECISION_TO_UNITS, [(1, None, DONE), *done, (3, None, NO, "Lengkapi")])[
        -1
    ]

    assert transition.opened == tuple(
        Opened(2, u, returned_from=3, reason="Lengkapi") for u in UNITS
    )


def test_finishing_withdraws_work_items_left_open():
    a, b = UNITS[:2]
    transitions = run(
        SKIPPING_LOOP,
        [(1, None, DONE), (3, a, NO, "Salah"), (2, None, DONE), (5, None, DONE)],
        units=(a, b),
    )

    assert transitions[-1].closed == (Closed(5, None, DONE), Closed(3, b, None))
    assert transitions[-1].state == EngineState(units=(a, b), finished=True)


# Ya at 2 skips 3 and 4; 4 (reached only by a Tidak at 5) sends units back to the start.
BYPASS = sop(
    step(1, "kepala_dinas", START),
    step(2, "sekretaris", DECISION, yes=5, no=1),
    step(3, "sekretaris"),
    step(4, "pemegang_data", DECISION, yes=5, no=1),
    step(5, "kepala_bidang", DECISION, yes=6, no=4),
    step(6, "kepala_dinas", END),
)


def test_a_unit_that_skipped_a_step_is_not_waited_for_there():
    a, b = UNITS[:2]
    transitions = run(
        BYPASS,
        [
            (1, None, DONE),
            (2, None, YES),
            (5, a, NO, "Cek ulang"),
            (4, a, NO, "Ulang dari awal"),
            (1, None, DONE),
            (2, None, YES),  # a comes back to 5 by the Ya at 2, skipping 4
            (5, a, YES),
            (5, b, NO, "Cek ulang"),
            (4, b, YES),  # nothing is open: 4 stops waiting for a and lets b go on
            (5, b, YES),
        ],
        units=(a, b),
    )

    assert transitions[-2].opened == (Opened(5, b),)
    assert transitions[-1].opened == (Opened(6, None),)


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "state", "action", "error"),
    [
        pytest.param(LOOP, at_decision(), (3, None, DONE), NotOpen, id="completed-twice"),
        pytest.param(LOOP, at_decision(), (5, None, DONE), NotOpen, id="not-yet-open"),
        pytest.param(LOOP, at_decision(), (9, None, DONE), NotOpen, id="no-such-step"),
        pytest.param(FAN_OUT, run(FAN_OUT, [(1, None, DONE)])[-1].state, (2, None, DONE), NotOpen,
                     id="each-unit-without-unit"),
        pytest.param(LINEAR, start(LINEAR, units=()).state, (1, "bidang_1", DONE), NotOpen,
                     id="single-with-unit"),
        pytest.param(LOOP, at_decision(), (4, None, NO, ""), ReasonRequired, id="no-reason"),
        pytest.param(LOOP, at_decision(), (4, None, NO, "  \n"), ReasonRequired, id="blank-reason"),
        pytest.param(LOOP, at_decision(), (4, None, DONE), WrongOutcome, id="done-at-decision"),
        pytest.param(LINEAR, start(LINEAR, units=()).state, (1, None, YES), WrongOutcome,
                     id="yes-at-task"),
        pytest.param(LINEAR, start(LINEAR, units=()).state, (1, None, NO, "x"), WrongOutcome,
                     id="no-at-task"),
        pytest.param(LOOP, at_decision(), (4, None, "maybe"), WrongOutcome, id="unknown-outcome"),
        pytest.param(LINEAR, run(LINEAR, [(n, None, DONE) for n in (1, 2, 3, 4)])[-1].state,
                     (4, None, DONE), Finished, id="after-finish"),
    ],
)  # fmt: skip
def test_refused_completions(definition, state, action, error):
    number, slot, outcome, *reason = action

    with pytest.raises(error):
        complete(
            definition, state, step=number, slot=slot, outcome=outcome, reason=(reason or [""])[0]
        )


@pytest.mark.parametrize(
    "units",
    [
        pytest.param((), id="none"),
        pytest.param(("bidang_1", "bidang_1"), id="repeated"),
        pytest.param(("bidang_1", ""), id="blank"),
        pytest.param("bidang_1", id="a-string"),
    ],
)
def test_start_refuses_bad_units(units):
    with pytest.raises(InvalidUnits):
        start(FAN_OUT, units=units)


def test_an_sop_without_each_unit_steps_needs_no_units():
    assert start(LOOP, units=()).state.units == ()


def test_engine_refuses_a_broken_definition():
    broken = sop(step(1, "kepala_dinas", START), step(2, "sekretaris", DECISION, yes=3, no=1))

    with pytest.raises(InvalidDefinition) as raised:
        start(broken, units=())

    assert raised.value.problems == [
        "step 2: yes step 3 does not exist",
        "the last step (2) is not an end step",
    ]


# --- check_definition, walks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "problems"),
    [
        pytest.param(LOOP.steps, [], id="valid"),
        pytest.param((), ["the SOP has no steps"], id="empty"),
        pytest.param(
            (step(1, "a", START), step(2, "a", DECISION, yes=3), step(3, "a", END)),
            ["step 2: decision without no"],
            id="decision-without-no",
        ),
        pytest.param(
            (step(1, "a", START, next=7), step(2, "a", END)),
            ["step 1: next step 7 does not exist"],
            id="missing-next",
        ),
        pytest.param(
            (step(1, "a", START), step(3, "a", END)),
            ["step 1: next step 2 does not exist"],
            id="missing-following-number",
        ),
        pytest.param(
            (step(1, "a", START), step(1, "a"), step(2, "a", END)),
            ["step 1 appears more than once"],
            id="duplicate-number",
        ),
        pytest.param(
            (step(1, "a", START), step(2, "a", END), step(3, "a")),
            ["step 3: next step 4 does not exist", "the last step (3) is not an end step"],
            id="last-not-end",
        ),
        pytest.param(
            (step(1, "a", START), step(2, "a", DECISION, yes=1, no=1), step(3, "a", END)),
            [
                "from step 1, answering Ya never reaches an end step",
                "from step 2, answering Ya never reaches an end step",
            ],
            id="loop-without-exit",
        ),
        pytest.param(
            (step(1, "a", START, next=3), step(2, "a", next=1), step(3, "a", END)),
            [],
            id="back-and-forward-jumps",
        ),
    ],
)
def test_check_definition(steps, problems):
    assert check_definition(sop(*steps)) == problems


def test_check_definition_names_unknown_actors():
    definition = sop(step(1, "a", START), step(2, "a", END))
    unknown = SopDefinition(
        code="uji",
        version=1,
        identity=definition.identity,
        actors=(),
        steps=definition.steps,
    )

    assert check_definition(unknown) == [
        "step 1: unknown actor 'a'",
        "step 2: unknown actor 'a'",
    ]


def test_straight_path_and_walks():
    assert straight_path(LOOP) == [1, 2, 3, 4, 5]
    assert walk(LOOP, {4: [False, False]}) == [1, 2, 3, 4, 2, 3, 4, 2, 3, 4, 5]
    assert walk(LOOP, {4: [True, False]}) == [1, 2, 3, 4, 5]
    assert straight_path(SKIPPING_LOOP) == [1, 3, 4, 5]
    assert walk(SKIPPING_LOOP, {3: [False]}) == [1, 3, 2, 5]
    assert expected_actor_sequence(UNIT_DECISION, {3: [False]}) == [
        "kasubbag_program",
        "pemegang_data",
        "kepala_bidang",
        "pemegang_data",
        "kepala_bidang",
        "kasubbag_program",
        "kepala_dinas",
    ]


# --- properties ---------------------------------------------------------------------------------

ACTORS = ("kepala_dinas", "sekretaris", "pemegang_data", "kepala_bidang")


@st.composite
def definitions(draw) -> SopDefinition:
    """Valid SOPs of 2 to 8 steps; targets anywhere, mostly down the table."""
    size = draw(st.integers(min_value=2, max_value=8))
    anywhere = st.integers(min_value=1, max_value=size)
    steps = [step(1, draw(st.sampled_from(ACTORS)), START, next=draw(st.none() | anywhere))]
    for number in range(2, size):
        actor = draw(st.sampled_from(ACTORS))
        later = st.integers(min_value=number + 1, max_value=size)
        if draw(st.booleans()):
            no = draw(st.integers(min_value=1, max_value=number) | anywhere)
            steps.append(step(number, actor, DECISION, yes=draw(later | anywhere), no=no))
        else:
            steps.append(step(number, actor, next=draw(st.none() | later | anywhere)))
    steps.append(step(size, draw(st.sampled_from(ACTORS)), END))
    definition = sop(*steps)
    assume(check_definition(definition) == [])
    return definition


unit_sets = st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True).map(tuple)


def expected_return(definition: SopDefinition, state: EngineState, decision: int, slot):
    """The work items a Tidak at (decision, slot) must leave open."""
    target = definition.step(decision).no
    assert target is not None
    if not definition.actor(definition.step(target).actor).each_unit:
        return {item(target)}
    if definition.actor(definition.step(decision).actor).each_unit:
        return {item(target, slot)}
    return {item(target, unit) for unit in state.units}


def assert_consistent(definition: SopDefinition, state: EngineState, transition: Transition):
    numbers = {s.number for s in definition.steps}
    progress = {p.step: p for p in state.progress}
    everything: list[Opened | WorkItem] = [*transition.opened, *state.open]
    for work in everything:
        assert work.step in numbers
        each_unit = definition.actor(definition.step(work.step).actor).each_unit
        assert (work.slot in state.units) if each_unit else work.slot is None
    for work in state.open:
        assert work.slot in progress[work.step].cohort - progress[work.step].passed
    assert state.finished or state.open, "an unfinished instance always has open work"
    assert transition.finished == state.finished


@settings(max_examples=300, deadline=None)
@given(definition=definitions(), units=unit_sets, data=st.data())
def test_random_runs_open_real_steps_honour_tidak_and_replay_to_the_same_state(
    definition, units, data
):
    transition = start(definition, units=units)
    assert_consistent(definition, transition.state, transition)
    events: list[Event] = []
    while not transition.state.finished and len(events) < 60:
        state = transition.state
        work = data.draw(st.sampled_from(state.open_items()))
        is_decision = definition.step(work.step).kind is DECISION
        outcome = data.draw(st.sampled_from([YES, NO])) if is_decision else DONE
        event = Event(work.step, work.slot, outcome, "alasan" if outcome is NO else "")
        events.append(event)

        transition = complete(
            definition,
            state,
            step=event.step,
            slot=event.slot,
            outcome=outcome,
            reason=event.reason,
        )

        assert Closed(event.step, event.slot, outcome, event.reason) in transition.closed
        opened = [(o.step, o.slot) for o in transition.opened]
        assert len(set(opened)) == len(opened)
        assert not set(opened) & {(w.step, w.slot) for w in state.open - {work}}, (
            "nothing is opened twice"
        )
        assert_consistent(definition, transition.state, transition)
        if outcome is NO:
            assert expected_return(definition, state, work.step, work.slot) <= transition.state.open
    assert replay(definition, events, units=units) == transition.state


@settings(max_examples=200, deadline=None)
@given(definition=definitions(), units=unit_sets, data=st.data())
def test_always_yes_finishes_after_the_straight_path(definition, units, data):
    expected = sum(
        len(units) if definition.actor(definition.step(n).actor).each_unit else 1
        for n in straight_path(definition)
    )
    state = start(definition, units=units).state
    completions = 0
    while not state.finished:
        work = data.draw(st.sampled_from(state.open_items()))
        is_decision = definition.step(work.step).kind is DECISION
        state = complete(
            definition, state, step=work.step, slot=work.slot, outcome=YES if is_decision else DONE
        ).state
        completions += 1
        assert completions <= expected

    assert completions == expected
