"""Writes of the workflow: import an SOP version, start a process, complete tasks, add outputs.

A process is driven by the pure engine (`domain/engine.py`): every service
locks the process row, feeds the engine the cached state, and turns the
`Transition` it returns into task rows (closed and opened), hash-chained
events (`events.event_append`) and notifications, in one transaction. The
state kept on the process is a cache: the events hold every completion, so
`engine.replay` rebuilds it.

Who may act on a task: its assignee, whoever holds its position today (a Plh
appointed after it opened), and, while nobody is assigned, the agency's
organisers (`selectors.task_can_complete`).
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.documents.generators import LAYOUTS
from kinerja.documents.models import Document, DocumentKind, DocumentVersion
from kinerja.documents.services import document_generate, document_upload
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, OrgUnit
from kinerja.workflow.assignment import Resolver, work_units
from kinerja.workflow.definitions import parse_sop, sop_to_data
from kinerja.workflow.domain import engine
from kinerja.workflow.domain.definition import SopDefinition, Step, StepKind
from kinerja.workflow.domain.worktime import working_minutes_between
from kinerja.workflow.due import agency_calendar, due_at
from kinerja.workflow.events import event_append
from kinerja.workflow.links import completed_elsewhere, task_opened
from kinerja.workflow.models import (
    Notification,
    ProcessInstance,
    SopVersion,
    Task,
    TaskOutput,
    WorkflowEvent,
)
from kinerja.workflow.selectors import sop_definition, sop_latest, task_can_complete

SUBJECT_MAX = 250
PERIOD_MAX = 20
OUTPUT_NAME_MAX = 250

_COMPLETION_EVENTS = {
    engine.Outcome.DONE: WorkflowEvent.Kind.TASK_DONE,
    engine.Outcome.YES: WorkflowEvent.Kind.DECISION_YES,
    engine.Outcome.NO: WorkflowEvent.Kind.DECISION_NO,
}


# --- SOP versions ------------------------------------------------------------------------


def sop_import(*, actor: UserScope | None, text: str, agency: Agency | None = None) -> SopVersion:
    """Store a definition (YAML) as the next version of its SOP in its agency.

    The agency is the one the file names (`agency:`); when `agency` is given the
    file must name it. The same code gets version n+1, and running processes
    stay on their version; a text identical to the latest version adds nothing
    and returns that version. `actor` None is the system (the command line, the
    demo); a user must be allowed to organise the agency.
    """
    definition = parse_sop(text)
    problems = engine.check_definition(definition)
    if problems:
        raise ValidationFailed(
            {
                "steps": [
                    _("The workflow engine cannot run this SOP: %(problem)s") % {"problem": problem}
                    for problem in problems
                ]
            }
        )
    agency = _import_agency(definition, agency)
    if actor is not None and not actor.can_organize_agency(agency):
        raise AccessDenied(_("Only the administrators of this agency may import its SOPs."))
    sha256 = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one import at a time
        latest = sop_latest(agency=agency, code=definition.code)
        if latest is not None and latest.sha256 == sha256:
            return latest
        version = SopVersion.objects.create(
            agency=agency,
            code=definition.code,
            version=latest.version + 1 if latest else 1,
            name=definition.identity.name[:250],
            source=text,
            data=sop_to_data(definition),
            sha256=sha256,
            imported_by_id=actor.user_id if actor else None,
        )
        change_record_create(
            instance=version,
            action="create",
            user_id=actor.user_id if actor else None,
            changes={"version": (latest.version if latest else None, version.version)},
        )
    return version


def _import_agency(definition: SopDefinition, agency: Agency | None) -> Agency:
    if agency is not None:
        if definition.agency_code != agency.code:
            raise ValidationFailed(
                {
                    "agency": [
                        _("This definition is for the agency “%(code)s”, not for %(agency)s.")
                        % {"code": definition.agency_code, "agency": agency.short_name}
                    ]
                }
            )
        return agency
    found = Agency.objects.filter(code=definition.agency_code, archived_at__isnull=True).first()
    if found is None:
        raise ValidationFailed(
            {
                "agency": [
                    _("There is no agency with the code “%(code)s”.")
                    % {"code": definition.agency_code}
                ]
            }
        )
    return found


# --- processes -----------------------------------------------------------------------------


def instance_start(
    *,
    actor: UserScope,
    sop: SopVersion,
    subject: str,
    year: int | None = None,
    period: str = "",
) -> ProcessInstance:
    """Start a process of the latest version of an SOP for a subject; its first task opens.

    The Bidang/UPT that do the "each unit" steps are pinned now, like the
    version. Starting the same SOP for the same subject, year and period twice
    while the first is running is a Conflict.
    """
    agency = sop.agency
    if not actor.can_plan_agency(agency):
        raise AccessDenied(_("Only the agency's planners may start its processes."))
    subject, period = _clean_subject(subject), period.strip()
    if len(period) > PERIOD_MAX:
        raise ValidationFailed(
            {
                "period": [
                    _("The period may be at most %(limit)s characters long.")
                    % {"limit": PERIOD_MAX}
                ]
            }
        )
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationFailed({"year": [_("Enter a year between 2000 and 2100.")]})
    definition = sop_definition(sop)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one start at a time
        latest = sop_latest(agency=agency, code=sop.code)
        if latest is not None and latest.version != sop.version:
            raise ValidationFailed(
                _("A newer version (%(version)s) of this SOP exists; start that one.")
                % {"version": latest.version}
            )
        running = ProcessInstance.objects.filter(
            agency=agency,
            sop__code=sop.code,
            subject=subject,
            year=year,
            period=period,
            status=ProcessInstance.Status.RUNNING,
        )
        if running.exists():
            raise Conflict(
                _("A process of this SOP for “%(subject)s” is already running.")
                % {"subject": subject}
            )
        units = _pinned_units(definition, agency)
        transition = engine.start(definition, units=[unit.code for unit in units])
        instance = ProcessInstance.objects.create(
            sop=sop,
            agency=agency,
            subject=subject,
            year=year,
            period=period,
            started_by_id=actor.user_id,
            state={},
        )
        event_append(
            instance=instance,
            kind=WorkflowEvent.Kind.STARTED,
            user_id=actor.user_id,
            payload={
                "sop": sop.code,
                "version": sop.version,
                "subject": subject,
                "year": year,
                "period": period,
                "units": list(transition.state.units),
            },
        )
        _apply(instance, definition, transition, user_id=actor.user_id, units=units)
        change_record_create(
            instance=instance,
            action="create",
            user_id=actor.user_id,
            changes={"sop": (None, f"{sop.code} v{sop.version}"), "subject": (None, subject)},
        )
    return instance


def _clean_subject(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        raise ValidationFailed({"subject": [_("Say what the process is for, e.g. “PK 2025”.")]})
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(
            {
                "subject": [
                    _("The subject may be at most %(limit)s characters long.")
                    % {"limit": SUBJECT_MAX}
                ]
            }
        )
    return subject


def _pinned_units(definition: SopDefinition, agency: Agency) -> list[OrgUnit]:
    if not any(actor.each_unit for actor in definition.actors):
        return []
    units = work_units(agency=agency)
    if not units:
        raise ValidationFailed(
            _(
                "This SOP has steps done by every Bidang/UPT, but the agency has no Bidang or "
                "UPT; add its units first."
            )
        )
    return units


def task_complete(
    *,
    actor: UserScope,
    task: Task,
    outcome: engine.Outcome | str,
    reason: str = "",
    expected_revision: int | None = None,
    by_linked_record: bool = False,
) -> Task:
    """Complete an open task: DONE for a task, YES (Ya) or NO (Tidak, with a reason) at a decision.

    The process row is locked first, then the task is read again: when two
    people complete it at the same moment the second finds it done and gets a
    Conflict. With `expected_revision` (the process revision the page showed)
    any change since then is a Conflict too.

    A task whose work is done in another app's screens (`links.completed_elsewhere`)
    is completed only by that app's service, which passes `by_linked_record` after
    checking its own permissions (the unit's submission completes the unit's task
    whoever of the unit submits).
    """
    outcome = _outcome(outcome)
    reason = reason.strip()
    with transaction.atomic():
        instance = (
            ProcessInstance.objects.select_for_update(of=("self",))
            .select_related("sop", "agency__government")
            .get(pk=task.instance_id)
        )
        task = Task.objects.select_related("assignee", "completed_by").get(pk=task.pk)
        task.instance = instance
        if not by_linked_record:
            if not task_can_complete(scope=actor, task=task):
                raise AccessDenied(_("Only the person assigned to this task may complete it."))
            if blocked := completed_elsewhere(task):
                raise ValidationFailed(blocked)
        if task.status != Task.Status.OPEN:
            raise Conflict(_already_closed(task))
        if instance.status != ProcessInstance.Status.RUNNING:
            raise Conflict(_("This process is no longer running."))
        if expected_revision is not None and expected_revision != instance.revision:
            raise Conflict(
                _("This process changed since you opened the page; reload it and try again.")
            )
        definition = sop_definition(instance.sop)
        try:
            transition = engine.complete(
                definition,
                _state_from_json(instance.state),
                step=task.step_number,
                slot=task.slot or None,
                outcome=outcome,
                reason=reason,
            )
        except engine.ReasonRequired:
            raise ValidationFailed(
                {"reason": [_("Say why the work goes back: the returned task shows it.")]}
            ) from None
        except engine.WrongOutcome:
            raise ValidationFailed(
                {"outcome": [_wrong_outcome(definition.step(task.step_number))]}
            ) from None
        except (engine.NotOpen, engine.Finished):
            raise Conflict(_("This task is no longer open; reload the page.")) from None
        now = timezone.now()
        calendar = agency_calendar(agency=instance.agency, since=now)
        task.status = Task.Status.DONE
        task.outcome = outcome.value
        task.reason = reason if outcome is engine.Outcome.NO else ""
        task.completed_at = now
        task.completed_by_id = actor.user_id
        task.actual_minutes = working_minutes_between(calendar, task.opened_at, now)
        task.save(
            update_fields=[
                "status",
                "outcome",
                "reason",
                "completed_at",
                "completed_by",
                "actual_minutes",
                "updated_at",
            ]
        )
        event_append(
            instance=instance,
            kind=_COMPLETION_EVENTS[outcome],
            task=task,
            user_id=actor.user_id,
            payload={
                "step": task.step_number,
                "slot": task.slot or None,
                "outcome": outcome.value,
                "reason": task.reason,
            },
        )
        _apply(instance, definition, transition, user_id=actor.user_id, now=now)
    return task


def _outcome(outcome: engine.Outcome | str) -> engine.Outcome:
    try:
        return engine.Outcome(outcome)
    except ValueError:
        raise ValidationFailed({"outcome": [_("Choose how the task ends.")]}) from None


def _wrong_outcome(step: Step) -> str:
    if step.kind is StepKind.DECISION:
        return _("This step is a decision: answer Yes or No.")
    return _("This step is not a decision: mark it done.")


def _already_closed(task: Task) -> str:
    if task.completed_by is not None:
        return _("This task was already completed by %(name)s; nothing was changed.") % {
            "name": task.completed_by.get_full_name() or task.completed_by.username
        }
    return _("This task is already closed; nothing was changed.")


def _apply(
    instance: ProcessInstance,
    definition: SopDefinition,
    transition: engine.Transition,
    *,
    user_id: int | None,
    now: datetime.datetime | None = None,
    units: list[OrgUnit] | None = None,
) -> None:
    """Turn the engine's transition into rows: withdraw, open, finish, and save the state."""
    now = now or timezone.now()
    withdrawn = [item for item in transition.closed if item.outcome is None]
    for item in withdrawn:
        Task.objects.filter(
            instance=instance, step_number=item.step, slot=item.slot or "", status=Task.Status.OPEN
        ).update(status=Task.Status.CANCELLED, completed_at=now, updated_at=now)
    if transition.opened:
        _tasks_open(instance, definition, transition.opened, user_id=user_id, now=now, units=units)
    if transition.finished:
        instance.status = ProcessInstance.Status.FINISHED
        instance.finished_at = now
        event_append(
            instance=instance,
            kind=WorkflowEvent.Kind.FINISHED,
            user_id=user_id,
            payload={"withdrawn": [[item.step, item.slot] for item in withdrawn]},
        )
    instance.state = _state_to_json(transition.state)
    instance.revision += 1
    instance.save(update_fields=["state", "revision", "status", "finished_at", "updated_at"])


def _tasks_open(
    instance: ProcessInstance,
    definition: SopDefinition,
    opened: Iterable[engine.Opened],
    *,
    user_id: int | None,
    now: datetime.datetime,
    units: list[OrgUnit] | None,
) -> None:
    agency = instance.agency
    day = timezone.localdate(now, timezone=ZoneInfo(agency.government.time_zone))
    resolver = Resolver(agency=agency, day=day, year=instance.year or day.year)
    calendar = agency_calendar(agency=agency, since=now)
    opened = list(opened)
    if units is None and any(item.slot for item in opened):
        units = list(OrgUnit.objects.filter(agency=agency, code__in=[i.slot for i in opened]))
    units_by_code = {unit.code: unit for unit in units or []}
    for item in opened:
        step = definition.step(item.step)
        actor = definition.actor(step.actor)
        unit = units_by_code.get(item.slot) if item.slot else None
        who = resolver.assignee(actor, unit=unit)
        minutes = step.duration.working_minutes() if step.duration else 0
        task = Task.objects.create(
            instance=instance,
            step_number=item.step,
            slot=item.slot or "",
            actor_key=actor.key,
            unit=who.unit or unit,
            position=who.position,
            assignee=who.employee,
            assignment_kind=who.kind,
            returned_from_step=item.returned_from,
            returned_reason=item.reason,
            standard_minutes=minutes,
            opened_at=now,
            due_at=due_at(calendar=calendar, opened_at=now, minutes=minutes),
        )
        event_append(
            instance=instance,
            kind=WorkflowEvent.Kind.TASK_OPENED,
            task=task,
            user_id=user_id,
            payload={
                "step": item.step,
                "slot": item.slot,
                "assignee": who.employee.pk if who.employee else None,
                "position": who.position.pk if who.position else None,
                "acting": who.kind,
                "returned_from": item.returned_from,
                "reason": item.reason,
                "due_at": task.due_at.isoformat(),
            },
        )
        task.instance = instance
        task_opened(task)
        if who.employee is not None and who.employee.user_id is not None:
            _notify(instance, task, step, user_id=who.employee.user_id)


def _notify(instance: ProcessInstance, task: Task, step: Step, *, user_id: int) -> None:
    names = {
        "sop": instance.sop.name,
        "subject": instance.subject,
        "step": step.number,
        "activity": step.activity,
        "reason": task.returned_reason,
    }
    if task.returned_from_step is not None:
        kind = Notification.Kind.RETURNED
        message = (
            _(
                "Returned for correction in %(sop)s (%(subject)s), step %(step)s: %(activity)s. "
                "Reason: %(reason)s"
            )
            % names
        )
    else:
        kind = Notification.Kind.NEW_TASK
        message = _("New task in %(sop)s (%(subject)s), step %(step)s: %(activity)s") % names
    Notification.objects.get_or_create(
        user_id=user_id, kind=kind, task=task, defaults={"message": message}
    )


def _slots(slots: Iterable[engine.Slot]) -> list[engine.Slot]:
    return sorted(slots, key=lambda slot: (slot is not None, slot or ""))


def _state_to_json(state: engine.EngineState) -> dict[str, Any]:
    """The engine state as JSON for `ProcessInstance.state` (a cache of the event fold)."""
    return {
        "units": list(state.units),
        "open": [[item.step, item.slot] for item in state.open_items()],
        "progress": [[p.step, _slots(p.cohort), _slots(p.passed)] for p in state.progress],
        "finished": state.finished,
    }


def _state_from_json(data: dict[str, Any]) -> engine.EngineState:
    return engine.EngineState(
        units=tuple(data.get("units", ())),
        open=frozenset(engine.WorkItem(step, slot) for step, slot in data.get("open", ())),
        progress=tuple(
            engine.StepProgress(step, frozenset(cohort), frozenset(passed))
            for step, cohort, passed in data.get("progress", ())
        ),
        finished=bool(data.get("finished", False)),
    )


# --- task outputs --------------------------------------------------------------------------

#: the document kinds a step's output can be generated as, by a word of its name
_GENERATED_KINDS = (
    ("lembar persetujuan", DocumentKind.LEMBAR_PERSETUJUAN),
    ("disposisi", DocumentKind.DISPOSISI),
    ("undangan", DocumentKind.UNDANGAN),
    ("notula", DocumentKind.NOTULA),
    ("daftar hadir", DocumentKind.DAFTAR_HADIR),
    ("surat perintah tugas", DocumentKind.SURAT_PERINTAH_TUGAS),
    ("surat tugas", DocumentKind.SURAT_PERINTAH_TUGAS),
    ("surat", DocumentKind.SURAT),
)


def output_document_kind(output_name: str) -> str | None:
    """The document kind an output can be generated as ("Lembar Disposisi" → disposisi), if any."""
    name = " ".join(output_name.lower().split())
    return next((kind for words, kind in _GENERATED_KINDS if words in name), None)


def _output_agency(task: Task) -> Agency:
    """Outputs are the documents of the agency the actor works for (a coordinating agency's
    head files them there)."""
    if task.position is not None:
        return task.position.agency
    return task.instance.agency


def _clean_output_name(output_name: str) -> str:
    output_name = output_name.strip()
    if len(output_name) > OUTPUT_NAME_MAX:
        raise ValidationFailed(
            {
                "output_name": [
                    _("The output name may be at most %(limit)s characters long.")
                    % {"limit": OUTPUT_NAME_MAX}
                ]
            }
        )
    return output_name


def task_output_attach(
    *, actor: UserScope, task: Task, document: Document, output_name: str = ""
) -> TaskOutput:
    """Link a stored document (its current version, with its sha256) to an open task."""
    output_name = _clean_output_name(output_name)
    with transaction.atomic():
        instance = (
            ProcessInstance.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=task.instance_id)
        )
        task = Task.objects.get(pk=task.pk)
        task.instance = instance
        if not task_can_complete(scope=actor, task=task):
            raise AccessDenied(_("Only the person assigned to this task may add its outputs."))
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is closed; its outputs can no longer change."))
        if not actor.can_view_agency(document.agency) or document.is_archived:
            raise NotFound("document")
        current = (
            DocumentVersion.objects.filter(document=document, version=document.current_version)
            .values_list("sha256", flat=True)
            .first()
        )
        output = TaskOutput.objects.create(
            task=task, document=document, output_name=output_name, added_by_id=actor.user_id
        )
        event_append(
            instance=instance,
            kind=WorkflowEvent.Kind.OUTPUT_ATTACHED,
            task=task,
            user_id=actor.user_id,
            payload={
                "output": output_name,
                "document": document.pk,
                "version": document.current_version,
                "sha256": current or "",
            },
        )
    return output


def _require_actor(actor: UserScope, task: Task) -> None:
    if not task_can_complete(scope=actor, task=task):
        raise AccessDenied(_("Only the person assigned to this task may add its outputs."))
    if task.status != Task.Status.OPEN:
        raise Conflict(_("This task is closed; its outputs can no longer change."))


def task_output_upload(
    *,
    actor: UserScope,
    task: Task,
    uploaded: File,
    output_name: str = "",
    title: str = "",
    kind: str = DocumentKind.OTHER,
) -> TaskOutput:
    """Store an uploaded file as a document of the actor's agency and link it to the task."""
    output_name = _clean_output_name(output_name)
    _require_actor(actor, task)
    with transaction.atomic():
        document = document_upload(
            actor=actor,
            agency=_output_agency(task),
            kind=kind,
            title=title or f"{output_name or _('Output')} — {task.instance.subject}"[:250],
            uploaded=uploaded,
            subject=task.instance.subject,
        )
        return task_output_attach(
            actor=actor, task=task, document=document, output_name=output_name
        )


def task_output_generate(
    *,
    actor: UserScope,
    task: Task,
    output_name: str,
    kind: str = "",
    fields: Mapping[str, str] | None = None,
) -> TaskOutput:
    """Generate the step's output from the document templates and link it to the task.

    The kind comes from the output's name (`output_document_kind`) unless given.
    The fields start from what the process knows (date, subject, the step's
    activity, the actor as signatory, the next actor as addressee); `fields`
    overrides them and supplies the rest. A missing field is a ValidationFailed
    naming it, and nothing is stored.
    """
    output_name = _clean_output_name(output_name)
    kind = kind or output_document_kind(output_name) or ""
    if kind not in LAYOUTS:
        raise ValidationFailed(
            {"kind": [_("This output cannot be generated; upload the file instead.")]}
        )
    _require_actor(actor, task)
    instance = task.instance
    definition = sop_definition(instance.sop)
    step = definition.step(task.step_number)
    values = task_output_defaults(task=task, output_name=output_name) | dict(fields or {})
    with transaction.atomic():
        document = document_generate(
            actor=actor,
            agency=_output_agency(task),
            kind=kind,
            title=f"{output_name} — {instance.subject}"[:250],
            fields=values,
            number=LAYOUTS[kind].numbered_by_default,
            subject=instance.subject,
            note=_("Generated at step %(step)s of %(sop)s.")
            % {"step": step.number, "sop": instance.sop.name},
        )
        return task_output_attach(
            actor=actor, task=task, document=document, output_name=output_name
        )


def task_output_defaults(*, task: Task, output_name: str) -> dict[str, str]:
    """What the process knows for a generated output's fields (to prefill a form with).

    Meetings (undangan, notula, daftar hadir) also need their time, place and
    content, which only the actor can give.
    """
    instance = task.instance
    definition = sop_definition(instance.sop)
    step = definition.step(task.step_number)
    zone = ZoneInfo(instance.agency.government.time_zone)
    actor_label = definition.actor(step.actor).label
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(task.assignment_kind, "")
    signatory = prefix + (task.position.title if task.position else actor_label)
    following = _following_step(definition, step)
    values: dict[str, Any] = {
        "tanggal": timezone.localdate(timezone=zone).isoformat(),
        "perihal": f"{output_name} — {instance.subject}",
        "isi": step.activity,
        "dari": signatory,
        "kepada": definition.actor(following.actor).label if following else "",
        "judul_dokumen": f"{output_name} — {instance.subject}",
        "rapat": f"{step.activity} ({instance.subject})",
        "acara": f"{step.activity} ({instance.subject})",
        "penandatangan_jabatan": signatory,
        "penandatangan_nama": task.assignee.name if task.assignee else "",
        "penandatangan_nip": (task.assignee.nip or "") if task.assignee else "",
    }
    return {name: value for name, value in values.items() if value}


def _following_step(definition: SopDefinition, step: Step) -> Step | None:
    if step.kind is StepKind.END:
        return None
    number = step.yes if step.kind is StepKind.DECISION else step.next or step.number + 1
    try:
        return definition.step(number or 0)
    except KeyError:
        return None
