import pytest

from kinerja.collection.evidence import evidence_add, evidence_remove
from kinerja.collection.models import Evidence, Worksheet, WorksheetRow
from kinerja.collection.services import collection_create
from kinerja.core.errors import AccessDenied, ValidationFailed
from kinerja.core.models import ChangeRecord
from kinerja.documents.models import Document
from kinerja.organizations.access import scope_for
from tests.collection.world import collection_world
from tests.documents.samples import pdf, upload

YEAR = 2025


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def row(world) -> WorksheetRow:
    collection = collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2"
    )
    return WorksheetRow.objects.select_related("worksheet__unit__agency", "indicator").get(
        worksheet__collection=collection, indicator=world.cumulative
    )


def holder_scope(world):
    return scope_for(world.data_holder.user)


class TestAdd:
    def test_the_data_holder_adds_a_checked_document_titled_after_the_indicator(self, world, row):
        revision = row.worksheet.revision

        evidence = evidence_add(actor=holder_scope(world), row=row, uploaded=upload(pdf()))

        document = evidence.document
        assert evidence.row == row
        assert document.kind == "lainnya"
        assert document.agency == world.agency
        assert document.title == f"{world.cumulative.code} {world.cumulative.name}"
        assert document.held_by_record is True  # downloaded through the worksheet only
        assert document.versions.get().sha256
        assert Worksheet.objects.get(pk=row.worksheet_id).revision == revision + 1
        assert ChangeRecord.objects.filter(model="evidence", object_id=str(evidence.pk)).exists()

    def test_the_unit_head_may_add_too(self, world, row):
        kabid_a = scope_for(world.small.unit_heads[0].user)

        evidence = evidence_add(actor=kabid_a, row=row, uploaded=upload(pdf()))

        assert evidence.added_by_id == kabid_a.user_id

    def test_another_unit_is_refused_and_nothing_is_stored(self, world, row):
        kabid_b = scope_for(world.small.unit_heads[1].user)

        with pytest.raises(AccessDenied):
            evidence_add(actor=kabid_b, row=row, uploaded=upload(pdf()))

        assert not Evidence.objects.exists()
        assert not Document.objects.exists()

    def test_a_file_of_a_refused_type_stores_nothing(self, world, row):
        with pytest.raises(ValidationFailed) as caught:
            evidence_add(actor=holder_scope(world), row=row, uploaded=upload(b"MZ\x90\x00exe"))

        assert "file" in caught.value.errors
        assert not Document.objects.exists()

    @pytest.mark.parametrize("status", [Worksheet.Status.SUBMITTED, Worksheet.Status.APPROVED])
    def test_refused_once_the_worksheet_is_no_longer_editable(self, world, row, status):
        Worksheet.objects.filter(pk=row.worksheet_id).update(status=status)

        with pytest.raises(ValidationFailed):
            evidence_add(actor=holder_scope(world), row=row, uploaded=upload(pdf()))

        assert not Evidence.objects.exists()
        assert not Document.objects.exists()


class TestRemove:
    def test_archives_the_link_and_keeps_the_document(self, world, row):
        evidence = evidence_add(actor=holder_scope(world), row=row, uploaded=upload(pdf()))

        removed = evidence_remove(actor=holder_scope(world), evidence=evidence)

        assert removed.is_archived
        assert Document.objects.filter(pk=evidence.document_id, archived_at__isnull=True).exists()
        assert ChangeRecord.objects.filter(model="evidence", action="archive").count() == 1

    def test_another_unit_may_not_remove(self, world, row):
        evidence = evidence_add(actor=holder_scope(world), row=row, uploaded=upload(pdf()))

        with pytest.raises(AccessDenied):
            evidence_remove(actor=scope_for(world.small.unit_heads[1].user), evidence=evidence)

        assert not Evidence.objects.get(pk=evidence.pk).is_archived

    def test_refused_once_submitted(self, world, row):
        evidence = evidence_add(actor=holder_scope(world), row=row, uploaded=upload(pdf()))
        Worksheet.objects.filter(pk=row.worksheet_id).update(status=Worksheet.Status.SUBMITTED)

        with pytest.raises(ValidationFailed):
            evidence_remove(actor=holder_scope(world), evidence=evidence)

        assert not Evidence.objects.get(pk=evidence.pk).is_archived
