"""SOP definitions (versioned), running instances pinned to a version, tasks, outputs,
notifications and the append-only, hash-chained event log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TimeStampedModel
from kinerja.documents.models import Document
from kinerja.organizations.models import Agency, Assignment, Employee, OrgUnit, Position


class SopVersion(models.Model):
    """One imported version of an agency's SOP: the YAML as given and its parsed data.

    Importing a definition whose code exists adds version n+1; running instances
    stay pinned to the version they started with. Never edited, never deleted.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="sop_versions"
    )
    code = models.SlugField(_("code"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=250)
    source = models.TextField(_("definition (YAML)"))
    data = models.JSONField(_("definition (parsed)"))
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SOP version")
        verbose_name_plural = _("SOP versions")
        ordering = ["agency", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "version"], name="sop_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProcessInstance(TimeStampedModel):
    """One run of an SOP for a subject (a year's PK, a quarter's data collection, …)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    sop = models.ForeignKey(
        SopVersion, verbose_name=_("SOP"), on_delete=models.PROTECT, related_name="instances"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="processes"
    )
    subject = models.CharField(_("subject"), max_length=250)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    #: the engine's state, derivable from the events (`engine.replay`); a cache for reads
    state = models.JSONField(_("engine state"), default=dict)
    #: bumped by every change; services lock the row and compare it
    revision = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.sop.name}: {self.subject}"


class Task(TimeStampedModel):
    """One actor's piece of work at one step (one per unit for "each unit" steps)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        YES = "yes", _("Yes")
        NO = "no", _("No (returned)")

    instance = models.ForeignKey(
        ProcessInstance, verbose_name=_("process"), on_delete=models.PROTECT, related_name="tasks"
    )
    step_number = models.PositiveIntegerField(_("step"))
    #: "" for a single task; the unit's code for an "each unit" step
    slot = models.CharField(max_length=80, blank=True)
    actor_key = models.CharField(_("actor"), max_length=80)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    assignee = models.ForeignKey(
        Employee,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignment_kind = models.CharField(
        _("acting as"), max_length=20, choices=Assignment.Kind.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason for returning"), blank=True)
    #: set when a decision returned the work here: which step sent it back and why
    returned_from_step = models.PositiveIntegerField(null=True, blank=True)
    returned_reason = models.TextField(_("returned with reason"), blank=True)
    standard_minutes = models.PositiveIntegerField(_("standard working minutes"), default=0)
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actual_minutes = models.PositiveIntegerField(_("actual working minutes"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    breach_notified_at = models.DateTimeField(_("breach notice sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["instance", "opened_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "step_number", "slot"],
                condition=Q(status="open"),
                name="one_open_task_per_step_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instance} · {self.step_number}"


class TaskOutput(models.Model):
    """A document produced by a task (uploaded or generated), linked to it."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="outputs")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="task_outputs")
    output_name = models.CharField(_("output"), max_length=250, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task output")
        verbose_name_plural = _("task outputs")
        ordering = ["task", "added_at"]

    def __str__(self) -> str:
        return f"{self.task}: {self.document}"


class WorkflowEvent(models.Model):
    """Append-only, hash-chained record of everything that happened in a process.

    Each event's `hash` covers its content and the previous event's hash in the
    same process, so altering or removing a row breaks the chain from there on
    (`kinerja audit verify`). Written only by `kinerja.workflow.events.event_append`.
    """

    class Kind(models.TextChoices):
        STARTED = "started", _("Process started")
        TASK_OPENED = "task_opened", _("Task opened")
        TASK_DONE = "task_done", _("Task completed")
        DECISION_YES = "decision_yes", _("Approved (Yes)")
        DECISION_NO = "decision_no", _("Returned (No)")
        OUTPUT_ATTACHED = "output_attached", _("Output attached")
        OVERDUE = "overdue", _("Marked overdue")
        REMINDER = "reminder", _("Reminder sent")
        BREACH = "breach", _("Breach notice sent")
        ESCALATED = "escalated", _("Escalated to the superior")
        FINISHED = "finished", _("Process finished")

    instance = models.ForeignKey(ProcessInstance, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["instance", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "sequence"], name="event_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}#{self.sequence} {self.kind}"


class Notification(models.Model):
    """An in-app notice to a user (reminder, breach, escalation, new task).

    (`user`, `kind`, `task`) is unique, so a sweep that runs twice notifies once.
    """

    class Kind(models.TextChoices):
        NEW_TASK = "new_task", _("New task")
        REMINDER = "reminder", _("Reminder")
        BREACH = "breach", _("Past due")
        ESCALATION = "escalation", _("Escalation")
        RETURNED = "returned", _("Returned for correction")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "task"], name="notification_once_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
