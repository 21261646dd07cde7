"""Workflow services: importing SOP versions, starting processes, completing tasks, outputs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents.models import DocumentKind, DocumentVersion
from kinerja.documents.services import document_upload
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import Assignment, RoleKey
from kinerja.workflow import services
from kinerja.workflow.definitions import SopInvalid
from kinerja.workflow.domain.engine import Event, Outcome, replay
from kinerja.workflow.events import chain_verify
from kinerja.workflow.models import (
    Notification,
    ProcessInstance,
    SopVersion,
    Task,
    TaskOutput,
    WorkflowEvent,
)
from kinerja.workflow.selectors import sop_definition
from tests.documents import samples
from tests.factories import AgencyFactory, AssignmentFactory, EmployeeFactory, staff
from tests.workflow.sop_world import (
    SYSTEM,
    complete_as_assignee,
    import_small_sop,
    open_tasks,
    scope_of,
    small_agency,
    small_sop,
)

pytestmark = pytest.mark.django_db

DONE, YES, NO = Outcome.DONE, Outcome.YES, Outcome.NO


@pytest.fixture
def world(agency):
    return small_agency(agency)


@pytest.fixture
def sop(world):
    return import_small_sop(world.agency)


@pytest.fixture
def kadis_scope(world):
    return scope_of(world.kadis)


@pytest.fixture
def instance(sop, kadis_scope):
    return services.instance_start(actor=kadis_scope, sop=sop, subject="Data TW I 2025", year=2025)


def only_open(instance) -> Task:
    tasks = open_tasks(instance)
    assert len(tasks) == 1
    return tasks[0]


def walk_to_decision(instance) -> Task:
    """Complete steps 1–3 (step 3 by every unit); the Kasubbag's decision is then open."""
    complete_as_assignee(only_open(instance), DONE)
    complete_as_assignee(only_open(instance), DONE)
    for task in open_tasks(instance):
        complete_as_assignee(task, DONE)
    return only_open(instance)


# --- sop_import ----------------------------------------------------------------------------


class TestSopImport:
    def test_the_first_import_is_version_1_with_the_text_and_the_export_data(self, agency):
        text = small_sop(agency)

        version = services.sop_import(actor=None, text=text)

        assert (version.agency, version.code, version.version) == (agency, "uji-data", 1)
        assert version.name == "Pengumpulan Data Uji"
        assert version.source == text
        assert version.data["total_working_minutes"] == 15 + 480 + 960 + 60 + 30
        assert [step["working_minutes"] for step in version.data["steps"]] == [15, 480, 960, 60, 30]
        assert ChangeRecord.objects.filter(model="sopversion", object_id=str(version.pk)).exists()

    def test_the_same_text_again_adds_no_version(self, agency):
        first = services.sop_import(actor=None, text=small_sop(agency))

        again = services.sop_import(actor=None, text=small_sop(agency))

        assert again.pk == first.pk
        assert SopVersion.objects.count() == 1

    def test_a_changed_text_with_the_same_code_is_the_next_version(self, agency):
        services.sop_import(actor=None, text=small_sop(agency))

        second = services.sop_import(actor=None, text=small_sop(agency, number="002/SOP/2025"))

        assert second.version == 2
        assert second.data["identity"]["number"] == "002/SOP/2025"
        assert SopVersion.objects.filter(agency=agency, code="uji-data").count() == 2

    def test_another_code_is_another_sop(self, agency):
        services.sop_import(actor=None, text=small_sop(agency))

        other = services.sop_import(actor=None, text=small_sop(agency, code="uji-lain"))

        assert (other.code, other.version) == ("uji-lain", 1)

    def test_an_invalid_definition_names_every_problem_and_stores_nothing(self, agency):
        text = small_sop(agency).replace("no: 2", "no: 9").replace("unit: jam", "unit: pekan")

        with pytest.raises(SopInvalid) as caught:
            services.sop_import(actor=None, text=text)

        paths = [problem.path for problem in caught.value.problems]
        assert "steps[3].duration.unit" in paths
        assert not SopVersion.objects.exists()

    def test_the_file_must_name_the_agency_it_is_imported_into(self, agency, other_agency):
        with pytest.raises(ValidationFailed) as caught:
            services.sop_import(actor=None, text=small_sop(agency), agency=other_agency)

        assert agency.code in caught.value.errors["agency"][0]
        assert not SopVersion.objects.exists()

    def test_an_unknown_agency_code_is_refused(self, agency):
        text = small_sop(agency).replace(f"agency: {agency.code}", "agency: tidak-ada")

        with pytest.raises(ValidationFailed) as caught:
            services.sop_import(actor=None, text=text)

        assert "tidak-ada" in caught.value.errors["agency"][0]

    def test_an_organiser_of_the_agency_may_import(self, agency):
        secretary = scope_for(staff(agency=agency, role_key=RoleKey.SEKRETARIS))

        version = services.sop_import(actor=secretary, text=small_sop(agency), agency=agency)

        assert version.imported_by_id == secretary.user_id

    def test_other_staff_may_not_import(self, agency, other_agency):
        for role, where in ((RoleKey.STAF, agency), (RoleKey.KEPALA_DINAS, other_agency)):
            scope = scope_for(staff(agency=where, role_key=role))
            with pytest.raises(AccessDenied):
                services.sop_import(actor=scope, text=small_sop(agency))
        assert not SopVersion.objects.exists()


# --- instance_start ------------------------------------------------------------------------


class TestInstanceStart:
    def test_the_first_task_opens_for_the_head_of_agency(self, world, instance, kadis_scope):
        task = only_open(instance)

        assert (instance.status, instance.revision) == (ProcessInstance.Status.RUNNING, 1)
        assert (instance.subject, instance.year, instance.started_by_id) == (
            "Data TW I 2025",
            2025,
            kadis_scope.user_id,
        )
        assert (task.step_number, task.actor_key, task.slot) == (1, "kepala_dinas", "")
        assert task.assignee == world.kadis
        assert task.position == world.positions["kadis"]
        assert task.assignment_kind == Assignment.Kind.DEFINITIVE
        assert task.standard_minutes == 15

    def test_the_units_are_pinned_and_the_start_is_logged(self, instance):
        kinds = list(instance.events.order_by("sequence").values_list("kind", flat=True))

        assert instance.state["units"] == ["bidang-a", "bidang-b", "upt-c"]
        assert instance.state["open"] == [[1, None]]
        assert kinds == [WorkflowEvent.Kind.STARTED, WorkflowEvent.Kind.TASK_OPENED]
        assert instance.events.get(sequence=1).payload["units"] == ["bidang-a", "bidang-b", "upt-c"]

    def test_the_assignee_is_notified_of_the_new_task(self, world, instance):
        notification = Notification.objects.get()

        assert notification.user == world.kadis.user
        assert notification.kind == Notification.Kind.NEW_TASK
        assert notification.task == only_open(instance)
        assert "Memerintahkan pengumpulan data" in notification.message

    def test_only_the_latest_version_can_be_started(self, world, sop, kadis_scope):
        import_small_sop(world.agency, number="002/SOP/2025")

        with pytest.raises(ValidationFailed):
            services.instance_start(actor=kadis_scope, sop=sop, subject="PK 2025")
        assert not ProcessInstance.objects.exists()

    def test_the_same_subject_cannot_run_twice(self, sop, kadis_scope, instance):
        with pytest.raises(Conflict):
            services.instance_start(actor=kadis_scope, sop=sop, subject="Data TW I 2025", year=2025)

        other = services.instance_start(
            actor=kadis_scope, sop=sop, subject="Data TW II 2025", year=2025
        )
        assert other.pk != instance.pk

    def test_the_subject_is_required(self, sop, kadis_scope):
        with pytest.raises(ValidationFailed) as caught:
            services.instance_start(actor=kadis_scope, sop=sop, subject="  ")

        assert "subject" in caught.value.errors

    def test_only_planners_may_start(self, world, sop):
        head = scope_of(world.unit_heads[0])

        with pytest.raises(AccessDenied):
            services.instance_start(actor=head, sop=sop, subject="Data TW I 2025")

    def test_each_unit_steps_need_bidang_or_upt(self, agency):
        sop = import_small_sop(agency)

        with pytest.raises(ValidationFailed):
            services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW I 2025")


# --- task_complete -------------------------------------------------------------------------


class TestTaskComplete:
    def test_done_closes_the_task_and_opens_the_next_for_its_actor(self, world, instance):
        task = complete_as_assignee(only_open(instance), DONE)

        following = only_open(instance)
        instance.refresh_from_db()
        assert (task.status, task.outcome) == (Task.Status.DONE, "done")
        assert task.completed_by_id == world.kadis.user_id
        assert task.completed_at is not None and task.actual_minutes is not None
        assert (following.step_number, following.assignee) == (2, world.sekretaris)
        assert instance.revision == 2

    def test_an_each_unit_step_gives_every_unit_its_task_and_waits_for_all(self, world, instance):
        complete_as_assignee(only_open(instance), DONE)
        complete_as_assignee(only_open(instance), DONE)

        unit_tasks = open_tasks(instance)
        assert [(t.step_number, t.slot) for t in unit_tasks] == [
            (3, "bidang-a"),
            (3, "bidang-b"),
            (3, "upt-c"),
        ]
        assert [t.assignee for t in unit_tasks] == world.unit_heads
        assert [t.unit for t in unit_tasks] == world.units
        complete_as_assignee(unit_tasks[0], DONE)
        complete_as_assignee(unit_tasks[1], DONE)
        assert [t.step_number for t in open_tasks(instance)] == [3]
        complete_as_assignee(unit_tasks[2], DONE)
        assert only_open(instance).step_number == 4

    def test_no_sends_the_work_back_with_the_reason_the_returned_task_shows(self, world, instance):
        decision = walk_to_decision(instance)

        complete_as_assignee(decision, NO, "Rekap bidang B belum lengkap")

        returned = only_open(instance)
        decision.refresh_from_db()
        assert (decision.outcome, decision.reason) == ("no", "Rekap bidang B belum lengkap")
        assert (returned.step_number, returned.assignee) == (2, world.sekretaris)
        assert returned.returned_from_step == 4
        assert returned.returned_reason == "Rekap bidang B belum lengkap"
        notice = Notification.objects.get(task=returned)
        assert notice.kind == Notification.Kind.RETURNED
        assert "Rekap bidang B belum lengkap" in notice.message

    def test_no_needs_a_reason(self, instance):
        decision = walk_to_decision(instance)

        with pytest.raises(ValidationFailed) as caught:
            complete_as_assignee(decision, NO, "   ")

        assert "reason" in caught.value.errors
        decision.refresh_from_db()
        assert decision.status == Task.Status.OPEN

    def test_a_decision_is_answered_yes_or_no_and_a_task_is_done(self, instance):
        with pytest.raises(ValidationFailed) as caught:
            complete_as_assignee(only_open(instance), YES)
        assert "outcome" in caught.value.errors

        decision = walk_to_decision(instance)
        with pytest.raises(ValidationFailed):
            complete_as_assignee(decision, DONE)
        with pytest.raises(ValidationFailed):
            services.task_complete(
                actor=scope_of(decision.assignee), task=decision, outcome="maybe"
            )

    def test_yes_at_the_end_finishes_the_process(self, world, instance):
        complete_as_assignee(walk_to_decision(instance), YES)
        last = only_open(instance)

        complete_as_assignee(last, DONE)

        instance.refresh_from_db()
        assert instance.status == ProcessInstance.Status.FINISHED
        assert instance.finished_at is not None
        assert instance.events.order_by("-sequence").first().kind == WorkflowEvent.Kind.FINISHED
        assert not open_tasks(instance)
        assert chain_verify() is None

    def test_a_task_completed_already_is_a_conflict_naming_who_did_it(self, world, instance):
        task = only_open(instance)
        complete_as_assignee(task, DONE)

        with pytest.raises(Conflict) as caught:
            complete_as_assignee(task, DONE)

        with translation.override("id"):
            expected = gettext(
                "This task was already completed by %(name)s; nothing was changed."
            ) % {"name": world.kadis.user.get_full_name()}
            assert caught.value.message == expected
        assert Task.objects.filter(instance=instance, step_number=2).count() == 1

    def test_a_stale_revision_is_a_conflict(self, instance):
        task = only_open(instance)

        with pytest.raises(Conflict):
            services.task_complete(
                actor=scope_of(task.assignee), task=task, outcome=DONE, expected_revision=0
            )

        done = services.task_complete(
            actor=scope_of(task.assignee), task=task, outcome=DONE, expected_revision=1
        )
        assert done.status == Task.Status.DONE

    def test_only_the_assignee_may_complete(self, world, instance):
        task = only_open(instance)

        for other in (world.sekretaris, world.unit_heads[0]):
            with pytest.raises(AccessDenied):
                services.task_complete(actor=scope_of(other), task=task, outcome=DONE)
        task.refresh_from_db()
        assert task.status == Task.Status.OPEN

    def test_a_plh_appointed_after_the_task_opened_may_complete_it(self, world, instance):
        task = only_open(instance)
        plh = AssignmentFactory(
            position=world.positions["kadis"],
            kind=Assignment.Kind.PLH,
            start_date=datetime.date.today() - datetime.timedelta(days=1),
        ).employee

        done = services.task_complete(actor=scope_of(plh), task=task, outcome=DONE)

        assert done.completed_by_id == plh.user_id

    def test_the_state_kept_on_the_process_is_the_replay_of_its_events(self, instance):
        complete_as_assignee(walk_to_decision(instance), NO, "Perbaiki")
        complete_as_assignee(only_open(instance), DONE)
        instance.refresh_from_db()

        completions = [
            Event(
                e.payload["step"],
                e.payload["slot"],
                Outcome(e.payload["outcome"]),
                e.payload["reason"],
            )
            for e in instance.events.order_by("sequence")
            if e.kind in ("task_done", "decision_yes", "decision_no")
        ]
        rebuilt = replay(sop_definition(instance.sop), completions, units=instance.state["units"])
        assert services._state_to_json(rebuilt) == instance.state


class TestUnassigned:
    def test_a_vacant_position_gives_an_unassigned_task_its_organisers_may_complete(
        self, world, sop
    ):
        world.positions["kadis"].assignments.update(end_date=datetime.date(2020, 12, 31))
        instance = services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW I 2025")
        task = only_open(instance)
        assert task.assignee is None
        assert task.position == world.positions["kadis"]
        assert not Notification.objects.exists()

        with pytest.raises(AccessDenied):
            services.task_complete(actor=scope_of(world.unit_heads[0]), task=task, outcome=DONE)
        done = services.task_complete(actor=scope_of(world.sekretaris), task=task, outcome=DONE)

        assert done.status == Task.Status.DONE


# --- due times -----------------------------------------------------------------------------


class TestDueTimes:
    def test_the_due_time_counts_working_time_in_the_agency_calendar(self, world, sop):
        wita = ZoneInfo("Asia/Makassar")
        friday_afternoon = datetime.datetime(2025, 3, 7, 16, 0, tzinfo=wita)
        with time_machine.travel(friday_afternoon, tick=False):
            instance = services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW I 2025")
            complete_as_assignee(only_open(instance), DONE)

        second = only_open(instance)  # one working day (480 minutes) from Friday 16:00
        assert second.opened_at == friday_afternoon
        assert second.standard_minutes == 480
        assert second.due_at == datetime.datetime(2025, 3, 10, 16, 0, tzinfo=wita)

    def test_a_task_opened_on_a_weekend_counts_from_monday_morning(self, world, sop):
        wita = ZoneInfo("Asia/Makassar")
        with time_machine.travel(datetime.datetime(2025, 3, 8, 10, 0, tzinfo=wita), tick=False):
            instance = services.instance_start(actor=SYSTEM, sop=sop, subject="Data TW I 2025")

        assert only_open(instance).due_at == datetime.datetime(2025, 3, 10, 8, 15, tzinfo=wita)


# --- outputs -------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class TestOutputs:
    def test_an_uploaded_document_is_linked_with_its_version_and_sha256(
        self, world, instance, media_root
    ):
        task = only_open(instance)
        scope = scope_of(task.assignee)
        document = document_upload(
            actor=scope,
            agency=world.agency,
            kind=DocumentKind.DISPOSISI,
            title="Disposisi pengumpulan data",
            uploaded=samples.upload(samples.pdf(b"disposisi")),
        )

        output = services.task_output_attach(
            actor=scope, task=task, document=document, output_name="Disposisi"
        )

        version = DocumentVersion.objects.get(document=document)
        event = instance.events.get(kind=WorkflowEvent.Kind.OUTPUT_ATTACHED)
        assert (output.task, output.document, output.output_name) == (task, document, "Disposisi")
        assert event.payload == {
            "output": "Disposisi",
            "document": document.pk,
            "version": 1,
            "sha256": version.sha256,
        }

    def test_upload_stores_the_file_and_links_it(self, world, instance, media_root):
        task = only_open(instance)

        output = services.task_output_upload(
            actor=scope_of(task.assignee),
            task=task,
            uploaded=samples.upload(samples.pdf(b"isi"), "disposisi.pdf"),
            output_name="Disposisi",
        )

        assert output.document.agency == world.agency
        assert output.document.versions.get().original_name == "disposisi.pdf"

    def test_generate_fills_the_template_from_the_process(self, world, instance, media_root):
        task = only_open(instance)

        output = services.task_output_generate(
            actor=scope_of(task.assignee), task=task, output_name="Disposisi"
        )

        document = output.document
        assert document.kind == DocumentKind.DISPOSISI
        assert document.title == "Disposisi — Data TW I 2025"
        assert document.versions.get().generated
        assert TaskOutput.objects.get(task=task) == output

    def test_generate_asks_for_what_the_process_does_not_know(self, world, instance, media_root):
        task = only_open(instance)

        with pytest.raises(ValidationFailed) as caught:
            services.task_output_generate(
                actor=scope_of(task.assignee), task=task, output_name="Undangan rapat"
            )

        assert {"waktu", "tempat", "hari_tanggal"} <= set(caught.value.errors)
        assert not TaskOutput.objects.exists()

    def test_an_output_that_is_no_document_kind_cannot_be_generated(self, instance, media_root):
        task = only_open(instance)

        with pytest.raises(ValidationFailed) as caught:
            services.task_output_generate(
                actor=scope_of(task.assignee), task=task, output_name="Data kinerja"
            )

        assert "kind" in caught.value.errors

    def test_the_kind_comes_from_the_output_name(self):
        assert services.output_document_kind("Lembar Disposisi") == DocumentKind.DISPOSISI
        assert services.output_document_kind("Lembar  persetujuan") == (
            DocumentKind.LEMBAR_PERSETUJUAN
        )
        assert services.output_document_kind("Surat Tugas") == DocumentKind.SURAT_PERINTAH_TUGAS
        assert services.output_document_kind("Surat Pengantar") == DocumentKind.SURAT
        assert services.output_document_kind("Draf laporan kinerja") is None

    def test_outputs_of_a_closed_task_or_by_someone_else_are_refused(
        self, world, instance, media_root
    ):
        task = only_open(instance)
        kadis = scope_of(task.assignee)
        document = document_upload(
            actor=kadis,
            agency=world.agency,
            kind=DocumentKind.OTHER,
            title="Lampiran",
            uploaded=samples.upload(samples.pdf()),
        )
        with pytest.raises(AccessDenied):
            services.task_output_attach(
                actor=scope_of(world.sekretaris), task=task, document=document
            )
        complete_as_assignee(task, DONE)

        with pytest.raises(Conflict):
            services.task_output_attach(actor=kadis, task=task, document=document)
        assert not TaskOutput.objects.exists()

    def test_a_document_of_another_government_cannot_be_linked(self, instance, media_root):
        task = only_open(instance)
        elsewhere = AgencyFactory()
        owner = EmployeeFactory()
        AssignmentFactory(employee=owner, position__agency=elsewhere)
        document = document_upload(
            actor=scope_of(owner),
            agency=elsewhere,
            kind=DocumentKind.OTHER,
            title="Dokumen lain",
            uploaded=samples.upload(samples.pdf()),
        )

        with pytest.raises(NotFound):
            services.task_output_attach(actor=scope_of(task.assignee), task=task, document=document)
