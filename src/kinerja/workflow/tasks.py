"""Background tasks of the workflow, run by `kinerja worker` (django-tasks, database backend)."""

from typing import Any

from django_tasks import task

from kinerja.workflow.sla import sla_sweep


@task()
def sla_sweep_task() -> dict[str, Any]:
    """One SLA sweep (see `kinerja.workflow.sla`); `kinerja worker` enqueues it periodically."""
    return sla_sweep().as_dict()
