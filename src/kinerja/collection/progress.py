"""Reads of the completeness and timeliness pages: one collection per unit and indicator,
and one government per agency.

Who sees what:

- A collection's page: its reviewers — the agency's planners
  (`can_plan_agency`: they coordinate the collection, and include the
  government's administrators) and the reviewer roles of `chain.REVIEWER_ROLES`
  — see every unit. A unit's own staff (and the data holders of its rows) see
  only the lines of the worksheets they may open (`grid.viewable_worksheet_ids`),
  and the totals of those lines: a Kepala Bidang opening the page expects to see
  how far their own Bidang is, not to be turned away, nor to see the others.
  Anyone else, in the agency or outside it, gets NotFound.
- A government's page: its administrators and the staff of its coordinating
  agencies (BAPPEDA, Biro Organisasi: `Agency.is_coordinating`) see counts per
  agency, never values; an agency's line links to its collection's page only for
  those who may see that page anyway. Anyone else gets NotFound.

Both read a constant number of queries whatever the number of agencies, units
and rows: the figures are counted in the database per worksheet (subqueries on
the current entry), and judged and added up by `domain.progress`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.collection.chain import REVIEWER_ROLES
from kinerja.collection.domain.progress import (
    DEFAULT_PERIOD,
    Totals,
    UnitFigures,
    latest_period,
    timeliness,
)
from kinerja.collection.domain.units import work_unit_of
from kinerja.collection.grid import viewable_worksheet_ids
from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, Government, OrgUnit
from kinerja.workflow.assignment import WORK_UNIT_KINDS
from kinerja.workflow.domain.definition import SopDefinition
from kinerja.workflow.models import ProcessInstance, SopVersion, Task
from kinerja.workflow.selectors import sop_definition

# --- counting in the database ------------------------------------------------------------


def _current_value() -> Subquery:
    """The value of the row's newest entry (None: never entered, or entered empty)."""
    return Subquery(
        Entry.objects.filter(row=OuterRef("pk")).order_by("-version").values("value")[:1]
    )


def _count(rows: QuerySet[WorksheetRow]) -> Coalesce:
    """How many of `rows` (correlated to the outer worksheet) there are, 0 when none."""
    counted = rows.order_by().values("worksheet").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_figures(worksheets: QuerySet[Worksheet]) -> QuerySet[Worksheet]:
    """Worksheets annotated with `expected` (rows) and `filled` (rows whose current entry
    has a value), counted without joining the rows into the outer query."""
    rows = WorksheetRow.objects.filter(worksheet=OuterRef("pk"))
    filled = rows.annotate(current_value=_current_value()).filter(current_value__isnull=False)
    return worksheets.annotate(expected=_count(rows), filled=_count(filled))


def _figures(
    *,
    expected: int,
    filled: int,
    deadline: datetime.datetime,
    first_submitted_at: datetime.datetime | None,
    now: datetime.datetime,
) -> UnitFigures:
    return UnitFigures(
        expected=expected,
        filled=filled,
        timeliness=timeliness(first_submitted_at=first_submitted_at, deadline=deadline, now=now),
    )


# --- who may see it ----------------------------------------------------------------------


def may_review(scope: UserScope, agency: Agency) -> bool:
    """Whoever reviews the agency's worksheets: its planners and the reviewer roles."""
    roles = scope.roles_by_agency.get(agency.pk, frozenset())
    return scope.can_plan_agency(agency) or bool(roles & REVIEWER_ROLES)


def _require_collection(scope: UserScope, collection: Collection) -> None:
    agency = collection.agency
    if collection.is_archived or agency.is_archived or not scope.can_view_agency(agency):
        raise NotFound("collection")


# --- one collection ----------------------------------------------------------------------


@dataclass(frozen=True)
class StepAt:
    """A step of the collection's SOP with open work.

    `own`: the unit's own task at an "each unit" step; otherwise a step of the
    process as a whole (the unit has no open task of its own).
    """

    number: int
    activity: str
    actor_label: str
    due_at: datetime.datetime
    overdue: bool
    own: bool


@dataclass(frozen=True)
class RowProgress:
    """One indicator of a unit's worksheet: filled or missing, and who supplies its data."""

    row: WorksheetRow
    filled: bool


@dataclass(frozen=True)
class UnitProgress:
    worksheet: Worksheet
    figures: UnitFigures
    rows: list[RowProgress]
    steps: list[StepAt]


@dataclass(frozen=True)
class CollectionProgress:
    collection: Collection
    units: list[UnitProgress]
    totals: Totals
    #: the steps of the SOP process with open tasks (empty: no process, or it has ended)
    process_steps: list[StepAt]
    #: the scope sees only its own units' lines, not the whole collection
    limited: bool

    @property
    def process(self) -> ProcessInstance | None:
        return self.collection.process


def _open_steps(
    process: ProcessInstance | None, now: datetime.datetime
) -> tuple[dict[str, StepAt], list[StepAt]]:
    """Bidang/UPT code (`Task.slot`) → its own open task's step, and the process's open
    steps (each step once, by number). Two queries at most: the open tasks, their SOP."""
    if process is None:
        return {}, []
    tasks = list(
        Task.objects.filter(instance=process, status=Task.Status.OPEN).order_by(
            "step_number", "due_at", "pk"
        )
    )
    if not tasks:
        return {}, []
    definition = sop_definition(SopVersion.objects.get(pk=process.sop_id))

    def at(task: Task, *, own: bool) -> StepAt:
        return _step_at(definition, task, now=now, own=own)

    by_slot = {task.slot: at(task, own=True) for task in tasks if task.slot}
    by_step: dict[int, StepAt] = {}
    for task in tasks:  # by due time within a step: the earliest due one stands for it
        by_step.setdefault(task.step_number, at(task, own=False))
    return by_slot, list(by_step.values())


def _reporting_units(agency_id: int) -> Callable[[int], str | None]:
    """unit id → the code of the Bidang/UPT it reports through (itself or an ancestor,
    as `process_link` completes their tasks), None for none; one query."""
    units = OrgUnit.objects.filter(agency_id=agency_id).values_list(
        "pk", "parent_id", "code", "kind", "archived_at"
    )
    parents: dict[int, int | None] = {}
    codes: dict[int, str] = {}
    for pk, parent_id, code, kind, archived_at in units:
        parents[pk] = parent_id
        if kind in WORK_UNIT_KINDS and archived_at is None:
            codes[pk] = code

    def code_of(unit_id: int) -> str | None:
        found = work_unit_of(unit_id, parents=parents, work_units=codes.keys())
        return codes[found] if found is not None else None

    return code_of


def _step_at(definition: SopDefinition, task: Task, *, now: datetime.datetime, own: bool) -> StepAt:
    step = definition.step(task.step_number)
    return StepAt(
        number=step.number,
        activity=step.activity,
        actor_label=definition.actor(step.actor).label,
        due_at=task.due_at,
        overdue=task.due_at <= now,
        own=own,
    )


def _rows_by_worksheet(worksheet_ids: list[int]) -> dict[int, list[RowProgress]]:
    rows = (
        WorksheetRow.objects.filter(worksheet_id__in=worksheet_ids)
        .select_related("indicator", "data_holder")
        .annotate(current_value=_current_value())
        .order_by("sort_order", "pk")
    )
    found: dict[int, list[RowProgress]] = {pk: [] for pk in worksheet_ids}
    for row in rows:
        found[row.worksheet_id].append(
            RowProgress(row=row, filled=row.current_value is not None)  # type: ignore[attr-defined]
        )
    return found


def collection_progress(
    *, scope: UserScope, collection: Collection, now: datetime.datetime | None = None
) -> CollectionProgress:
    """Per unit (worksheet) and indicator (row): expected, filled, missing, submitted,
    on time or late, the worksheet's status and the SOP step the unit is at; totals of
    the lines the scope sees (see the module's rules; NotFound otherwise).

    At most six queries whatever the size: worksheets with their counts, the
    worksheets a unit's staff may open (not for reviewers), the rows, the open
    tasks, their SOP, and (while units have open tasks) the agency's unit tree.
    A unit's own step is the open task of the Bidang/UPT its worksheet reports
    through (itself, or the nearest one above it: `domain.units.work_unit_of`).
    """
    _require_collection(scope, collection)
    now = now or timezone.now()
    worksheets = list(
        with_figures(Worksheet.objects.filter(collection=collection))
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name")
    )
    limited = not may_review(scope, collection.agency)
    if limited:
        visible = viewable_worksheet_ids(scope=scope, collection=collection, worksheets=worksheets)
        worksheets = [worksheet for worksheet in worksheets if worksheet.pk in visible]
        if not worksheets:
            raise NotFound("collection")
    rows = _rows_by_worksheet([worksheet.pk for worksheet in worksheets])
    by_slot, process_steps = _open_steps(collection.process, now)
    code_of = _reporting_units(collection.agency_id) if by_slot else None
    units = []
    for worksheet in worksheets:
        worksheet.collection = collection  # already loaded: no query per line
        slot = code_of(worksheet.unit_id) if code_of is not None else None
        own = by_slot.get(slot) if slot is not None else None
        units.append(
            UnitProgress(
                worksheet=worksheet,
                figures=_figures(
                    expected=worksheet.expected,  # type: ignore[attr-defined]
                    filled=worksheet.filled,  # type: ignore[attr-defined]
                    deadline=worksheet.deadline,
                    first_submitted_at=worksheet.first_submitted_at,
                    now=now,
                ),
                rows=rows[worksheet.pk],
                steps=[own] if own is not None else process_steps,
            )
        )
    return CollectionProgress(
        collection=collection,
        units=units,
        totals=Totals.of(unit.figures for unit in units),
        process_steps=process_steps,
        limited=limited,
    )


# --- one government, per agency ----------------------------------------------------------


@dataclass(frozen=True)
class AgencyProgress:
    """An agency's collection of the period (None: not started) and its counts."""

    agency: Agency
    collection: Collection | None
    totals: Totals
    #: the scope may open the collection's own progress page
    can_open: bool

    @property
    def status(self) -> str:
        """ "not_started", or the collection's status."""
        return self.collection.status if self.collection is not None else "not_started"


@dataclass(frozen=True)
class GovernmentSummary:
    """The government's agencies, how many have started the period's collection, and the
    counts of all their worksheets and rows together."""

    agencies: int
    started: int
    totals: Totals


def government_summary(lines: list[AgencyProgress]) -> GovernmentSummary:
    return GovernmentSummary(
        agencies=len(lines),
        started=sum(1 for line in lines if line.collection is not None),
        totals=sum((line.totals for line in lines), Totals()),
    )


def _may_oversee(scope: UserScope, government: Government, agencies: Iterable[Agency]) -> bool:
    """The government's administrators, and the staff of its coordinating agencies among
    `agencies` (the government's; evaluated only for someone who is not an administrator)."""
    if scope.can_administer_government(government.pk):
        return True
    return any(agency.is_coordinating and agency.pk in scope.agency_ids for agency in agencies)


def _government_agencies(government: Government) -> list[Agency]:
    return list(
        Agency.objects.filter(government=government, archived_at__isnull=True).order_by("name")
    )


def government_get(*, scope: UserScope, government_id: int) -> Government:
    """A government whose progress page the scope may see (two queries at most); else
    NotFound."""
    government = Government.objects.filter(pk=government_id, archived_at__isnull=True).first()
    if government is None:
        raise NotFound("government")
    own = Agency.objects.filter(
        government=government, pk__in=scope.agency_ids, archived_at__isnull=True
    )
    if not _may_oversee(scope, government, own):
        raise NotFound("government")
    return government


def government_default_period(*, government: Government, year: int) -> str:
    """The period closing last in `year` among the government's collections, else TW I."""
    periods = (
        Collection.objects.filter(
            agency__government=government, year=year, archived_at__isnull=True
        )
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return latest_period(periods) or DEFAULT_PERIOD


def government_progress(
    *,
    scope: UserScope,
    government: Government,
    year: int,
    period: str,
    now: datetime.datetime | None = None,
) -> list[AgencyProgress]:
    """Every agency of the government by name with its collection of `period` in `year`
    (or none: not started) and the counts of its worksheets and rows (three queries
    whatever the number of agencies). NotFound for anyone but the government's
    administrators and the staff of its coordinating agencies."""
    now = now or timezone.now()
    agencies = _government_agencies(government)
    if government.is_archived or not _may_oversee(scope, government, agencies):
        raise NotFound("government")
    collections = {
        collection.agency_id: collection
        for collection in Collection.objects.filter(
            agency__in=agencies, year=year, period=period, archived_at__isnull=True
        )
    }
    figures: dict[int, list[UnitFigures]] = {
        collection.pk: [] for collection in collections.values()
    }
    worksheets = (
        with_figures(Worksheet.objects.filter(collection__in=list(collections.values())))
        .order_by()
        .values_list(  # type: ignore[misc]  # the stubs do not see the annotations
            "collection_id", "expected", "filled", "deadline", "first_submitted_at"
        )
    )
    for collection_id, expected, filled, deadline, first_submitted_at in worksheets:
        figures[collection_id].append(
            _figures(
                expected=expected,
                filled=filled,
                deadline=deadline,
                first_submitted_at=first_submitted_at,
                now=now,
            )
        )
    result = []
    for agency in agencies:
        collection = collections.get(agency.pk)
        if collection is not None:
            collection.agency = agency
        result.append(
            AgencyProgress(
                agency=agency,
                collection=collection,
                totals=Totals.of(figures[collection.pk]) if collection is not None else Totals(),
                can_open=collection is not None and may_review(scope, agency),
            )
        )
    return result
