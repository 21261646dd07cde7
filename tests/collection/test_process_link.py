"""The collection runs as its SOP's process: the units' step is done by submitting worksheets."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.collection.models import Entry, Worksheet
from kinerja.collection.review import worksheet_accept, worksheet_approve, worksheet_submit
from kinerja.collection.services import collection_create, entry_record, worksheet_deadline_set
from kinerja.core.errors import AccessDenied, ValidationFailed
from kinerja.measurement.models import Realization
from kinerja.organizations.access import scope_for
from kinerja.workflow import services as workflow_services
from kinerja.workflow.domain.engine import Outcome
from kinerja.workflow.models import Task
from tests.collection.world import collection_world
from tests.workflow.sop_world import complete_as_assignee, import_small_sop, open_tasks

YEAR = 2025
UNIT_STEP = 3  # the small SOP's "each Bidang/UPT fills in" step
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def collection(world):
    sop = import_small_sop(world.agency, code="pengumpulan-data-kinerja")
    return collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2", sop=sop
    )


def advance_to_unit_step(collection):
    for _number in range(2):
        (task,) = open_tasks(collection.process)
        complete_as_assignee(task, Outcome.DONE)


def fill(world, worksheet):
    head = scope_for(world.small.unit_heads[world.units.index(worksheet.unit)].user)
    for row in worksheet.rows.select_related("indicator"):
        current = Entry.objects.filter(row=row).order_by("-version").first()
        entry_record(
            actor=head,
            row=row,
            value=row.target_value or Decimal(1),
            expected_version=current.version if current else 0,
        )
    return head


def submit(world, worksheet):
    head = fill(world, worksheet)
    worksheet.refresh_from_db()
    return worksheet_submit(actor=head, worksheet=worksheet, expected_revision=worksheet.revision)


def unit_tasks(collection):
    return {
        task.slot: task
        for task in Task.objects.filter(instance=collection.process, step_number=UNIT_STEP)
    }


def test_a_worksheet_cannot_be_submitted_before_the_sop_reaches_the_units(world, collection):
    worksheet = Worksheet.objects.get(collection=collection, unit=world.units[1])

    with pytest.raises(ValidationFailed, match="has not reached the units' step"):
        submit(world, worksheet)

    worksheet.refresh_from_db()
    assert worksheet.status == Worksheet.Status.DRAFT
    assert worksheet.first_submitted_at is None


def test_submitting_the_worksheet_completes_the_units_task(world, collection):
    advance_to_unit_step(collection)
    worksheet = Worksheet.objects.get(collection=collection, unit=world.units[1])

    submit(world, worksheet)

    tasks = unit_tasks(collection)
    assert tasks["bidang-b"].status == Task.Status.DONE
    assert tasks["bidang-a"].status == Task.Status.OPEN
    assert tasks["upt-c"].status == Task.Status.OPEN  # no worksheet: its head completes it
    worksheet.refresh_from_db()
    assert worksheet.first_submitted_at is not None


def test_the_units_task_is_completed_only_through_its_worksheet(world, collection):
    advance_to_unit_step(collection)
    task = unit_tasks(collection)["bidang-b"]

    with pytest.raises(ValidationFailed, match="submitting the unit's worksheet"):
        workflow_services.task_complete(
            actor=scope_for(world.small.unit_heads[1].user), task=task, outcome=Outcome.DONE
        )

    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_a_unit_without_a_worksheet_completes_its_task_by_hand(world, collection):
    advance_to_unit_step(collection)
    task = unit_tasks(collection)["upt-c"]

    complete_as_assignee(task, Outcome.DONE)

    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_the_process_moves_on_when_every_unit_has_reported(world, collection):
    advance_to_unit_step(collection)
    complete_as_assignee(unit_tasks(collection)["upt-c"], Outcome.DONE)

    for unit in world.units[:2]:
        submit(world, Worksheet.objects.get(collection=collection, unit=unit))

    (next_task,) = open_tasks(collection.process)
    assert next_task.step_number == UNIT_STEP + 1


def test_the_task_page_links_to_the_worksheet_instead_of_a_completion_button(
    world, collection, client
):
    advance_to_unit_step(collection)
    task = unit_tasks(collection)["bidang-a"]
    worksheet = Worksheet.objects.get(collection=collection, unit=world.units[0])
    client.force_login(world.small.unit_heads[0].user)

    page = client.get(reverse("workflow:task", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert reverse("collection:worksheet", args=[worksheet.pk]) in page.text
    assert 'data-testid="completed-elsewhere"' in page.text
    assert 'data-testid="complete"' not in page.text


def test_other_steps_link_to_the_collection(world, collection, client):
    (task,) = open_tasks(collection.process)
    client.force_login(world.small.kadis.user)

    page = client.get(reverse("workflow:task", args=[task.pk]))

    assert reverse("collection:detail", args=[collection.pk]) in page.text
    assert 'data-testid="complete"' in page.text


class TestTheSopsChain:
    """The small SOP checks at step 4 (Kasubbag Program) and signs at step 5 (Kepala Dinas):
    the Sekretaris has no part in it."""

    def submitted(self, world, collection):
        advance_to_unit_step(collection)
        worksheet = Worksheet.objects.get(collection=collection, unit=world.units[1])
        return submit(world, worksheet)

    def test_kasubbag_accepts_and_the_kepala_dinas_approves(self, world, collection):
        worksheet = self.submitted(world, collection)
        kasubbag, kadis = world.coordinator, scope_for(world.small.kadis.user)
        sekretaris = scope_for(world.small.sekretaris.user)

        worksheet = worksheet_accept(
            actor=kasubbag, worksheet=worksheet, expected_revision=worksheet.revision
        )
        with pytest.raises(AccessDenied):
            worksheet_approve(
                actor=sekretaris, worksheet=worksheet, expected_revision=worksheet.revision
            )
        approved = worksheet_approve(
            actor=kadis, worksheet=worksheet, expected_revision=worksheet.revision
        )

        assert approved.status == Worksheet.Status.APPROVED

    def test_a_chain_of_one_approves_at_the_acceptance(self, world, agency):
        sop = import_small_sop(agency, code="pengumpulan-data-kinerja")
        text = sop.source.replace(
            "actor: kepala_dinas\n    kind: end", "actor: kasubbag_program\n    kind: end"
        )
        one = workflow_services.sop_import(actor=None, text=text)
        collection = collection_create(
            actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2", sop=one
        )
        advance_to_unit_step(collection)
        worksheet = submit(world, Worksheet.objects.get(collection=collection, unit=world.units[1]))

        accepted = worksheet_accept(
            actor=world.coordinator, worksheet=worksheet, expected_revision=worksheet.revision
        )

        assert accepted.status == Worksheet.Status.APPROVED
        assert Realization.objects.filter(indicator=world.bidang_b, year=YEAR, quarter=2).exists()


def test_the_units_deadline_follows_their_task_once_it_opens(world, collection):
    kept = Worksheet.objects.select_related("collection__agency").get(
        collection=collection, unit=world.units[0]
    )
    chosen = kept.deadline + datetime.timedelta(days=10)
    worksheet_deadline_set(actor=world.coordinator, worksheet=kept, deadline=chosen)

    advance_to_unit_step(collection)

    tasks = unit_tasks(collection)
    follows = Worksheet.objects.get(collection=collection, unit=world.units[1])
    kept.refresh_from_db()
    assert follows.deadline == tasks["bidang-b"].due_at
    assert kept.deadline == chosen  # the coordinator's own choice stays
