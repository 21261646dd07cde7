"""Generating a recap (files stored as documents, the SOP step's output) and sending it
with a generated Surat Pengantar."""

import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from kinerja.collection.models import Recap
from kinerja.collection.recap import agency_head, recap_build
from kinerja.collection.recap_services import _require_unchanged as require_unchanged
from kinerja.collection.recap_services import (
    cover_letter_fields,
    is_letter_output,
    is_recap_output,
    letter_step,
    recap_generate,
    recap_send,
)
from kinerja.collection.review import collection_lock, collection_reopen
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents.models import Document, DocumentKind
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from kinerja.sops import SOPS_DIR
from kinerja.workflow.definitions import parse_sop
from kinerja.workflow.links import completed_elsewhere
from kinerja.workflow.models import ProcessInstance, Task, TaskOutput
from kinerja.workflow.services import sop_import
from tests.collection.recap_world import (
    approve_all,
    coordinating_staff,
    enter,
    fill,
    open_collection,
    recap_world,
    reopen_and_approve,
)
from tests.factories import AgencyFactory, staff
from tests.workflow.sop_world import complete_as_assignee, open_tasks, outcome_for

pytestmark = pytest.mark.usefixtures("english")

#: the Kepala Dinas orders, every Bidang/UPT fills in, the Kasubbag Program recaps,
#: the Kepala Dinas sends the recap with a covering letter
RECAP_SOP = """\
format: kinerja-sop
format_version: 1
code: pengumpulan-data-kinerja
agency: {agency}
identity:
  number: "002/SOP/2025"
  name: Pengumpulan Data Kinerja
  agency_name: Dinas Uji
actors:
  - {{key: kepala_dinas, label: Kepala Dinas, role_key: kepala_dinas}}
  - {{key: kasubbag_program, label: Kasubbag Program, role_key: kasubbag_program}}
  - {{key: bidang_upt, label: Bidang/UPT, role_key: kepala_bidang, each_unit: true}}
steps:
  - number: 1
    activity: Memerintahkan pengumpulan data kinerja
    actor: kepala_dinas
    kind: start
    duration: {{value: "15", unit: menit}}
    outputs: [Disposisi]
  - number: 2
    activity: Mengisi data kinerja
    actor: bidang_upt
    duration: {{value: "2", unit: hari}}
    outputs: [Data Kinerja]
  - number: 3
    activity: Merekap data kinerja
    actor: kasubbag_program
    duration: {{value: "1", unit: hari}}
    outputs: [Rekapitulasi Data Kinerja]
  - number: 4
    activity: Menyampaikan rekapitulasi kepada Perangkat Daerah Terkait
    actor: kepala_dinas
    kind: end
    duration: {{value: "1", unit: jam}}
    outputs: [Surat Pengantar Rekapitulasi Data Kinerja]
"""
#: `RECAP_SOP` with step 5 after the letter's step 4 (the Kasubbag files the recap)
FILED_SOP = RECAP_SOP.replace(
    """    kind: end
    duration: {{value: "1", unit: jam}}
    outputs: [Surat Pengantar Rekapitulasi Data Kinerja]
""",
    """    duration: {{value: "1", unit: jam}}
    outputs: [Surat Pengantar Rekapitulasi Data Kinerja]
  - number: 5
    activity: Mengarsipkan rekapitulasi data kinerja
    actor: kasubbag_program
    kind: end
    duration: {{value: "15", unit: menit}}
    outputs: [Arsip]
""",
)
#: `RECAP_SOP` whose last step names no Surat Pengantar
LETTERLESS_SOP = RECAP_SOP.replace(
    "outputs: [Surat Pengantar Rekapitulasi Data Kinerja]", "outputs: [Laporan]"
)
SEED_SOP = SOPS_DIR / "dinkop-ukm-sulteng--pengumpulan-data-kinerja.yaml"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rw(agency):
    return recap_world(agency)


@pytest.fixture
def collection(rw):
    return open_collection(rw)


@pytest.fixture
def approved(rw, collection):
    fill(rw, collection)
    approve_all(rw, collection)
    return collection


@pytest.fixture
def bappeda(rw):
    return coordinating_staff(rw.agency)


def stored_bytes(document: Document) -> bytes:
    version = document.versions.get(version=document.current_version)
    with version.file.open("rb") as handle:
        return handle.read()


def advance(process: ProcessInstance, *, until_step: int) -> Task:
    """Complete the open tasks by hand (their assignees) until `until_step` opens."""
    for _ in range(100):
        tasks = open_tasks(process)
        waiting = [task for task in tasks if task.step_number == until_step]
        if waiting:
            return waiting[0]
        manual = [task for task in tasks if not completed_elsewhere(task)]
        assert manual, f"stuck at steps {[task.step_number for task in tasks]}"
        complete_as_assignee(manual[0], outcome_for(process, manual[0]))
    raise AssertionError("the process never reached the step")


def in_indonesian(message: str, **values) -> str:
    with translation.override("id"):
        return gettext(message) % values


class TestGenerate:
    def test_stores_the_pdf_and_the_workbook_as_the_agencys_documents(self, rw, collection):
        fill(rw, collection)

        recap = recap_generate(actor=rw.kasubbag, collection=collection)

        assert (recap.number, recap.is_final, recap.collection) == (1, False, collection)
        assert recap.generated_by_id == rw.kasubbag.user_id
        for document in (recap.pdf, recap.workbook):
            assert document.agency == rw.agency
            assert document.kind == DocumentKind.OTHER
        assert stored_bytes(recap.pdf).startswith(b"%PDF")
        book = openpyxl.load_workbook(io.BytesIO(stored_bytes(recap.workbook)))
        names = [cell.value for line in book.worksheets[0].iter_rows() for cell in line]
        assert rw.world.cumulative.name in names
        assert recap.pdf.versions.get().original_name.endswith(".pdf")
        assert recap.workbook.versions.get().original_name.endswith(".xlsx")
        record = ChangeRecord.objects.get(model="recap", object_id=str(recap.pk))
        assert record.action == "generate"
        assert record.changes["number"] == {"old": None, "new": 1}

    def test_each_generation_is_the_next_number_and_final_once_all_approved(self, rw, collection):
        fill(rw, collection)
        first = recap_generate(actor=rw.kasubbag, collection=collection)
        approve_all(rw, collection)

        second = recap_generate(actor=rw.sekretaris, collection=collection)

        assert (first.number, first.is_final) == (1, False)
        assert (second.number, second.is_final) == (2, True)
        assert second.pdf != first.pdf

    @pytest.mark.parametrize("role", [RoleKey.KEPALA_BIDANG, RoleKey.PEMEGANG_DATA, RoleKey.STAF])
    def test_other_roles_of_the_agency_may_not(self, rw, collection, role):
        member = scope_for(staff(agency=rw.agency, role_key=role, unit=rw.world.units[0]))

        with pytest.raises(AccessDenied):
            recap_generate(actor=member, collection=collection)
        assert not Recap.objects.exists()
        assert not Document.objects.exists()

    def test_another_agency_may_not(self, collection, other_agency):
        outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        with pytest.raises(AccessDenied):
            recap_generate(actor=outsider, collection=collection)

    def test_a_coordinating_agency_may_not(self, rw, approved, bappeda):
        with pytest.raises(AccessDenied):
            recap_generate(actor=scope_for(bappeda), collection=approved)

    def test_data_changed_while_rendering_is_a_conflict(self, rw, collection):
        fill(rw, collection)
        table = recap_build(scope=rw.kasubbag, collection=collection)
        enter(rw.holder, collection, rw.world.cumulative, "21")

        with pytest.raises(Conflict):
            require_unchanged(table)

    def test_without_an_sop_step_nothing_is_attached(self, rw, approved):
        recap_generate(actor=rw.kasubbag, collection=approved)

        assert not TaskOutput.objects.exists()


class TestSend:
    def test_generates_the_surat_pengantar_to_the_coordinating_agencies(
        self, rw, approved, bappeda
    ):
        coordinating_staff(rw.agency, name="Biro Organisasi")
        AgencyFactory(government=rw.agency.government, name="Dinas Lain")  # not coordinating
        recap = recap_generate(actor=rw.kasubbag, collection=approved)

        sent = recap_send(actor=rw.kadis, recap=recap)

        letter = sent.cover_letter
        assert sent.sent_at is not None and sent.sent_by_id == rw.kadis.user_id
        assert letter.kind == DocumentKind.SURAT and letter.agency == rw.agency
        assert letter.number  # a letter is numbered
        assert stored_bytes(letter).startswith(b"%PDF")
        with translation.override("id"):
            period = str(approved.get_period_display())
        perihal = in_indonesian(
            "Submission of the performance data recap %(period)s %(year)s",
            period=period,
            year=approved.year,
        )
        assert letter.title == perihal
        assert letter.versions.get().generated
        record = ChangeRecord.objects.get(model="recap", object_id=str(recap.pk), action="send")
        assert record.changes["cover_letter"] == {"old": None, "new": letter.pk}

    def test_the_letter_fields_name_the_addressees_the_attachment_and_the_head(
        self, rw, approved, bappeda
    ):
        coordinating_staff(rw.agency, name="Biro Organisasi")
        recap = recap_generate(actor=rw.kasubbag, collection=approved)

        fields = cover_letter_fields(Recap.objects.select_related("collection__agency").get())

        head = agency_head(agency=rw.agency)
        assert fields["kepada"].splitlines() == [
            "Badan Perencanaan Pembangunan Daerah",
            "Biro Organisasi",
        ]
        assert (fields["penandatangan_nama"], fields["penandatangan_jabatan"]) == (
            head.name,
            head.title,
        )
        with translation.override("id"):
            period = str(approved.get_period_display())
        assert fields["lampiran"] == in_indonesian(
            "1 (one) set: Performance data recap %(period)s %(year)s",
            period=period,
            year=approved.year,
        )
        assert recap.collection == approved

    def test_fields_given_override_the_defaults(self, rw, approved, bappeda):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)

        sent = recap_send(actor=rw.kadis, recap=recap, fields={"perihal": "Rekap TW II"})

        assert sent.cover_letter.title == "Rekap TW II"

    def test_a_recap_is_sent_once(self, rw, approved, bappeda):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)
        recap_send(actor=rw.kadis, recap=recap)

        with pytest.raises(Conflict):
            recap_send(actor=rw.sekretaris, recap=recap)
        assert Document.objects.filter(kind=DocumentKind.SURAT).count() == 1

    def test_a_recap_that_is_not_final_is_refused(self, rw, collection, bappeda):
        fill(rw, collection)
        recap = recap_generate(actor=rw.kasubbag, collection=collection)

        with pytest.raises(ValidationFailed) as excinfo:
            recap_send(actor=rw.kadis, recap=recap)

        assert "Only a final recap can be sent" in excinfo.value.message
        assert Recap.objects.get(pk=recap.pk).sent_at is None

    def test_only_the_newest_recap_is_sent(self, rw, approved, bappeda):
        older = recap_generate(actor=rw.kasubbag, collection=approved)
        recap_generate(actor=rw.kasubbag, collection=approved)

        with pytest.raises(ValidationFailed):
            recap_send(actor=rw.kadis, recap=older)

    def test_without_a_coordinating_agency_there_is_nobody_to_send_to(self, rw, approved):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)

        with pytest.raises(ValidationFailed) as excinfo:
            recap_send(actor=rw.kadis, recap=recap)

        assert "kepada" in excinfo.value.errors
        assert Recap.objects.get(pk=recap.pk).sent_at is None

    def test_a_recap_generated_before_a_reopening_is_refused(self, rw, approved, bappeda):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)
        reopen_and_approve(rw, approved)

        with pytest.raises(ValidationFailed) as excinfo:
            recap_send(actor=rw.kadis, recap=recap)

        assert "The data changed after this recap was generated" in excinfo.value.message
        assert Recap.objects.get(pk=recap.pk).sent_at is None
        assert not Document.objects.filter(kind=DocumentKind.SURAT).exists()
        again = recap_generate(actor=rw.kasubbag, collection=approved)
        assert recap_send(actor=rw.kadis, recap=again).sent_at is not None

    def test_a_recap_of_a_collection_being_corrected_is_refused(self, rw, approved, bappeda):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)
        collection_lock(actor=rw.kadis, collection=approved)
        collection_reopen(actor=rw.kadis, collection=approved, reason="Koreksi")

        with pytest.raises(ValidationFailed) as excinfo:
            recap_send(actor=rw.kadis, recap=recap)

        assert "The data changed after this recap was generated" in excinfo.value.message
        assert Recap.objects.get(pk=recap.pk).sent_at is None

    @pytest.mark.parametrize("role", [RoleKey.KEPALA_BIDANG, RoleKey.STAF])
    def test_other_roles_may_not_send(self, rw, approved, bappeda, role):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)
        member = scope_for(staff(agency=rw.agency, role_key=role, unit=rw.world.units[0]))

        with pytest.raises(AccessDenied):
            recap_send(actor=member, recap=recap)

    def test_the_coordinating_agency_may_not_send(self, rw, approved, bappeda):
        recap = recap_generate(actor=rw.kasubbag, collection=approved)

        with pytest.raises(AccessDenied):
            recap_send(actor=scope_for(bappeda), recap=recap)


class TestOutputNames:
    @pytest.mark.parametrize(
        ("name", "recap", "letter"),
        [
            ("Rekapitulasi Data Kinerja", True, False),
            ("rekapitulasi  data kinerja TW", True, False),
            ("Rancangan Surat Pengantar Rekapitulasi Data Kinerja", False, False),  # a draft
            ("Surat Pengantar Rekapitulasi Data Kinerja", False, True),
            ("Disposisi", False, False),
        ],
    )
    def test_which_outputs_are_the_recap_and_which_the_letter(self, name, recap, letter):
        assert (is_recap_output(name), is_letter_output(name)) == (recap, letter)


class TestSopSteps:
    def test_the_recap_and_the_letter_become_the_steps_outputs(self, rw, bappeda):
        sop = sop_import(actor=None, text=RECAP_SOP.format(agency=rw.agency.code))
        collection = open_collection(rw, sop=sop)
        process = collection.process
        advance(process, until_step=2)
        fill(rw, collection)
        approve_all(rw, collection)
        recap_task = advance(process, until_step=3)

        recap = recap_generate(actor=rw.kasubbag, collection=collection)

        outputs = TaskOutput.objects.filter(task=recap_task)
        assert {o.document_id for o in outputs} == {recap.pdf_id, recap.workbook_id}
        assert {o.output_name for o in outputs} == {"Rekapitulasi Data Kinerja"}

        complete_as_assignee(recap_task, outcome_for(process, recap_task))
        letter_task = advance(process, until_step=4)
        sent = recap_send(actor=rw.kadis, recap=recap)

        output = TaskOutput.objects.get(task=letter_task)
        assert output.document == sent.cover_letter
        assert output.output_name == "Surat Pengantar Rekapitulasi Data Kinerja"
        assert sent.cover_letter.kind == DocumentKind.SURAT

    def test_someone_not_on_the_step_generates_without_attaching(self, rw):
        sop = sop_import(actor=None, text=RECAP_SOP.format(agency=rw.agency.code))
        collection = open_collection(rw, sop=sop)
        advance(collection.process, until_step=2)
        fill(rw, collection)
        approve_all(rw, collection)
        advance(collection.process, until_step=3)

        recap_generate(actor=rw.sekretaris, collection=collection)

        assert not TaskOutput.objects.exists()

    def test_the_seed_sop_of_the_demo_agency(self, government):
        agency = AgencyFactory(government=government, code="dinkop-ukm-sulteng")
        rw = recap_world(agency)
        staff(agency=agency, role_key=RoleKey.FUNGSIONAL_UMUM)
        coordinating_staff(agency)
        sop = sop_import(actor=None, text=SEED_SOP.read_text(encoding="utf-8"))
        collection = open_collection(rw, sop=sop)
        process = collection.process
        advance(process, until_step=11)
        fill(rw, collection)
        approve_all(rw, collection)
        recap_task = advance(process, until_step=12)  # the Fungsional Umum recaps

        recap = recap_generate(actor=scope_for(recap_task.assignee.user), collection=collection)

        outputs = TaskOutput.objects.filter(task=recap_task)
        assert {o.document_id for o in outputs} == {recap.pdf_id, recap.workbook_id}
        assert {o.output_name for o in outputs} == {"Rekapitulasi Data Kinerja"}

        complete_as_assignee(recap_task, outcome_for(process, recap_task))
        letter_task = advance(process, until_step=21)  # the Kepala Dinas signs and sends
        sent = recap_send(actor=rw.kadis, recap=recap)

        output = TaskOutput.objects.get(task=letter_task)
        assert output.document == sent.cover_letter
        assert output.output_name == "Surat Pengantar Rekapitulasi Data Kinerja"


class TestLetterStep:
    """While the SOP process runs, the Surat Pengantar is sent by the holder of its step."""

    def process_at_recap_step(self, rw, text=RECAP_SOP):
        sop = sop_import(actor=None, text=text.format(agency=rw.agency.code))
        collection = open_collection(rw, sop=sop)
        advance(collection.process, until_step=2)
        fill(rw, collection)
        approve_all(rw, collection)
        recap_task = advance(collection.process, until_step=3)
        return collection, recap_task, recap_generate(actor=rw.kasubbag, collection=collection)

    def test_before_the_letters_step_nobody_sends_it(self, rw, bappeda):
        _collection, _task, recap = self.process_at_recap_step(rw)

        for actor in (rw.kadis, rw.kasubbag):
            with pytest.raises(ValidationFailed) as excinfo:
                recap_send(actor=actor, recap=recap)
            assert excinfo.value.message == (
                "The covering letter is sent at step 4 of the SOP by Kepala Dinas."
            )
        assert Recap.objects.get(pk=recap.pk).sent_at is None
        assert not Document.objects.filter(kind=DocumentKind.SURAT).exists()

    def test_at_the_letters_step_only_its_holder_sends_it(self, rw, bappeda):
        collection, recap_task, recap = self.process_at_recap_step(rw)
        complete_as_assignee(recap_task, outcome_for(collection.process, recap_task))
        letter_task = advance(collection.process, until_step=4)

        with pytest.raises(ValidationFailed):
            recap_send(actor=rw.sekretaris, recap=recap)
        sent = recap_send(actor=rw.kadis, recap=recap)

        assert TaskOutput.objects.get(task=letter_task).document == sent.cover_letter

    def test_once_the_process_passed_the_step_it_is_sent_as_without_a_process(self, rw, bappeda):
        collection, recap_task, recap = self.process_at_recap_step(rw, FILED_SOP)
        complete_as_assignee(recap_task, outcome_for(collection.process, recap_task))
        letter_task = advance(collection.process, until_step=4)
        complete_as_assignee(letter_task, outcome_for(collection.process, letter_task))
        advance(collection.process, until_step=5)

        sent = recap_send(actor=rw.kadis, recap=recap)

        assert sent.cover_letter.kind == DocumentKind.SURAT
        assert not TaskOutput.objects.filter(document=sent.cover_letter).exists()

    def test_an_sop_without_a_letter_step_does_not_restrict_it(self, rw, bappeda):
        _collection, _task, recap = self.process_at_recap_step(rw, LETTERLESS_SOP)

        assert recap_send(actor=rw.kasubbag, recap=recap).sent_at is not None

    def test_the_seed_sops_letter_is_signed_at_step_21(self):
        definition = parse_sop(SEED_SOP.read_text(encoding="utf-8"))

        assert letter_step(definition).number == 21  # not the drafts of steps 18–20
