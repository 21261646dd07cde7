"""`kinerja worker`: the background worker (django-tasks database queue + periodic SLA sweep)."""

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from kinerja.workflow.tasks import sla_sweep_task

logger = logging.getLogger(__name__)


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Run the background worker. Every cycle it processes every task waiting in the "
        "django-tasks database queue (like `db_worker --batch`), then waits --interval seconds. "
        "Every --sla-every minutes (and at start) it first enqueues the SLA sweep "
        "(kinerja.workflow.tasks.sla_sweep_task), unless one is already waiting. "
        "--once runs a single cycle and exits (for cron or a test). A lost database connection "
        "is retried next cycle; Ctrl+C or SIGTERM stops after the running task. Run as many "
        "workers as you like: the queue hands each task to one of them, and a sweep run twice "
        "sends nothing twice. Needs the database task backend "
        "(TASKS = django_tasks_db.DatabaseBackend)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sla-every",
            type=_positive,
            default=15,
            metavar="MINUTES",
            help="Minutes between two SLA sweeps (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=_positive,
            default=5,
            metavar="SECONDS",
            help="Seconds to wait when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to process, comma-separated, '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run one cycle (sweep + queue) and exit."
        )

    def handle(
        self,
        *args: Any,
        sla_every: float,
        interval: float,
        queue_name: str,
        once: bool,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        backend = task_backends[sla_sweep_task.backend]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "kinerja worker needs the database task backend "
                "(TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}})."
            )
        next_sweep = time.monotonic()
        while True:
            try:
                if time.monotonic() >= next_sweep:
                    self._sweep_enqueue(backend.alias)
                    next_sweep = time.monotonic() + sla_every * 60
                call_command(
                    "db_worker",
                    batch=True,
                    reload=False,
                    startup_delay=False,
                    interval=0,
                    queue_name=queue_name,
                    backend_name=backend.alias,
                    verbosity=verbosity,
                    stdout=self.stdout,
                )
            except DatabaseError:
                if once:
                    raise
                # The database went away (restart, failover): try again next cycle.
                logger.exception("kinerja worker: database error; retrying in %s s", interval)
                close_old_connections()
            if once:
                return
            time.sleep(interval)

    def _sweep_enqueue(self, backend_alias: str) -> None:
        """Queue one SLA sweep, unless an earlier one is still waiting for a worker."""
        waiting = DBTaskResult.objects.filter(
            backend_name=backend_alias,
            task_path=sla_sweep_task.module_path,
            status=TaskResultStatus.READY,
        ).exists()
        if not waiting:
            sla_sweep_task.enqueue()
