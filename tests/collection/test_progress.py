"""The completeness and timeliness selectors: figures per unit and indicator, the SOP step
each unit is at, the government view per agency, who sees what, constant queries.

The helpers here (`progress_world`, `play`, `grow`) are shared with the page tests.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.collection.domain.progress import Timeliness, Totals
from kinerja.collection.models import Collection, Entry, Worksheet
from kinerja.collection.progress import (
    collection_progress,
    government_default_period,
    government_get,
    government_progress,
    government_summary,
)
from kinerja.collection.review import worksheet_submit
from kinerja.collection.selectors import collection_get
from kinerja.collection.services import collection_create, entry_record, worksheet_deadline_set
from kinerja.core.errors import NotFound
from kinerja.organizations.access import UserScope, scope_for
from kinerja.organizations.models import Agency, OrgUnit, RoleKey
from kinerja.workflow.models import Task
from tests.api.scenario import agreement, indicator, pk_line
from tests.collection.world import CollectionWorld, collection_world
from tests.factories import AgencyFactory, OrgUnitFactory, UserFactory, staff
from tests.workflow.sop_world import (
    complete_as_assignee,
    import_small_sop,
    open_tasks,
    outcome_for,
)

YEAR = 2025
PERIOD = "tw2"


# --- the world ---------------------------------------------------------------------------


@dataclass
class ProgressWorld:
    """Bidang A (two rows), Bidang B (one) and UPT C (one) each have a worksheet."""

    world: CollectionWorld
    collection: Collection

    @property
    def agency(self) -> Agency:
        return self.world.agency

    @property
    def units(self) -> list[OrgUnit]:
        return self.world.units

    def sheet(self, unit: OrgUnit) -> Worksheet:
        return Worksheet.objects.select_related("collection__agency", "unit__agency").get(
            collection=self.collection, unit=unit
        )

    def scope_of_head(self, number: int) -> UserScope:
        return scope_for(self.world.small.unit_heads[number].user)

    def loaded(self) -> Collection:
        """The collection as the pages load it (agency, government and process joined)."""
        return collection_get(scope=self.world.coordinator, collection_id=self.collection.pk)


def progress_world(
    agency: Agency,
    *,
    sop: bool = False,
    period: str = PERIOD,
    extra_units: int = 0,
    extra_rows: int = 0,
) -> ProgressWorld:
    """The collection world with UPT C reporting too, and `extra_units` more Bidang each
    responsible for `extra_rows` indicators."""
    world = collection_world(agency)
    pk = agreement(agency)
    pk_line(pk, world.no_pk, target=7, quarterly=[1, 2, 3, 4])
    for number in range(extra_units):
        unit = OrgUnitFactory(agency=agency, code=f"bidang-x{number}", sort_order=10 + number)
        for order in range(extra_rows):
            item = indicator(
                world.cumulative.objective, responsible_unit=unit, sort_order=100 + order
            )
            pk_line(pk, item, target=order + 1, quarterly=[1, 2, 3, 4])
    collection = collection_create(
        actor=world.coordinator,
        agency=agency,
        year=YEAR,
        period=period,
        sop=import_small_sop(agency) if sop else None,
    )
    return ProgressWorld(world=world, collection=collection)


def enter(actor: UserScope, sheet: Worksheet, value: str | None) -> None:
    for row in sheet.rows.select_related("worksheet__unit__agency", "worksheet__collection"):
        current = Entry.objects.filter(row=row).order_by("-version").first()
        entry_record(
            actor=actor,
            row=row,
            value=None if value is None else Decimal(value),
            analysis="" if value is not None else "belum ada data",
            expected_version=current.version if current else 0,
        )


def submit(actor: UserScope, sheet: Worksheet) -> None:
    worksheet_submit(actor=actor, worksheet=sheet, expected_revision=sheet.revision)


def play(pw: ProgressWorld) -> None:
    """Bidang A submits on time; Bidang B submits after its deadline was moved into the
    past; UPT C entered a value, then emptied it, and has not submitted."""
    world = pw.world
    holder = scope_for(world.data_holder.user)
    bidang_a, bidang_b, upt_c = pw.units
    sheet_a = pw.sheet(bidang_a)
    for row, value in ((world.cumulative, "20"), (world.last_value, "40")):
        target = sheet_a.rows.select_related("worksheet__unit__agency").get(indicator=row)
        entry_record(actor=holder, row=target, value=Decimal(value), expected_version=0)
    submit(holder, pw.sheet(bidang_a))

    head_b = pw.scope_of_head(1)
    enter(head_b, pw.sheet(bidang_b), "5")
    worksheet_deadline_set(
        actor=world.coordinator,
        worksheet=pw.sheet(bidang_b),
        deadline=timezone.now() - datetime.timedelta(days=1),
    )
    submit(head_b, pw.sheet(bidang_b))

    head_c = pw.scope_of_head(2)
    enter(head_c, pw.sheet(upt_c), "3")
    enter(head_c, pw.sheet(upt_c), None)


def walk_to_unit_step(collection: Collection) -> None:
    """Complete the SOP's steps until every Bidang/UPT has its own open task (step 3),
    which its worksheet's submission completes."""
    process = collection.process
    assert process is not None
    while not any(task.slot for task in open_tasks(process)):
        for task in open_tasks(process):
            complete_as_assignee(task, outcome_for(process, task))


@pytest.fixture
def pw(agency) -> ProgressWorld:
    return progress_world(agency)


@pytest.fixture
def played(pw) -> ProgressWorld:
    play(pw)
    return pw


def lines(report) -> dict[str, object]:
    return {unit.worksheet.unit.code: unit for unit in report.units}


# --- one collection ----------------------------------------------------------------------


class TestCollectionFigures:
    def test_per_unit(self, played):
        report = collection_progress(scope=played.world.coordinator, collection=played.loaded())

        by_unit = lines(report)
        assert list(by_unit) == ["bidang-a", "bidang-b", "upt-c"]
        figures = {
            code: (
                unit.figures.expected,
                unit.figures.filled,
                unit.figures.missing,
                unit.figures.submitted,
                unit.figures.timeliness,
                unit.worksheet.status,
            )
            for code, unit in by_unit.items()
        }
        assert figures == {
            "bidang-a": (2, 2, 0, True, Timeliness.ON_TIME, Worksheet.Status.SUBMITTED),
            "bidang-b": (1, 1, 0, True, Timeliness.LATE, Worksheet.Status.SUBMITTED),
            "upt-c": (1, 0, 1, False, Timeliness.PENDING, Worksheet.Status.DRAFT),
        }
        assert not report.limited

    def test_totals(self, played):
        report = collection_progress(scope=played.world.coordinator, collection=played.loaded())

        assert report.totals == Totals(
            units=3, expected=4, filled=3, submitted=2, on_time=1, late=1, overdue=0
        )
        assert report.totals.percent == Decimal(75)

    def test_a_missing_worksheet_past_its_deadline_is_overdue_and_late(self, played):
        deadline = played.sheet(played.units[2]).deadline

        report = collection_progress(
            scope=played.world.coordinator,
            collection=played.loaded(),
            now=deadline + datetime.timedelta(minutes=1),
        )

        assert lines(report)["upt-c"].figures.timeliness is Timeliness.OVERDUE
        assert (report.totals.late, report.totals.overdue) == (2, 1)

    def test_timeliness_is_judged_on_the_first_submission(self, played):
        sheet_a = played.sheet(played.units[0])
        later = sheet_a.first_submitted_at + datetime.timedelta(days=30)
        Worksheet.objects.filter(pk=sheet_a.pk).update(
            status=Worksheet.Status.SUBMITTED, submitted_at=later, submission_count=2
        )

        report = collection_progress(scope=played.world.coordinator, collection=played.loaded())

        assert lines(report)["bidang-a"].figures.timeliness is Timeliness.ON_TIME

    def test_drill_down_lists_each_indicator_with_its_data_holder(self, played):
        world = played.world

        report = collection_progress(scope=world.coordinator, collection=played.loaded())

        by_unit = lines(report)
        assert [
            (r.row.indicator, r.filled, r.row.data_holder) for r in by_unit["bidang-a"].rows
        ] == [
            (world.cumulative, True, world.data_holder),
            (world.last_value, True, world.data_holder),
        ]
        # UPT C's newest entry has no value: the indicator is missing
        assert [(r.row.indicator, r.filled) for r in by_unit["upt-c"].rows] == [
            (world.no_pk, False)
        ]

    def test_a_fresh_collection_has_everything_missing_and_nothing_late(self, pw):
        report = collection_progress(scope=pw.world.coordinator, collection=pw.loaded())

        assert report.totals == Totals(units=3, expected=4)
        assert report.totals.missing == 4
        assert report.process_steps == []
        assert all(unit.steps == [] for unit in report.units)


class TestSopStep:
    @pytest.fixture
    def pw(self, agency):
        return progress_world(agency, sop=True)

    def steps(self, report, code):
        return [(step.number, step.own) for step in lines(report)[code].steps]

    def test_before_the_units_step_every_unit_shows_the_process_step(self, pw):
        report = collection_progress(scope=pw.world.coordinator, collection=pw.loaded())

        assert [(s.number, s.activity, s.actor_label) for s in report.process_steps] == [
            (1, "Memerintahkan pengumpulan data", "Kepala Dinas")
        ]
        assert {code: self.steps(report, code) for code in lines(report)} == {
            "bidang-a": [(1, False)],
            "bidang-b": [(1, False)],
            "upt-c": [(1, False)],
        }

    def test_each_unit_shows_its_own_task_until_it_has_submitted(self, pw):
        walk_to_unit_step(pw.collection)
        play(pw)  # Bidang A and B submit, which completes their tasks; UPT C does not

        report = collection_progress(scope=pw.world.coordinator, collection=pw.loaded())

        own = lines(report)["upt-c"].steps[0]
        assert self.steps(report, "upt-c") == [(3, True)]
        assert (own.activity, own.actor_label) == ("Mengisi data kinerja", "Bidang/UPT")
        assert (
            own.due_at
            == Task.objects.get(instance=pw.collection.process, slot="upt-c", status="open").due_at
        )
        # done with their own step: they show where the process as a whole is
        assert self.steps(report, "bidang-a") == [(3, False)]
        assert self.steps(report, "bidang-b") == [(3, False)]

    def test_every_unit_has_its_own_task_at_the_units_step(self, pw):
        walk_to_unit_step(pw.collection)

        report = collection_progress(scope=pw.world.coordinator, collection=pw.loaded())

        assert {code: self.steps(report, code) for code in lines(report)} == {
            "bidang-a": [(3, True)],
            "bidang-b": [(3, True)],
            "upt-c": [(3, True)],
        }

    def test_a_sub_unit_is_at_the_step_of_its_bidang(self, agency):
        world = collection_world(agency)
        seksi = OrgUnitFactory(
            agency=agency, parent=world.units[1], kind=OrgUnit.Kind.SECTION, code="seksi-b1"
        )
        item = indicator(world.cumulative.objective, responsible_unit=seksi, sort_order=50)
        pk_line(agreement(agency), item, target=3, quarterly=[1, 2, 3, 4])
        collection = collection_create(
            actor=world.coordinator,
            agency=agency,
            year=YEAR,
            period=PERIOD,
            sop=import_small_sop(agency),
        )
        walk_to_unit_step(collection)

        report = collection_progress(
            scope=world.coordinator,
            collection=collection_get(scope=world.coordinator, collection_id=collection.pk),
        )

        assert self.steps(report, "seksi-b1") == [(3, True)]
        assert lines(report)["seksi-b1"].steps == lines(report)["bidang-b"].steps


class TestCollectionAccess:
    def test_reviewers_see_every_unit(self, played):
        small = played.world.small
        for employee in (small.kadis, small.sekretaris, small.kasubbag):
            report = collection_progress(scope=scope_for(employee.user), collection=played.loaded())

            assert len(report.units) == 3
            assert not report.limited

    def test_the_government_administrator_sees_every_unit(self, played):
        admin = UserFactory(administered_government=played.agency.government)

        report = collection_progress(scope=scope_for(admin), collection=played.loaded())

        assert len(report.units) == 3

    def test_a_unit_head_sees_only_their_own_unit(self, played):
        report = collection_progress(scope=played.scope_of_head(1), collection=played.loaded())

        assert list(lines(report)) == ["bidang-b"]
        assert report.limited
        assert report.totals == Totals(units=1, expected=1, filled=1, submitted=1, late=1)

    def test_a_data_holder_sees_the_unit_of_their_rows(self, played):
        holder = scope_for(played.world.data_holder.user)

        report = collection_progress(scope=holder, collection=played.loaded())

        assert list(lines(report)) == ["bidang-a"]

    def test_agency_staff_without_a_worksheet_get_not_found(self, played):
        member = scope_for(staff(agency=played.agency, role_key=RoleKey.STAF))

        with pytest.raises(NotFound):
            collection_progress(scope=member, collection=played.loaded())

    def test_another_agency_gets_not_found(self, played, other_agency):
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        with pytest.raises(NotFound):
            collection_progress(scope=outsider, collection=played.loaded())

    def test_an_archived_collection_is_not_found(self, played):
        collection = played.loaded()
        collection.archived_at = timezone.now()

        with pytest.raises(NotFound):
            collection_progress(scope=played.world.coordinator, collection=collection)


class TestCollectionQueries:
    @pytest.mark.parametrize(("units", "rows"), [(0, 0), (6, 5)])
    def test_a_reviewer_reads_in_five_queries(self, agency, units, rows, django_assert_num_queries):
        pw = progress_world(agency, sop=True, extra_units=units, extra_rows=rows)
        walk_to_unit_step(pw.collection)
        play(pw)
        collection = pw.loaded()

        with django_assert_num_queries(5):  # worksheets, rows, open tasks, SOP, unit tree
            report = collection_progress(scope=pw.world.coordinator, collection=collection)

        assert len(report.units) == 3 + units
        assert report.totals.expected == 4 + units * rows

    @pytest.mark.parametrize(("units", "rows"), [(0, 0), (6, 5)])
    def test_a_unit_head_reads_in_six_queries(self, agency, units, rows, django_assert_num_queries):
        pw = progress_world(agency, sop=True, extra_units=units, extra_rows=rows)
        walk_to_unit_step(pw.collection)
        collection = pw.loaded()
        head = pw.scope_of_head(0)

        with django_assert_num_queries(6):  # + the worksheets the head may open
            report = collection_progress(scope=head, collection=collection)

        assert list(lines(report)) == ["bidang-a"]


# --- one government ----------------------------------------------------------------------


@dataclass
class Government:
    """Three agencies of one government: the played one, one with a fresh collection, one
    without; and a coordinating agency (BAPPEDA) with one staff member."""

    played: ProgressWorld
    fresh: ProgressWorld
    idle: Agency
    bappeda: Agency
    bappeda_staff: UserScope


@pytest.fixture
def gov(government, agency) -> Government:
    played = progress_world(agency)
    play(played)
    fresh = progress_world(AgencyFactory(government=government, name="Dinas Kedua"))
    idle = AgencyFactory(government=government, name="Dinas Ketiga")
    bappeda = AgencyFactory(
        government=government, name="BAPPEDA", kind=Agency.Kind.BADAN, is_coordinating=True
    )
    member = scope_for(staff(agency=bappeda, role_key=RoleKey.STAF))
    return Government(played, fresh, idle, bappeda, member)


def by_agency(result) -> dict[Agency, object]:
    return {line.agency: line for line in result}


class TestGovernmentProgress:
    def test_counts_per_agency(self, gov, government):
        result = government_progress(
            scope=gov.bappeda_staff, government=government, year=YEAR, period=PERIOD
        )

        assert [line.agency for line in result] == sorted(
            [gov.played.agency, gov.fresh.agency, gov.idle, gov.bappeda], key=lambda a: a.name
        )
        lines_ = by_agency(result)
        played = lines_[gov.played.agency]
        assert played.collection == gov.played.collection
        assert played.status == Collection.Status.DRAFT
        assert played.totals == Totals(
            units=3, expected=4, filled=3, submitted=2, on_time=1, late=1, overdue=0
        )
        assert lines_[gov.fresh.agency].totals == Totals(units=3, expected=4)
        for idle in (gov.idle, gov.bappeda):
            assert lines_[idle].collection is None
            assert lines_[idle].status == "not_started"
            assert lines_[idle].totals == Totals()

    def test_the_same_counts_as_the_collection_page(self, gov, government):
        page = collection_progress(
            scope=gov.played.world.coordinator, collection=gov.played.loaded()
        )

        result = government_progress(
            scope=gov.bappeda_staff, government=government, year=YEAR, period=PERIOD
        )

        assert by_agency(result)[gov.played.agency].totals == page.totals

    def test_overdue_worksheets_count_as_late(self, gov, government):
        deadline = gov.fresh.sheet(gov.fresh.units[0]).deadline

        result = government_progress(
            scope=gov.bappeda_staff,
            government=government,
            year=YEAR,
            period=PERIOD,
            now=deadline + datetime.timedelta(minutes=1),
        )

        fresh = by_agency(result)[gov.fresh.agency].totals
        assert (fresh.late, fresh.overdue, fresh.on_time) == (3, 3, 0)

    def test_another_period_has_not_started_anywhere(self, gov, government):
        result = government_progress(
            scope=gov.bappeda_staff, government=government, year=YEAR, period="tw3"
        )

        assert all(line.status == "not_started" for line in result)

    def test_the_summary_adds_up_the_agencies(self, gov, government):
        result = government_progress(
            scope=gov.bappeda_staff, government=government, year=YEAR, period=PERIOD
        )

        summary = government_summary(result)

        assert (summary.agencies, summary.started) == (4, 2)
        assert summary.totals == Totals(
            units=6, expected=8, filled=3, submitted=2, on_time=1, late=1, overdue=0
        )

    def test_coordinating_staff_may_not_open_other_agencies_collections(self, gov, government):
        result = government_progress(
            scope=gov.bappeda_staff, government=government, year=YEAR, period=PERIOD
        )

        assert not any(line.can_open for line in result)

    def test_the_administrator_may_open_every_started_collection(self, gov, government):
        admin = scope_for(UserFactory(administered_government=government))

        result = government_progress(scope=admin, government=government, year=YEAR, period=PERIOD)

        assert {line.agency for line in result if line.can_open} == {
            gov.played.agency,
            gov.fresh.agency,
        }

    def test_the_default_period_is_the_latest_with_a_collection(self, gov, government):
        assert government_default_period(government=government, year=YEAR) == PERIOD
        collection_create(
            actor=gov.fresh.world.coordinator, agency=gov.fresh.agency, year=YEAR, period="s1"
        )
        assert government_default_period(government=government, year=YEAR) == "s1"
        assert government_default_period(government=government, year=YEAR + 1) == "tw1"


class TestGovernmentAccess:
    def test_administrators_and_coordinating_staff_may(self, gov, government):
        admin = scope_for(UserFactory(administered_government=government))
        superuser = scope_for(UserFactory(is_superuser=True))

        for scope in (admin, gov.bappeda_staff, superuser):
            assert government_get(scope=scope, government_id=government.pk) == government

    def test_staff_of_a_non_coordinating_agency_get_not_found(self, gov, government):
        for scope in (gov.played.world.coordinator, scope_for(gov.played.world.small.kadis.user)):
            with pytest.raises(NotFound):
                government_get(scope=scope, government_id=government.pk)
            with pytest.raises(NotFound):
                government_progress(scope=scope, government=government, year=YEAR, period=PERIOD)

    def test_another_governments_administrator_and_coordinators_get_not_found(
        self, gov, government, other_agency
    ):
        other_admin = scope_for(UserFactory(administered_government=other_agency.government))
        other_agency.is_coordinating = True
        other_agency.save(update_fields=["is_coordinating"])
        other_coordinator = scope_for(staff(agency=other_agency, role_key=RoleKey.STAF))

        for scope in (other_admin, other_coordinator):
            with pytest.raises(NotFound):
                government_get(scope=scope, government_id=government.pk)
            with pytest.raises(NotFound):
                government_progress(scope=scope, government=government, year=YEAR, period=PERIOD)


class TestGovernmentQueries:
    @pytest.mark.parametrize("agencies", [1, 5])
    def test_three_queries_whatever_the_number_of_agencies(
        self, government, agencies, django_assert_num_queries
    ):
        for number in range(agencies):
            pw = progress_world(AgencyFactory(government=government))
            if number % 2:
                play(pw)
            AgencyFactory(government=government)  # not started
        admin = scope_for(UserFactory(administered_government=government))

        with django_assert_num_queries(3):  # agencies, collections, worksheets
            result = government_progress(
                scope=admin, government=government, year=YEAR, period=PERIOD
            )

        assert len(result) == 2 * agencies
        assert government_summary(result).started == agencies
