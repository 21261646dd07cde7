"""`kinerja worker`: one cycle enqueues the SLA sweep and runs it from the database queue."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kinerja.workflow.tasks import sla_sweep_task
from tests.workflow.inbox_world import MONDAY_9, at, build_world, open_task

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def overdue_task(transactional_db, time_machine):
    """Step 1 (15 minutes, Kepala Dinas) opened Monday 09:00; it is 09:30 now."""
    time_machine.move_to(MONDAY_9, tick=False)
    world = build_world()
    task = open_task(world.start(), 1)
    time_machine.move_to(at(3, 9, 30), tick=False)
    mail.outbox.clear()
    return task


def run_worker(*args: str) -> str:
    out = io.StringIO()
    call_command("worker", "--once", *args, stdout=out)
    return out.getvalue()


def test_one_cycle_enqueues_the_sweep_and_runs_it(database_queue, overdue_task):
    run_worker("--sla-every", "15")

    results = DBTaskResult.objects.filter(task_path=sla_sweep_task.module_path)
    assert results.count() == 1
    result = results.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.task_result.return_value["overdue"] == [overdue_task.pk]
    overdue_task.refresh_from_db()
    assert overdue_task.overdue_at is not None
    assert overdue_task.breach_notified_at is not None
    assert [m.to for m in mail.outbox] == [["kadis@example.test"]]


def test_a_second_cycle_sends_nothing_twice(database_queue, overdue_task):
    run_worker()
    run_worker()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert len(mail.outbox) == 1


def test_a_waiting_sweep_is_not_queued_again(database_queue, overdue_task):
    sla_sweep_task.enqueue()  # queued earlier, no worker has taken it yet
    run_worker()
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_other_queued_tasks_run_in_the_same_cycle(database_queue, overdue_task):
    sla_sweep_task.using(priority=10).enqueue()
    sla_sweep_task.enqueue()
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_the_worker_needs_the_database_backend(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="database task backend"):
        run_worker()
