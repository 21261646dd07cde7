"""The collection's side of its SOP process (`Collection.process`).

The SOP drives who does what and when; the collection's screens are how the
steps get done. The units' step — the first task done by every Bidang/UPT
("each unit", e.g. seed 004 step 11 "Melakukan Pengukuran Data Kinerja dan ...
Menyampaikan Hasilnya"; `domain.units.units_step`) — is done by submitting the
unit's worksheet: a worksheet cannot be submitted before
the process reaches that step, and the unit's task completes when its (and its
sub-units') worksheets have all been submitted. The task page links to the
worksheet and offers no completion button of its own (`workflow.links`).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.collection.domain.units import units_step, work_unit_of
from kinerja.collection.models import Collection, Worksheet
from kinerja.core.errors import ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.measurement.selectors import PERIOD_LABELS
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import OrgUnit
from kinerja.workflow.assignment import work_units
from kinerja.workflow.domain.definition import SopDefinition
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.links import TaskLink, register_task_linker, register_task_opened
from kinerja.workflow.models import ProcessInstance, Task
from kinerja.workflow.selectors import sop_definition
from kinerja.workflow.services import task_complete


def units_step_number(definition: SopDefinition) -> int | None:
    """The number of the units' step (`domain.units.units_step`); None when the SOP has none."""
    step = units_step(definition)
    return step.number if step is not None else None


def _work_units(collection: Collection) -> tuple[dict[int, int | None], dict[str, int]]:
    """(worksheet id → the id of the Bidang/UPT it reports through, Bidang/UPT code → id);
    two queries. Each-unit tasks name their Bidang/UPT by code (`Task.slot`)."""
    agency = collection.agency
    parents = dict(OrgUnit.objects.filter(agency=agency).values_list("pk", "parent_id"))
    bidang_upt = {unit.code: unit.pk for unit in work_units(agency=agency)}
    ids = set(bidang_upt.values())
    by_worksheet = {
        worksheet_id: work_unit_of(unit_id, parents=parents, work_units=ids)
        for worksheet_id, unit_id in collection.worksheets.values_list("pk", "unit_id")
    }
    return by_worksheet, bidang_upt


def _collection_of(task: Task) -> Collection | None:
    return (
        Collection.objects.filter(process_id=task.instance_id, archived_at__isnull=True)
        .select_related("agency")
        .first()
    )


def _is_units_task(task: Task) -> bool:
    """A Bidang/UPT's own task at the units' step."""
    return bool(task.slot) and task.step_number == units_step_number(
        sop_definition(task.instance.sop)
    )


def _worksheets_reporting_to(collection: Collection, slot: str) -> list[int]:
    """The ids, in order, of the worksheets reporting through the Bidang/UPT coded `slot`."""
    by_worksheet, bidang_upt = _work_units(collection)
    work_unit = bidang_upt.get(slot)
    return sorted(pk for pk, unit in by_worksheet.items() if work_unit and unit == work_unit)


def worksheet_submitted(*, actor: UserScope, worksheet: Worksheet) -> None:
    """Called by `review.worksheet_submit` inside its transaction, after the submission.

    Refuses (ValidationFailed, so the submission rolls back) while the running
    process has not reached its each-unit step. Completes the open each-unit
    task of the worksheet's Bidang/UPT once every worksheet reporting through
    that unit has been submitted.
    """
    collection = worksheet.collection
    if collection.process_id is None:
        return
    # Locked, so two units submitting at once see each other's submission.
    process = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("sop")
        .get(pk=collection.process_id)
    )
    step = units_step_number(sop_definition(process.sop))
    if process.status != ProcessInstance.Status.RUNNING or step is None:
        return
    tasks = list(Task.objects.filter(instance=process, step_number=step))
    if not tasks:
        raise ValidationFailed(
            _(
                "The SOP has not reached the units' step yet: the worksheet can be submitted "
                "once the request for performance data has been sent to the units."
            )
        )
    by_worksheet, bidang_upt = _work_units(collection)
    work_unit = by_worksheet.get(worksheet.pk)
    if work_unit is None:
        return
    waiting = set(
        collection.worksheets.filter(first_submitted_at__isnull=True).values_list("pk", flat=True)
    )
    if any(by_worksheet.get(pk) == work_unit for pk in waiting - {worksheet.pk}):
        return
    for task in tasks:
        if task.status == Task.Status.OPEN and bidang_upt.get(task.slot) == work_unit:
            task_complete(actor=actor, task=task, outcome=Outcome.DONE, by_linked_record=True)


def collection_task_link(task: Task) -> TaskLink | None:
    """The data collection a task's process runs, and for an each-unit task the unit's
    worksheet (which completes it)."""
    collection = _collection_of(task)
    if collection is None:
        return None
    if _is_units_task(task):
        mine = _worksheets_reporting_to(collection, task.slot)
        if mine:
            return TaskLink(
                url=reverse("collection:worksheet", args=[mine[0]]),
                label=_("Worksheet of %(unit)s") % {"unit": task.unit or task.slot},
                completes_by=_(
                    "This step is done by submitting the unit's worksheet: the task completes "
                    "when it has been submitted."
                ),
            )
    return TaskLink(
        url=reverse("collection:detail", args=[collection.pk]),
        label=_("Performance data collection %(period)s %(year)s")
        % {"period": PERIOD_LABELS[collection.engine_period], "year": collection.year},
    )


def unit_task_opened(task: Task) -> None:
    """When a unit's task of the units' step opens, the deadline of the worksheets reporting
    through that unit becomes the task's due time — unless the coordinator has set it."""
    if not _is_units_task(task):
        return
    collection = _collection_of(task)
    if collection is None:
        return
    mine = _worksheets_reporting_to(collection, task.slot)
    for worksheet in Worksheet.objects.select_for_update(of=("self",)).filter(
        pk__in=mine, deadline_set=False
    ):
        if worksheet.deadline == task.due_at:
            continue
        old = worksheet.deadline
        worksheet.deadline = task.due_at
        worksheet.revision += 1
        worksheet.save(update_fields=["deadline", "revision", "updated_at"])
        change_record_create(
            instance=worksheet,
            action="update",
            user_id=None,
            changes={"deadline": (old, task.due_at)},
            reason=_("The units' step of the SOP opened."),
        )


def register() -> None:
    register_task_linker(collection_task_link)
    register_task_opened(unit_task_opened)
