"""Each of the ten shipped SOPs runs from start to end in its demo agency.

Every open task is completed by its assignee (as that person's login); at the
first decision the work is sent back once ("Tidak", with a reason the returned
task shows), then approved. The actors of the completed tasks, in order (an
each-unit step counted once), must be the engine's expected sequence for that
path, and each each-unit step must have given one task to every Bidang and UPT.
"""

import pytest
from django.db import transaction

from kinerja.demo.loader import load_demo
from kinerja.organizations.models import Agency
from kinerja.sops import definition_paths
from kinerja.workflow import services
from kinerja.workflow.assignment import work_units
from kinerja.workflow.demo import load_demo_sops
from kinerja.workflow.domain.definition import StepKind
from kinerja.workflow.domain.engine import Outcome, expected_actor_sequence
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from kinerja.workflow.selectors import sop_definition
from tests.workflow.sop_world import SYSTEM, complete_as_assignee, open_tasks

pytestmark = pytest.mark.django_db

SEEDS = [path.stem for path in definition_paths()]
REASON = "Angka realisasi triwulan belum sesuai bukti dukung; mohon diperbaiki."


def test_the_ten_seed_sops_are_shipped():
    assert len(SEEDS) == 10


@pytest.fixture(scope="module")
def demo_sops(django_db_setup, django_db_blocker):
    """The demo and its SOPs, loaded once for the module in a transaction rolled back at its
    end; each test runs inside it (pytest-django's savepoint) and leaves it as it found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield {f"{v.agency.code}--{v.code}": v for v in load_demo_sops()}
        transaction.set_rollback(True)


def run_to_the_end(instance: ProcessInstance, *, say_no_at: int | None) -> list[Task]:
    """Complete open tasks (lowest step first) until none is left; Tidak once at `say_no_at`."""
    definition = sop_definition(instance.sop)
    completed: list[Task] = []
    said_no = False
    for _ in range(500):
        tasks = open_tasks(instance)
        if not tasks:
            return completed
        task = tasks[0]
        assert task.assignee is not None, f"step {task.step_number} has nobody assigned"
        if definition.step(task.step_number).kind is StepKind.DECISION:
            if task.step_number == say_no_at and not said_no:
                said_no = True
                completed.append(complete_as_assignee(task, Outcome.NO, REASON))
                continue
            completed.append(complete_as_assignee(task, Outcome.YES))
        else:
            completed.append(complete_as_assignee(task, Outcome.DONE))
    raise AssertionError("the process did not finish")


def collapsed_actors(tasks: list[Task]) -> list[str]:
    """The actor keys in order, the tasks of one each-unit step in a row counted once."""
    actors: list[str] = []
    previous = None
    for task in tasks:
        if task.step_number != previous:
            actors.append(task.actor_key)
        previous = task.step_number
    return actors


@pytest.mark.parametrize("seed", SEEDS)
def test_the_seed_sop_runs_from_start_to_end(demo_sops, seed):
    version = demo_sops[seed]
    definition = sop_definition(version)
    decisions = [step for step in definition.steps if step.kind is StepKind.DECISION]
    loop = decisions[0] if decisions else None
    instance = services.instance_start(
        actor=SYSTEM, sop=version, subject="Uji 2025", year=2025, period="TW I"
    )

    completed = run_to_the_end(instance, say_no_at=loop.number if loop else None)

    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.FINISHED
    answers = {loop.number: [False]} if loop else {}
    assert collapsed_actors(completed) == expected_actor_sequence(definition, answers)
    tasks = instance.tasks.all()
    assert not tasks.filter(status=Task.Status.OPEN).exists()
    if loop is not None:
        returned = tasks.get(returned_from_step=loop.number)
        assert returned.step_number == loop.no
        assert returned.returned_reason == REASON
        assert returned.status == Task.Status.DONE
    units = {unit.pk for unit in work_units(agency=instance.agency)}
    for step in definition.steps:
        if definition.actor(step.actor).each_unit:
            first_round = list(tasks.filter(step_number=step.number).order_by("pk"))[: len(units)]
            assert {task.unit_id for task in first_round} == units
            assert len(first_round) == len(units) >= 3


def test_each_seed_sop_is_imported_once_into_the_agency_it_names(demo_sops):
    again = load_demo_sops()

    assert SopVersion.objects.count() == 10
    assert {v.pk for v in again} == {v.pk for v in demo_sops.values()}
    for key, version in demo_sops.items():
        agency_code, code = key.split("--")
        assert version.agency == Agency.objects.get(code=agency_code)
        assert (version.code, version.version) == (code, 1)
