"""The SLA sweep: overdue marks, reminders, breach notices and escalations of open tasks.

`sla_sweep` is run by `kinerja sla sweep` and, every few minutes, by `kinerja
worker` (the `sla_sweep_task` background task). For every open task it:

- sends a reminder to the assignee once the remaining working time is at most
  `KINERJA_SLA_REMINDER_MINUTES` working minutes (default 60), i.e. the task is
  due before that much working time has passed in the agency's calendar;
- once the due time has passed: marks the task overdue, sends the assignee a
  breach notice, and escalates to whoever holds the superior position of the
  task's position today (Plh before Plt before the definitive holder).

Each notice is an in-app `Notification` (for a person with a login) and an
e-mail (when the person has an address). Running the sweep twice sends nothing
twice: each step is recorded on the task (`overdue_at`, `reminded_at`,
`breach_notified_at`, `escalated_at`) and in the process's event log, under a
row lock, and notifications are unique per user, kind and task. An escalation
that finds no superior (or nobody holding it) is left unrecorded, so it happens
once somebody is appointed.

The sweep does not bump the process's `revision`: a reminder is not a change of
the flow, and must not make somebody's open task page stale.

Each task is handled in its own transaction; e-mails go out after it commits,
so a failing mail server never undoes a notice (the notification stays, with
`emailed_at` empty).
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinerja.calendars.selectors import calendar_for
from kinerja.organizations.models import Assignment, Employee, Government, User
from kinerja.organizations.selectors import position_holder
from kinerja.workflow.domain import worktime
from kinerja.workflow.events import event_append
from kinerja.workflow.models import Notification, ProcessInstance, Task, WorkflowEvent

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_MINUTES = 60


def reminder_minutes() -> int:
    """Working minutes before the due time at which the assignee is reminded."""
    return int(getattr(settings, "KINERJA_SLA_REMINDER_MINUTES", DEFAULT_REMINDER_MINUTES))


@dataclass
class SweepReport:
    """What one sweep did: the ids of the tasks per action, and the e-mails sent."""

    overdue: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    breach_notified: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    #: breached tasks whose position has no superior holder today (retried next time)
    not_escalated: list[int] = field(default_factory=list)
    emails: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.overdue or self.reminded or self.breach_notified or self.escalated)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly, as the background task returns it."""
        return {
            "overdue": self.overdue,
            "reminded": self.reminded,
            "breach_notified": self.breach_notified,
            "escalated": self.escalated,
            "not_escalated": self.not_escalated,
            "emails": self.emails,
        }


@dataclass(frozen=True)
class _Mail:
    notification_id: int | None
    address: str
    subject: str
    body: str


def sla_sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    """Mark, remind, notify and escalate every open task that is due (see the module doc)."""
    now = now or timezone.now()
    report = SweepReport()
    with translation.override(settings.LANGUAGE_CODE):
        for task_id in _breach_candidates(now):
            _mail_all(_breach_handle(task_id, now, report), report)
        for task_id in _reminder_candidates(now):
            _mail_all(_reminder_handle(task_id, now, report), report)
    return report


# --- which tasks -------------------------------------------------------------------------


def _open_tasks() -> QuerySet[Task]:
    return Task.objects.filter(
        status=Task.Status.OPEN, instance__status=ProcessInstance.Status.RUNNING
    )


def _breach_candidates(now: datetime.datetime) -> list[int]:
    return list(
        _open_tasks()
        .filter(due_at__lte=now)
        .filter(
            Q(overdue_at__isnull=True)
            | Q(breach_notified_at__isnull=True)
            | Q(escalated_at__isnull=True)
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def _reminder_candidates(now: datetime.datetime) -> list[int]:
    """Open tasks due within the threshold, in each government's own working calendar."""
    pending = _open_tasks().filter(reminded_at__isnull=True, due_at__gt=now)
    government_ids = set(pending.values_list("instance__agency__government_id", flat=True))
    minutes = reminder_minutes()
    result: list[int] = []
    for government in Government.objects.filter(pk__in=government_ids):
        calendar = calendar_for(government=government, since=now.date() - datetime.timedelta(1))
        horizon = worktime.add_working_minutes(calendar, now, minutes)
        result += pending.filter(
            instance__agency__government=government, due_at__lte=horizon
        ).values_list("pk", flat=True)
    return sorted(result)


def _locked(task_id: int) -> Task | None:
    """The task, locked after its process (the order the workflow services lock in)."""
    process = ProcessInstance.objects.select_for_update(of=("self",)).filter(tasks__pk=task_id)
    if process.values_list("pk", flat=True).first() is None:
        return None
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related(
            "instance__sop",
            "instance__agency__government",
            "assignee__user",
            "position__superior",
        )
        .filter(pk=task_id, status=Task.Status.OPEN)
        .first()
    )


# --- what happens to one task --------------------------------------------------------------


def _breach_handle(task_id: int, now: datetime.datetime, report: SweepReport) -> list[_Mail]:
    mails: list[_Mail] = []
    with transaction.atomic():
        task = _locked(task_id)
        if task is None or task.due_at > now:
            return []
        changed: list[str] = []
        if task.overdue_at is None:
            task.overdue_at = now
            changed.append("overdue_at")
            event_append(
                instance=task.instance,
                kind=WorkflowEvent.Kind.OVERDUE,
                task=task,
                payload={"due_at": task.due_at.isoformat()},
            )
            report.overdue.append(task.pk)
        if task.breach_notified_at is None:
            mails += _notify_assignee(task, Notification.Kind.BREACH, _breach_text(task))
            task.breach_notified_at = now
            changed.append("breach_notified_at")
            event_append(
                instance=task.instance,
                kind=WorkflowEvent.Kind.BREACH,
                task=task,
                payload={"assignee": task.assignee_id},
            )
            report.breach_notified.append(task.pk)
        if task.escalated_at is None:
            superior = _superior_holder(task, now)
            if superior is None:
                report.not_escalated.append(task.pk)
            else:
                mails += _notify(
                    task,
                    Notification.Kind.ESCALATION,
                    _escalation_text(task),
                    employee=superior.employee,
                )
                task.escalated_at = now
                changed.append("escalated_at")
                event_append(
                    instance=task.instance,
                    kind=WorkflowEvent.Kind.ESCALATED,
                    task=task,
                    payload={
                        "position": superior.position_id,
                        "employee": superior.employee_id,
                        "acting": superior.kind,
                    },
                )
                report.escalated.append(task.pk)
        if changed:
            task.save(update_fields=[*changed, "updated_at"])
    return mails


def _reminder_handle(task_id: int, now: datetime.datetime, report: SweepReport) -> list[_Mail]:
    with transaction.atomic():
        task = _locked(task_id)
        if task is None or task.reminded_at is not None or task.due_at <= now:
            return []
        mails = _notify_assignee(task, Notification.Kind.REMINDER, _reminder_text(task))
        task.reminded_at = now
        task.save(update_fields=["reminded_at", "updated_at"])
        event_append(
            instance=task.instance,
            kind=WorkflowEvent.Kind.REMINDER,
            task=task,
            payload={"assignee": task.assignee_id},
        )
        report.reminded.append(task.pk)
    return mails


def _superior_holder(task: Task, now: datetime.datetime) -> Assignment | None:
    """Who holds, today in the agency's zone, the superior position of the task's position.

    A task without a position (a team's task) escalates from the assignee's own
    position in the agency.
    """
    position = task.position
    day = timezone.localtime(now, _zone(task)).date()
    if position is None and task.assignee_id is not None:
        own = (
            Assignment.objects.active_on(day)
            .filter(
                employee_id=task.assignee_id,
                position__agency_id=task.instance.agency_id,
                archived_at__isnull=True,
            )
            .select_related("position__superior")
            .order_by("pk")
            .first()
        )
        position = own.position if own else None
    superior = position.superior if position is not None else None
    if superior is None or superior.is_archived:
        return None
    return position_holder(position=superior, day=day)


def _zone(task: Task) -> ZoneInfo:
    return ZoneInfo(task.instance.agency.government.time_zone)


# --- notices -------------------------------------------------------------------------------


def _notify_assignee(task: Task, kind: str, text: str) -> list[_Mail]:
    if task.assignee is None:
        return []
    return _notify(task, kind, text, employee=task.assignee)


def _notify(task: Task, kind: str, text: str, *, employee: Employee) -> list[_Mail]:
    """An in-app notification (once per user, kind and task) and the e-mail to send."""
    user: User | None = employee.user
    notification_id = None
    if user is not None:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user, kind=kind, task=task, message=text
                )
        except IntegrityError:  # already notified (the task's timestamp says so, too)
            return []
        notification_id = notification.pk
    address = employee.email or (user.email if user is not None else "")
    if not address:
        return []
    subject = f"[Kinerja] {text.splitlines()[0]}"
    return [_Mail(notification_id, address, subject[:200], f"{text}\n\n{_task_link(task)}")]


def _mail_all(mails: list[_Mail], report: SweepReport) -> None:
    for mail in mails:
        try:
            send_mail(mail.subject, mail.body, None, [mail.address])
        except (OSError, ValueError):  # SMTP errors are OSErrors; keep the notice in the app
            logger.exception("SLA e-mail to %s failed", mail.address)
            continue
        report.emails += 1
        if mail.notification_id is not None:
            Notification.objects.filter(pk=mail.notification_id).update(emailed_at=timezone.now())


def _task_link(task: Task) -> str:
    base = str(getattr(settings, "KINERJA_BASE_URL", "")).rstrip("/")
    return base + reverse("workflow:task", args=[task.pk])


def _activity(task: Task) -> str:
    for step in task.instance.sop.data.get("steps", []):
        if step.get("number") == task.step_number:
            return str(step.get("activity", ""))
    return str(task.step_number)


def _due_text(task: Task) -> str:
    return date_format(timezone.localtime(task.due_at, _zone(task)), "j F Y H:i")


def _names(task: Task) -> dict[str, str]:
    return {
        "step": str(task.step_number),
        "activity": _activity(task),
        "process": str(task.instance.subject),
        "sop": task.instance.sop.name,
        "due": _due_text(task),
        "assignee": task.assignee.name if task.assignee else _("nobody"),
    }


def _reminder_text(task: Task) -> str:
    return _(
        "Reminder: step %(step)s “%(activity)s” of %(sop)s (%(process)s) is due on %(due)s."
    ) % _names(task)


def _breach_text(task: Task) -> str:
    return _(
        "Past due: step %(step)s “%(activity)s” of %(sop)s (%(process)s) was due on "
        "%(due)s and is not done yet."
    ) % _names(task)


def _escalation_text(task: Task) -> str:
    return _(
        "Escalation: step %(step)s “%(activity)s” of %(sop)s (%(process)s), assigned to "
        "%(assignee)s, was due on %(due)s and is not done yet."
    ) % _names(task)
