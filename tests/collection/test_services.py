import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from kinerja.collection.models import Collection, Entry, Worksheet, WorksheetRow
from kinerja.collection.services import (
    DEFAULT_UNIT_MINUTES,
    collection_create,
    entry_record,
    unit_step_minutes,
    worksheet_deadline_set,
    worksheet_row_data_holder_set,
)
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from kinerja.workflow.due import task_due_at
from kinerja.workflow.models import ProcessInstance
from kinerja.workflow.selectors import sop_definition
from tests.collection.world import collection_world
from tests.factories import EmployeeFactory, staff
from tests.workflow.sop_world import import_small_sop

YEAR = 2025


@pytest.fixture
def world(agency):
    return collection_world(agency)


def create(world, period="tw2", **kwargs):
    return collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period=period, **kwargs
    )


def row_of(collection, indicator) -> WorksheetRow:
    return WorksheetRow.objects.get(worksheet__collection=collection, indicator=indicator)


class TestCreate:
    def test_one_worksheet_per_unit_responsible_for_an_indicator_with_a_pk_line(self, world):
        collection = create(world)

        worksheets = {ws.unit: ws for ws in collection.worksheets.all()}
        bidang_a, bidang_b, upt_c = world.units
        assert set(worksheets) == {bidang_a, bidang_b}
        assert upt_c not in worksheets  # its only indicator has no PK line in the year
        rows_a = list(worksheets[bidang_a].rows.values_list("indicator", flat=True))
        assert rows_a == [world.cumulative.pk, world.last_value.pk]
        assert not WorksheetRow.objects.filter(indicator=world.no_pk).exists()
        assert collection.status == Collection.Status.DRAFT
        assert collection.process is None

    @pytest.mark.parametrize(
        ("period", "cumulative", "last_value"),
        [("tw2", "20", "40"), ("s1", "30", "40"), ("annual", "100", "80"), ("s2", "100", "80")],
    )
    def test_targets_follow_the_period(self, world, period, cumulative, last_value):
        collection = create(world, period=period)

        assert row_of(collection, world.cumulative).target_value == Decimal(cumulative)
        assert row_of(collection, world.last_value).target_value == Decimal(last_value)
        assert row_of(collection, world.bidang_b).target_value == (
            Decimal(5) if period in {"annual", "s2"} else None
        )

    def test_default_data_holder_is_the_pemegang_data_else_the_unit_head(self, world):
        collection = create(world)

        assert row_of(collection, world.cumulative).data_holder == world.data_holder
        assert row_of(collection, world.bidang_b).data_holder == world.small.unit_heads[1]

    def test_without_an_sop_the_units_have_five_working_days(self, world):
        before = timezone.now()
        collection = create(world)

        deadline = collection.worksheets.first().deadline
        earliest = task_due_at(agency=world.agency, opened_at=before, minutes=DEFAULT_UNIT_MINUTES)
        assert earliest <= deadline <= earliest + datetime.timedelta(minutes=1)

    def test_with_an_sop_the_deadline_runs_to_the_units_step_and_the_process_starts(self, world):
        sop = import_small_sop(world.agency, code="pengumpulan-data-kinerja")
        before = timezone.now()
        collection = create(world, sop=sop)

        # steps 1–3 of the small SOP: 15 minutes + 1 day + 2 days
        assert unit_step_minutes(sop_definition(sop)) == 15 + 3 * 480
        deadline = collection.worksheets.first().deadline
        earliest = task_due_at(agency=world.agency, opened_at=before, minutes=15 + 3 * 480)
        assert earliest <= deadline <= earliest + datetime.timedelta(minutes=1)
        assert collection.status == Collection.Status.OPEN
        process = ProcessInstance.objects.get()
        assert collection.process == process
        assert (process.year, process.period, process.sop) == (YEAR, "tw2", sop)

    def test_one_current_collection_per_period(self, world):
        create(world)
        with pytest.raises(Conflict):
            create(world)
        assert create(world, period="tw3").period == "tw3"

    def test_only_the_planners_create(self, world):
        unit_head = scope_for(world.small.unit_heads[0].user)
        with pytest.raises(AccessDenied):
            collection_create(actor=unit_head, agency=world.agency, year=YEAR, period="tw1")
        assert not Collection.objects.exists()

    def test_an_unknown_period_is_refused(self, world):
        with pytest.raises(ValidationFailed):
            create(world, period="tw5")


@pytest.fixture
def collection(world):
    return create(world)


@pytest.fixture
def row(world, collection):
    return row_of(collection, world.cumulative)


def record(actor, row, value, expected_version, **kwargs):
    return entry_record(
        actor=actor, row=row, value=Decimal(value), expected_version=expected_version, **kwargs
    )


class TestEntries:
    def test_every_change_is_a_new_version_and_the_old_one_is_kept(self, world, row):
        holder = scope_for(world.data_holder.user)
        first = record(holder, row, "18", 0, analysis="Sesuai rencana")
        second = record(holder, row, "19,5".replace(",", "."), 1, analysis="Sesuai rencana")

        versions = list(Entry.objects.filter(row=row).values_list("version", "value"))
        assert versions == [(1, Decimal("18")), (2, Decimal("19.5"))]
        assert (first.entered_by_id, second.submission_no) == (holder.user_id, 1)
        assert Worksheet.objects.get(pk=row.worksheet_id).revision == 2

    def test_nothing_changed_adds_nothing(self, world, row):
        holder = scope_for(world.data_holder.user)
        record(holder, row, "18", 0)

        assert record(holder, row, "18.0000", 1) is None
        assert Entry.objects.filter(row=row).count() == 1

    def test_a_stale_version_is_a_conflict(self, world, row):
        holder = scope_for(world.data_holder.user)
        record(holder, row, "18", 0)

        with pytest.raises(Conflict):
            record(scope_for(world.small.unit_heads[0].user), row, "17", 0)
        assert list(Entry.objects.values_list("value", flat=True)) == [Decimal("18")]

    def test_the_unit_head_and_the_coordinator_may_enter(self, world, row):
        record(scope_for(world.small.unit_heads[0].user), row, "18", 0)
        record(world.coordinator, row, "19", 1)
        assert Entry.objects.filter(row=row).count() == 2

    def test_another_units_data_holder_is_denied(self, world, row):
        other = staff(agency=world.agency, role_key=RoleKey.PEMEGANG_DATA, unit=world.units[1])
        with pytest.raises(AccessDenied):
            record(scope_for(other), row, "18", 0)
        assert not Entry.objects.exists()

    def test_another_agencys_user_is_denied(self, world, row, other_agency):
        outsider = staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS)
        with pytest.raises(AccessDenied):
            record(scope_for(outsider), row, "18", 0)

    @pytest.mark.parametrize("status", [Worksheet.Status.SUBMITTED, Worksheet.Status.APPROVED])
    def test_a_submitted_worksheet_refuses_changes(self, world, row, status, english):
        Worksheet.objects.filter(pk=row.worksheet_id).update(status=status)
        with pytest.raises(ValidationFailed, match="submitted"):
            record(world.coordinator, row, "18", 0)

    def test_the_refusal_is_in_indonesian(self, world, row):
        Worksheet.objects.filter(pk=row.worksheet_id).update(status=Worksheet.Status.SUBMITTED)
        with translation.override("id"), pytest.raises(ValidationFailed, match="sudah diajukan"):
            record(world.coordinator, row, "18", 0)

    def test_a_locked_collection_refuses_changes(self, world, collection, row):
        Collection.objects.filter(pk=collection.pk).update(status=Collection.Status.LOCKED)
        with pytest.raises(ValidationFailed):
            record(world.coordinator, row, "18", 0)
        assert not Entry.objects.exists()


class TestCoordinatorSettings:
    def test_the_coordinator_changes_the_data_holder_with_a_change_record(self, world, row):
        kabid = world.small.unit_heads[0]
        worksheet_row_data_holder_set(actor=world.coordinator, row=row, data_holder=kabid)

        row.refresh_from_db()
        assert row.data_holder == kabid
        change = ChangeRecord.objects.get(model="worksheetrow")
        assert change.changes["data_holder"] == {"old": world.data_holder.pk, "new": kabid.pk}

    def test_the_data_holder_must_work_in_the_agency(self, world, row):
        with pytest.raises(ValidationFailed):
            worksheet_row_data_holder_set(
                actor=world.coordinator, row=row, data_holder=EmployeeFactory()
            )

    def test_a_unit_head_may_not_set_the_data_holder(self, world, row):
        with pytest.raises(AccessDenied):
            worksheet_row_data_holder_set(
                actor=scope_for(world.small.unit_heads[0].user), row=row, data_holder=None
            )

    def test_the_coordinator_moves_a_deadline(self, world, row):
        worksheet = row.worksheet
        deadline = timezone.now() + datetime.timedelta(days=10)
        worksheet_deadline_set(actor=world.coordinator, worksheet=worksheet, deadline=deadline)

        worksheet.refresh_from_db()
        assert (worksheet.deadline, worksheet.revision) == (deadline, 1)
        assert ChangeRecord.objects.filter(model="worksheet", action="update").exists()
