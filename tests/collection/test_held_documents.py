"""The collection's documents are held by their records: evidence, imported workbooks and
recap files stay off the Documents pages (no listing, download, new version or archiving
there) and are downloaded only through the collection's own permission checks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.collection.evidence import evidence_add, evidence_remove
from kinerja.collection.models import Evidence, Worksheet
from kinerja.collection.recap_services import recap_generate
from kinerja.collection.review import collection_lock
from kinerja.collection.workbook import SHEET, worksheet_workbook
from kinerja.collection.workbook_services import worksheet_import_apply
from kinerja.core.errors import AccessDenied
from kinerja.documents.models import Document
from kinerja.documents.services import document_archive, document_version_upload
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import RoleKey, User
from tests.collection.recap_world import (
    RecapWorld,
    approve_all,
    fill,
    open_collection,
    recap_world,
    row_of,
)
from tests.collection.test_workbook import load, save
from tests.documents.samples import pdf, upload
from tests.factories import AgencyFactory, staff

EVIDENCE = pdf(b"foto kegiatan")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rw(agency) -> RecapWorld:
    return recap_world(agency)


@pytest.fixture
def collection(rw):
    return open_collection(rw)


@pytest.fixture
def evidence(rw, collection) -> Evidence:
    """Evidence on Bidang A's cumulative row, added by its data holder."""
    row = row_of(collection, rw.world.cumulative)
    return evidence_add(actor=rw.holder, row=row, uploaded=upload(EVIDENCE, "Foto kegiatan.pdf"))


def download_url(evidence: Evidence) -> str:
    return reverse("collection:evidence_download", args=[evidence.pk])


def user_of(scope: UserScope) -> User:
    return User.objects.get(pk=scope.user_id)


def assert_closed_on_the_documents_pages(client, document: Document) -> None:
    """Detail, download, new version and archive all answer 404 for the logged-in user."""
    for method, url in (
        ("get", reverse("documents:detail", args=[document.pk])),
        ("get", reverse("documents:download", args=[document.pk, 1])),
        ("get", reverse("documents:version_upload", args=[document.pk])),
        ("post", reverse("documents:archive", args=[document.pk])),
    ):
        assert getattr(client, method)(url).status_code == 404, url


class TestEvidenceDownload:
    def test_the_data_holder_gets_the_attached_file(self, client, rw, evidence):
        client.force_login(user_of(rw.holder))

        response = client.get(download_url(evidence))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == EVIDENCE
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Foto kegiatan.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"

    def test_the_unit_head_and_the_coordinator_may_download_it(self, client, rw, evidence):
        for scope in (rw.head(0), rw.kasubbag):
            client.force_login(user_of(scope))

            assert client.get(download_url(evidence)).status_code == 200

    def test_another_units_head_gets_404_here_and_on_the_documents_pages(
        self, client, rw, evidence
    ):
        client.force_login(user_of(rw.head(1)))

        assert client.get(download_url(evidence)).status_code == 404
        assert_closed_on_the_documents_pages(client, evidence.document)

    def test_another_agency_gets_404(self, client, evidence, other_agency):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        assert client.get(download_url(evidence)).status_code == 404

    def test_anonymous_users_are_sent_to_the_login_page(self, client, evidence):
        response = client.get(download_url(evidence))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_removed_evidence_is_404(self, client, rw, evidence):
        evidence_remove(actor=rw.holder, evidence=evidence)
        client.force_login(user_of(rw.holder))

        assert client.get(download_url(evidence)).status_code == 404

    def test_an_unknown_id_is_404(self, client, rw, evidence):
        client.force_login(user_of(rw.holder))

        assert client.get(reverse("collection:evidence_download", args=[0])).status_code == 404

    def test_as_many_queries_for_many_evidence_files_as_for_one(
        self, client, rw, collection, evidence, django_assert_num_queries
    ):
        client.force_login(user_of(rw.holder))
        with CaptureQueriesContext(connection) as one:
            client.get(download_url(evidence))
        row = row_of(collection, rw.world.cumulative)
        for _ in range(5):
            last = evidence_add(actor=rw.holder, row=row, uploaded=upload(pdf(b"lagi")))

        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(download_url(last))

        assert b"".join(response.streaming_content) == pdf(b"lagi")


class TestEvidenceDocument:
    def test_is_held_and_not_listed_on_the_documents_page(self, client, rw, evidence):
        assert evidence.document.held_by_record is True
        client.force_login(user_of(rw.head(1)))

        page = client.get(reverse("documents:list"), {"agency": rw.agency.pk})

        assert page.status_code == 200
        assert evidence.document.title not in page.content.decode()

    def test_its_author_cannot_version_or_archive_it_once_the_collection_is_locked(
        self, client, rw, collection, evidence
    ):
        fill(rw, collection)
        approve_all(rw, collection)
        collection_lock(actor=rw.kadis, collection=collection)
        document = evidence.document
        client.force_login(user_of(rw.holder))

        response = client.post(
            reverse("documents:version_upload", args=[document.pk]),
            {"file": upload(pdf(b"diganti"))},
        )

        assert response.status_code == 404
        with pytest.raises(AccessDenied):
            document_version_upload(actor=rw.holder, document=document, uploaded=upload(pdf()))
        with pytest.raises(AccessDenied):
            document_archive(actor=rw.kadis, document=document)
        document.refresh_from_db()
        assert (document.current_version, document.is_archived) == (1, False)
        assert b"".join(client.get(download_url(evidence)).streaming_content) == EVIDENCE


class TestImportedWorkbook:
    def test_is_held_and_closed_on_the_documents_pages(self, client, rw, collection):
        worksheet = Worksheet.objects.select_related(
            "collection__agency__government", "unit__agency"
        ).get(collection=collection, unit=rw.world.units[0])
        workbook = load(worksheet_workbook(scope=rw.holder, worksheet=worksheet))
        workbook[SHEET]["E9"] = 12
        worksheet_import_apply(
            actor=rw.holder,
            worksheet=worksheet,
            content=save(workbook),
            expected_revision=worksheet.revision,
        )
        document = Document.objects.get()
        client.force_login(user_of(rw.holder))

        assert document.held_by_record is True
        assert_closed_on_the_documents_pages(client, document)


class TestRecapFiles:
    @pytest.fixture
    def recap(self, rw, collection):
        fill(rw, collection)
        return recap_generate(actor=rw.kasubbag, collection=collection)

    def test_are_held_and_still_download_from_the_recap_page(self, client, rw, recap):
        client.force_login(user_of(rw.kasubbag))

        for which, document in (("pdf", recap.pdf), ("xlsx", recap.workbook)):
            assert document.held_by_record is True
            response = client.get(reverse("collection:recap_download", args=[recap.pk, which]))
            assert response.status_code == 200
            assert response["Content-Type"] == document.versions.get().content_type
            assert_closed_on_the_documents_pages(client, document)

    def test_no_new_version_of_a_recap_file(self, rw, recap):
        with pytest.raises(AccessDenied):
            document_version_upload(actor=rw.kasubbag, document=recap.pdf, uploaded=upload(pdf()))

        assert Document.objects.get(pk=recap.pdf_id).current_version == 1


def test_staff_of_another_agency_of_the_government_get_404(client, rw, evidence):
    neighbour = AgencyFactory(government=rw.agency.government)
    client.force_login(staff(agency=neighbour, role_key=RoleKey.KEPALA_DINAS))

    assert client.get(download_url(evidence)).status_code == 404
