"""Reads of the running work: "Tugas Saya" (the inbox), a task's page, a process's
timeline, an SOP's processes and notifications. Every page reads processes and tasks
here, nowhere else.

Who sees what:

- A task: the people who may act on it (`selectors.task_can_complete`: its
  assignee, whoever holds its position today, the organisers while it is
  unassigned) and the agency's planners and heads (`can_plan_agency`).
- A process, alone or in an SOP's list (`_visible_processes`, the one rule):
  the agency's planners and heads, the government's administrators, and
  everyone who has or had a task in it (they need the context of their own step).
- Anything else is NotFound (404), so its existence is not revealed.

Every read does a constant number of queries, whatever the number of tasks.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import AGENCY_PLANNER_ROLES, ORGANIZATION_ADMIN_ROLES, Employee
from kinerja.workflow.assignment import Resolver
from kinerja.workflow.domain.definition import Actor, SopDefinition, Step, StepKind
from kinerja.workflow.domain.worktime import working_minutes_between
from kinerja.workflow.due import agency_calendar
from kinerja.workflow.links import TaskLink, task_links
from kinerja.workflow.models import (
    Notification,
    ProcessInstance,
    SopVersion,
    Task,
    TaskOutput,
    WorkflowEvent,
)
from kinerja.workflow.selectors import sop_definition, task_can_complete

NOTIFICATION_LIMIT = 100


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _zone(instance: ProcessInstance) -> ZoneInfo:
    return ZoneInfo(instance.agency.government.time_zone)


def _own_work(scope: UserScope) -> Q:
    """Tasks the scope works on: assigned to them, or of a position they hold today."""
    condition = Q(pk__in=[])
    if scope.employee_id is not None:
        condition |= Q(assignee_id=scope.employee_id)
    if scope.position_ids:
        condition |= Q(position_id__in=scope.position_ids)
    return condition


# --- the inbox -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    """One open task in "Tugas Saya", with its SOP step."""

    task: Task
    step: Step
    actor_label: str
    overdue: bool

    @property
    def instance(self) -> ProcessInstance:
        return self.task.instance

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.task.instance)

    @property
    def zone_label(self) -> str:
        return self.task.instance.agency.government.get_time_zone_display()


def _open_own_tasks(scope: UserScope) -> QuerySet[Task]:
    return Task.objects.filter(
        _own_work(scope),
        status=Task.Status.OPEN,
        instance__status=ProcessInstance.Status.RUNNING,
    )


def inbox(*, scope: UserScope, now: datetime.datetime | None = None) -> list[InboxItem]:
    """The user's open tasks, most urgent first: overdue ones, then by due time (one query).

    An overdue task is one whose due time has passed (whether or not the SLA
    sweep has marked it yet), so ordering by the due time puts them first.
    """
    now = _now(now)
    tasks = (
        _open_own_tasks(scope)
        .select_related("instance__sop", "instance__agency__government", "unit", "assignee")
        .order_by("due_at", "pk")
    )
    items = []
    for task in tasks:
        definition = sop_definition(task.instance.sop)
        step = definition.step(task.step_number)
        items.append(
            InboxItem(
                task=task,
                step=step,
                actor_label=definition.actor(step.actor).label,
                overdue=task.due_at <= now,
            )
        )
    return items


def open_task_count(*, scope: UserScope) -> int:
    """How many tasks wait in the user's inbox (one query), for the menu."""
    if scope.employee_id is None and not scope.position_ids:
        return 0
    return _open_own_tasks(scope).count()


# --- a task's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """Where the work goes after this step: `branch` is "" (next), "yes" or "no"."""

    branch: str
    step: Step
    actor: Actor
    #: who would act there today ("" for an each-unit step or nobody holding the position)
    person: str


@dataclass(frozen=True)
class TaskPage:
    task: Task
    instance: ProcessInstance
    definition: SopDefinition
    step: Step
    actor: Actor
    outputs: list[TaskOutput]
    #: the step's outputs (the SOP's "output" column) not attached yet, by name
    missing_outputs: list[str]
    next_steps: list[NextStep]
    returned_from: Step | None
    can_act: bool
    overdue: bool
    #: working minutes left until the due time (0 once overdue)
    remaining_minutes: int
    #: where other apps do this step's work (`workflow.links`)
    links: list[TaskLink]

    @property
    def completed_elsewhere(self) -> str:
        """Why the task is not completed by hand here ("" when it is)."""
        return next((link.completes_by for link in self.links if link.completes_by), "")

    @property
    def is_decision(self) -> bool:
        return self.step.kind is StepKind.DECISION

    @property
    def is_open(self) -> bool:
        return self.task.status == Task.Status.OPEN

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.instance)


def _task_visible(scope: UserScope, task: Task) -> bool:
    return (
        scope.sees_all()
        or task_can_complete(scope=scope, task=task)
        or scope.can_plan_agency(task.instance.agency)
    )


def task_page_context(
    *, scope: UserScope, task_id: int, now: datetime.datetime | None = None
) -> TaskPage:
    """A task with its SOP context: the step, what it needs and produces, who comes next."""
    now = _now(now)
    task = (
        Task.objects.select_related(
            "instance__sop",
            "instance__agency__government",
            "assignee",
            "unit",
            "position",
            "completed_by",
        )
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=TaskOutput.objects.select_related("document", "added_by").order_by(
                    "added_at", "pk"
                ),
            )
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None or not _task_visible(scope, task):
        raise NotFound("task")
    instance = task.instance
    definition = sop_definition(instance.sop)
    step = definition.step(task.step_number)
    outputs = list(task.outputs.all())
    attached = {output.output_name.casefold() for output in outputs}
    is_open = task.status == Task.Status.OPEN
    remaining = 0
    if is_open and task.due_at > now:
        calendar = agency_calendar(agency=instance.agency, since=now)
        remaining = working_minutes_between(calendar, now, task.due_at)
    return TaskPage(
        task=task,
        instance=instance,
        definition=definition,
        step=step,
        actor=definition.actor(step.actor),
        outputs=outputs,
        missing_outputs=[name for name in step.outputs if name.casefold() not in attached],
        next_steps=_next_steps(instance, definition, step, now),
        returned_from=(
            definition.step(task.returned_from_step) if task.returned_from_step else None
        ),
        can_act=(
            is_open
            and instance.status == ProcessInstance.Status.RUNNING
            and task_can_complete(scope=scope, task=task)
        ),
        overdue=is_open and task.due_at <= now,
        remaining_minutes=remaining,
        links=task_links(task),
    )


def _following(step: Step) -> list[tuple[str, int]]:
    if step.kind is StepKind.END:
        return []
    if step.kind is StepKind.DECISION:
        return [(branch, n) for branch, n in (("yes", step.yes), ("no", step.no)) if n is not None]
    return [("", step.next if step.next is not None else step.number + 1)]


def _next_steps(
    instance: ProcessInstance, definition: SopDefinition, step: Step, now: datetime.datetime
) -> list[NextStep]:
    """The steps that follow and who would act there today (a few queries, once)."""
    following = _following(step)
    if not following:
        return []
    day = timezone.localtime(now, _zone(instance)).date()
    resolver = Resolver(agency=instance.agency, day=day, year=instance.year or day.year)
    result = []
    for branch, number in following:
        target = definition.step(number)
        actor = definition.actor(target.actor)
        person = ""
        if not actor.each_unit:
            employee = resolver.assignee(actor).employee
            person = employee.name if employee else ""
        result.append(NextStep(branch=branch, step=target, actor=actor, person=person))
    return result


# --- who sees a process; one process ----------------------------------------------------


def _visible_processes(scope: UserScope) -> QuerySet[ProcessInstance]:
    """The processes the scope sees: the one rule of every process read.

    The agency's planners and organisers (the planner roles, the organisation
    admin roles — who may act on unassigned tasks —, the government's
    administrators, the superuser) see all its processes; anyone else only those
    they have or had a task in (`_own_work`), whatever the agency.
    """
    processes = ProcessInstance.objects.all()
    if scope.sees_all():
        return processes
    overseers = AGENCY_PLANNER_ROLES | ORGANIZATION_ADMIN_ROLES
    planned = [agency_id for agency_id, roles in scope.roles_by_agency.items() if roles & overseers]
    own = Task.objects.filter(_own_work(scope)).values("instance_id")
    return processes.filter(
        Q(agency_id__in=planned)
        | Q(agency__government_id__in=scope.admin_government_ids)
        | Q(pk__in=own)
    )


def process_get(*, scope: UserScope, instance_id: int) -> ProcessInstance:
    """A process the scope may see (one query), with its SOP and agency; else NotFound."""
    instance = (
        _visible_processes(scope)
        .filter(pk=instance_id)
        .select_related("sop", "agency__government", "started_by")
        .first()
    )
    if instance is None:
        raise NotFound("process")
    return instance


# --- an SOP's processes --------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentStep:
    """A step of a running process with open tasks (one per unit at an each-unit step)."""

    step: Step
    actor_label: str
    tasks: list[Task]

    @property
    def assignee(self) -> Employee | None:
        """Who works on it, when it is one task."""
        return self.tasks[0].assignee if len(self.tasks) == 1 else None


@dataclass(frozen=True)
class ProcessRow:
    instance: ProcessInstance
    current_steps: list[CurrentStep]


def process_list(*, scope: UserScope, sop: SopVersion) -> list[ProcessRow]:
    """The processes of an SOP (all its versions) the scope may see, running ones first,
    newest first, each with its current steps (two queries)."""
    processes = (
        _visible_processes(scope)
        .filter(agency_id=sop.agency_id, sop__code=sop.code)
        .select_related("sop")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.filter(status=Task.Status.OPEN)
                .select_related("assignee", "unit")
                .order_by("step_number", "unit__sort_order", "slot", "pk"),
                to_attr="open_tasks",
            )
        )
        .order_by(
            Case(When(status=ProcessInstance.Status.RUNNING, then=0), default=1),
            "-created_at",
            "-pk",
        )
    )
    return [
        ProcessRow(instance=instance, current_steps=_current_steps(instance))
        for instance in processes
    ]


def _current_steps(instance: ProcessInstance) -> list[CurrentStep]:
    definition = sop_definition(instance.sop)
    by_step: dict[int, list[Task]] = {}
    for task in instance.open_tasks:  # type: ignore[attr-defined]
        by_step.setdefault(task.step_number, []).append(task)
    result = []
    for number, tasks in by_step.items():
        step = definition.step(number)
        result.append(
            CurrentStep(step=step, actor_label=definition.actor(step.actor).label, tasks=tasks)
        )
    return result


@dataclass(frozen=True)
class TimelineRow:
    """One task of the process, as it went.

    `state`: "on_time" (done by its due time), "late" (done after it),
    "running" (open, not yet due), "overdue" (open, past due) or "withdrawn".
    `actual_minutes` is the working time it took, or has taken so far.
    """

    task: Task
    step: Step
    actor_label: str
    actual_minutes: int | None
    state: str

    @property
    def judged(self) -> bool:
        """Whether the row counts for compliance (done, or already past due)."""
        return self.state in ("on_time", "late", "overdue")

    @property
    def compliant(self) -> bool:
        return self.state == "on_time"


@dataclass
class Compliance:
    """SLA compliance of a group of tasks (one step, or one actor)."""

    label: str
    tasks: int = 0
    judged: int = 0
    on_time: int = 0
    standard_minutes: int = 0
    actual_minutes: int = 0

    def add(self, row: TimelineRow) -> None:
        self.tasks += 1
        if row.judged:
            self.judged += 1
            self.on_time += int(row.compliant)
        self.standard_minutes += row.task.standard_minutes
        self.actual_minutes += row.actual_minutes or 0

    @property
    def late(self) -> int:
        return self.judged - self.on_time

    @property
    def percent(self) -> Decimal | None:
        """Tasks done within the standard time, of those done or past due; None when none."""
        if not self.judged:
            return None
        return Decimal(self.on_time * 100) / Decimal(self.judged)


@dataclass(frozen=True)
class StepCompliance:
    step: Step
    compliance: Compliance


@dataclass(frozen=True)
class Timeline:
    instance: ProcessInstance
    definition: SopDefinition
    rows: list[TimelineRow]
    by_step: list[StepCompliance]
    by_actor: list[Compliance]
    overall: Compliance
    #: the steps with an open task (highlighted on the flowchart)
    current_steps: frozenset[int]
    events: list[WorkflowEvent] = field(default_factory=list)

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.instance)


def process_timeline(
    *, scope: UserScope, instance_id: int, now: datetime.datetime | None = None
) -> Timeline:
    """A process the scope may see (`process_get`, else NotFound): every task in the order
    it opened, with standard vs actual working time, and SLA compliance per step and per
    actor (at most seven queries)."""
    now = _now(now)
    instance = process_get(scope=scope, instance_id=instance_id)
    tasks = list(
        Task.objects.filter(instance=instance)
        .select_related("assignee", "unit", "position", "completed_by")
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=TaskOutput.objects.select_related("document").order_by("added_at", "pk"),
            )
        )
        .order_by("opened_at", "pk")
    )
    definition = sop_definition(instance.sop)
    open_tasks = [task for task in tasks if task.status == Task.Status.OPEN]
    calendar = (
        agency_calendar(agency=instance.agency, since=min(t.opened_at for t in open_tasks))
        if open_tasks
        else None
    )
    rows = []
    for task in tasks:
        step = definition.step(task.step_number)
        actual = task.actual_minutes
        if task.status == Task.Status.OPEN and calendar is not None:
            actual = working_minutes_between(calendar, task.opened_at, now)
        rows.append(
            TimelineRow(
                task=task,
                step=step,
                actor_label=definition.actor(step.actor).label,
                actual_minutes=actual if task.status != Task.Status.CANCELLED else None,
                state=_state(task, now),
            )
        )
    events = list(
        WorkflowEvent.objects.filter(instance=instance)
        .select_related("user", "task")
        .order_by("sequence")
    )
    return Timeline(
        instance=instance,
        definition=definition,
        rows=rows,
        by_step=_by_step(definition, rows),
        by_actor=_by_actor(rows),
        overall=_sum("", rows),
        current_steps=frozenset(task.step_number for task in open_tasks),
        events=events,
    )


def _state(task: Task, now: datetime.datetime) -> str:
    if task.status == Task.Status.CANCELLED:
        return "withdrawn"
    if task.status == Task.Status.DONE:
        done = task.completed_at or now
        return "on_time" if done <= task.due_at else "late"
    return "running" if now < task.due_at else "overdue"


def _sum(label: str, rows: Iterable[TimelineRow]) -> Compliance:
    compliance = Compliance(label=label)
    for row in rows:
        if row.state != "withdrawn":
            compliance.add(row)
    return compliance


def _by_step(definition: SopDefinition, rows: list[TimelineRow]) -> list[StepCompliance]:
    result = []
    for step in definition.steps:
        own = [row for row in rows if row.step.number == step.number]
        if own:
            label = definition.actor(step.actor).label
            result.append(StepCompliance(step=step, compliance=_sum(label, own)))
    return result


def _by_actor(rows: list[TimelineRow]) -> list[Compliance]:
    """Per person who was assigned (unassigned tasks together), by name."""
    groups: dict[int | None, tuple[Employee | None, list[TimelineRow]]] = {}
    for row in rows:
        employee = row.task.assignee
        groups.setdefault(employee.pk if employee else None, (employee, []))[1].append(row)
    result = [_sum(employee.name if employee else "", own) for employee, own in groups.values()]
    return sorted(result, key=lambda c: (c.label == "", c.label))


# --- notifications -------------------------------------------------------------------------


def notification_list(*, scope: UserScope, limit: int = NOTIFICATION_LIMIT) -> list[Notification]:
    """The user's latest notifications, newest first (one query)."""
    if scope.user_id is None:
        return []
    return list(
        Notification.objects.filter(user_id=scope.user_id)
        .select_related("task__instance")
        .order_by("-created_at", "-pk")[:limit]
    )


def unread_notification_count(*, scope: UserScope) -> int:
    if scope.user_id is None:
        return 0
    return Notification.objects.filter(user_id=scope.user_id, read_at__isnull=True).count()
