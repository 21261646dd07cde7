"""The demo's data collection: TW IV 2025 of the Sulawesi Tengah Dinas Koperasi, running its
Pengumpulan Data Kinerja SOP (seed 004) and waiting at the step where every Bidang/UPT
fills in its worksheet — the moment a new user most wants to see."""

from kinerja.collection.grid import COLLECTION_SOP_CODE
from kinerja.collection.models import Collection
from kinerja.collection.process_link import units_step_number
from kinerja.collection.services import collection_create
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Agency, Assignment, RoleKey
from kinerja.workflow.domain.definition import StepKind
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.models import ProcessInstance, Task
from kinerja.workflow.selectors import sop_definition, sop_latest
from kinerja.workflow.services import task_complete

DEMO_AGENCY = "dinkop-ukm-sulteng"
DEMO_YEAR = 2025
DEMO_PERIOD = "tw4"
#: more turns than any seed SOP has steps
_MAX_STEPS = 60


def load_demo_collection() -> Collection | None:
    """Create the demo collection once (idempotent); None when the demo agency or its SOP
    is missing."""
    agency = Agency.objects.filter(code=DEMO_AGENCY).first()
    sop = sop_latest(agency=agency, code=COLLECTION_SOP_CODE) if agency else None
    if agency is None or sop is None:
        return None
    existing = Collection.objects.filter(
        agency=agency, year=DEMO_YEAR, period=DEMO_PERIOD, archived_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    coordinator = (
        Assignment.objects.filter(
            position__agency=agency,
            position__role_key=RoleKey.KASUBBAG_PROGRAM,
            employee__user__isnull=False,
            archived_at__isnull=True,
        )
        .select_related("employee__user")
        .first()
    )
    if coordinator is None or coordinator.employee.user is None:
        return None
    collection = collection_create(
        actor=scope_for(coordinator.employee.user),
        agency=agency,
        year=DEMO_YEAR,
        period=DEMO_PERIOD,
        sop=sop,
    )
    assert collection.process is not None
    advance_process(
        collection.process, until_step=units_step_number(sop_definition(collection.process.sop))
    )
    return collection


def advance_process(process: ProcessInstance, *, until_step: int | None) -> None:
    """Complete the open tasks as their assignees would (Ya at decisions) until a task of
    `until_step` is open, nothing is open, or a task has nobody with a login to do it."""
    definition = sop_definition(process.sop)
    for _turn in range(_MAX_STEPS):
        tasks = list(
            Task.objects.filter(instance=process, status=Task.Status.OPEN)
            .select_related("assignee__user", "instance__sop", "instance__agency")
            .order_by("step_number", "pk")
        )
        if not tasks or any(task.step_number == until_step for task in tasks):
            return
        task = tasks[0]
        if task.assignee is None or task.assignee.user is None:
            return
        decision = definition.step(task.step_number).kind is StepKind.DECISION
        task_complete(
            actor=scope_for(task.assignee.user),
            task=task,
            outcome=Outcome.YES if decision else Outcome.DONE,
        )
