"""Documents held by their records: kept out of every Documents page and service that
would show, version or archive them; streamed only through `documents.downloads`."""

import pytest
from django.http import Http404
from django.urls import reverse

from kinerja.core.errors import AccessDenied, NotFound
from kinerja.core.models import ChangeRecord
from kinerja.documents import selectors, services
from kinerja.documents.downloads import held_document_response
from kinerja.documents.models import Document, DocumentVersion
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.documents import samples
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def stored(scope, agency, *, held, title="Bukti dukung IKU 1", content=None):
    return services.document_upload(
        actor=scope,
        agency=agency,
        kind="lainnya",
        title=title,
        uploaded=samples.upload(samples.pdf(b"bukti") if content is None else content, "Bukti.pdf"),
        held_by_record=held,
    )


@pytest.fixture
def held(member_scope, agency):
    return stored(member_scope, agency, held=True)


@pytest.fixture
def organiser(agency):
    """The agency's Kepala Dinas: may archive any of its documents."""
    return staff(agency=agency, role_key=RoleKey.KEPALA_DINAS)


class TestUpload:
    def test_a_held_document_is_stored_like_any_other_and_says_it_is_held(self, held):
        version = held.versions.get()

        assert held.held_by_record is True
        assert (held.current_version, version.version) == (1, 1)
        assert version.content_type == "application/pdf" and len(version.sha256) == 64
        record = ChangeRecord.objects.get(model="document", object_id=str(held.pk))
        assert record.changes["held_by_record"] == {"old": None, "new": True}

    def test_documents_are_not_held_unless_asked(self, member_scope, agency):
        assert stored(member_scope, agency, held=False).held_by_record is False


class TestPages:
    """Every Documents page answers 404 for a held document, even to its own author."""

    @pytest.fixture
    def client_in(self, client, member):
        client.force_login(member)
        return client

    def test_the_list_leaves_it_out(self, client_in, member_scope, agency, held):
        stored(member_scope, agency, held=False, title="Surat biasa")

        html = client_in.get(reverse("documents:list"), {"agency": agency.pk}).content.decode()

        assert "Surat biasa" in html
        assert held.title not in html
        assert html.count('data-testid="document-row"') == 1

    @pytest.mark.parametrize(
        ("method", "name", "extra"),
        [
            ("get", "documents:detail", []),
            ("get", "documents:download", [1]),
            ("get", "documents:version_upload", []),
            ("post", "documents:version_upload", []),
            ("post", "documents:number", []),
            ("post", "documents:archive", []),
        ],
    )
    def test_each_page_is_404(self, client_in, held, method, name, extra):
        url = reverse(name, args=[held.pk, *extra])
        data = {"file": samples.upload(samples.pdf(b"v2"))} if method == "post" else None

        response = getattr(client_in, method)(url, data)

        assert response.status_code == 404
        held.refresh_from_db()
        assert (held.current_version, held.number, held.is_archived) == (1, "", False)

    def test_a_superuser_and_the_government_administrator_get_404_too(self, client, agency, held):
        for user in (
            UserFactory(is_superuser=True, is_staff=True),
            UserFactory(administered_government=agency.government),
        ):
            client.force_login(user)

            assert client.get(reverse("documents:download", args=[held.pk, 1])).status_code == 404
            assert client.get(held.get_absolute_url()).status_code == 404


class TestServices:
    def test_no_new_version_even_for_its_author(self, member_scope, held, media_root):
        files_before = samples.stored_files(media_root)

        with pytest.raises(AccessDenied):
            services.document_version_upload(
                actor=member_scope, document=held, uploaded=samples.upload(samples.pdf(b"v2"))
            )

        assert DocumentVersion.objects.filter(document=held).count() == 1
        assert Document.objects.get(pk=held.pk).current_version == 1
        assert samples.stored_files(media_root) == files_before

    def test_no_archiving_even_by_the_agencys_organisers(self, organiser, held):
        with pytest.raises(AccessDenied):
            services.document_archive(actor=scope_for(organiser), document=held)

        assert not Document.objects.get(pk=held.pk).is_archived

    def test_the_selectors_do_not_find_it(self, member_scope, agency, held):
        assert not selectors.document_list(scope=member_scope, agency=agency).exists()
        with pytest.raises(NotFound):
            selectors.document_get(scope=member_scope, document_id=held.pk)
        with pytest.raises(NotFound):
            selectors.version_for_download(scope=member_scope, document_id=held.pk, version=1)


class TestHeldDownload:
    """What the holding record's download view calls once it has checked access."""

    def test_streams_the_current_version_as_a_private_attachment(self, held):
        response = held_document_response(document=held)

        assert b"".join(response.streaming_content) == samples.pdf(b"bukti")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Bukti.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"

    def test_a_named_version(self, held):
        assert selectors.held_document_version(document=held, version=1).document_id == held.pk
        with pytest.raises(Http404):
            held_document_response(document=held, version=2)

    def test_a_document_that_is_not_held_is_refused(self, member_scope, agency):
        ordinary = stored(member_scope, agency, held=False)

        with pytest.raises(NotFound):
            selectors.held_document_version(document=ordinary)
        with pytest.raises(Http404):
            held_document_response(document=ordinary)

    def test_a_missing_stored_file_is_404(self, held):
        version = held.versions.get()
        version.file.storage.delete(version.file.name)

        with pytest.raises(Http404):
            held_document_response(document=held)
