"""Two people completing the same task at the same moment (PostgreSQL): one succeeds, the
other gets a clear message, and the flow moves on exactly once."""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext

from kinerja.core.errors import Conflict
from kinerja.organizations.models import Assignment
from kinerja.workflow import services
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.events import chain_verify
from kinerja.workflow.models import Task, WorkflowEvent
from tests.factories import AssignmentFactory
from tests.workflow.sop_world import SYSTEM, import_small_sop, open_tasks, scope_of, small_agency

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def at_once(*actions: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes, key=lambda outcome: outcome != "ok")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_the_head_and_the_plh_completing_at_once_give_one_completion(agency, attempt):
    world = small_agency(agency)
    plh = AssignmentFactory(
        position=world.positions["kadis"],
        kind=Assignment.Kind.PLH,
        start_date=datetime.date.today() - datetime.timedelta(days=1),
    ).employee
    instance = services.instance_start(
        actor=SYSTEM, sop=import_small_sop(agency), subject="Data TW I 2025"
    )
    task = open_tasks(instance)[0]
    people = [scope_of(plh), scope_of(world.kadis)]

    outcomes = at_once(
        *(
            lambda scope=scope: services.task_complete(actor=scope, task=task, outcome=Outcome.DONE)
            for scope in people
        )
    )

    task.refresh_from_db()
    winner = task.completed_by
    with translation.override("id"):  # the threads speak the default language
        refusal = gettext("This task was already completed by %(name)s; nothing was changed.") % {
            "name": winner.get_full_name() or winner.username
        }
    assert outcomes == ["ok", refusal]
    assert task.status == Task.Status.DONE
    assert [t.step_number for t in open_tasks(instance)] == [2]
    assert Task.objects.filter(instance=instance).count() == 2
    assert WorkflowEvent.objects.filter(instance=instance, kind="task_done").count() == 1
    instance.refresh_from_db()
    assert instance.revision == 2
    assert chain_verify() is None
