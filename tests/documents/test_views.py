"""Document pages: list, detail, upload, generate, number, archive, and the guarded download."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kinerja.documents import services
from kinerja.documents.models import Document
from tests.documents import samples
from tests.documents.test_generators import FILLED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def document(member_scope, agency):
    return services.document_upload(
        actor=member_scope,
        agency=agency,
        kind="surat",
        title="Rekap Data Kinerja TW I",
        uploaded=samples.upload(samples.pdf(b"rekap"), "Rekap TW I.pdf"),
    )


def download_url(document, version=1):
    return reverse("documents:download", args=[document.pk, version])


class TestDownload:
    def test_the_file_streams_as_an_attachment(self, client_in, document):
        response = client_in.get(download_url(document))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == samples.pdf(b"rekap")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Rekap TW I.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]

    def test_another_agency_gets_404(self, client, outsider, document):
        client.force_login(outsider)

        assert client.get(download_url(document)).status_code == 404
        assert client.get(document.get_absolute_url()).status_code == 404

    def test_anonymous_users_are_sent_to_the_login_page(self, client, document):
        response = client.get(download_url(document))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_a_version_that_does_not_exist_is_404(self, client_in, document):
        assert client_in.get(download_url(document, version=2)).status_code == 404

    def test_the_government_administrator_may_download(self, client, agency, document):
        client.force_login(UserFactory(administered_government=agency.government))

        assert client.get(download_url(document)).status_code == 200


class TestListAndDetail:
    def test_the_list_shows_the_agencys_current_documents(
        self, client_in, member_scope, agency, document
    ):
        archived = services.document_upload(
            actor=member_scope,
            agency=agency,
            kind="notula",
            title="Notula lama",
            uploaded=samples.upload(samples.pdf()),
        )
        services.document_archive(actor=member_scope, document=archived)

        response = client_in.get(reverse("documents:list"))

        html = response.content.decode()
        assert response.status_code == 200
        assert "Rekap Data Kinerja TW I" in html
        assert "Notula lama" not in html
        assert reverse("documents:upload", args=[agency.pk]) in html
        assert reverse("documents:generate", args=[agency.pk, "disposisi"]) in html

    def test_the_kind_filter(self, client_in, agency, document):
        html = client_in.get(reverse("documents:list"), {"kind": "notula"}).content.decode()

        assert "Rekap Data Kinerja TW I" not in html

    def test_an_agency_outside_the_scope_is_404(self, client_in, other_agency):
        response = client_in.get(reverse("documents:list"), {"agency": other_agency.pk})

        assert response.status_code == 404

    def test_the_detail_shows_every_version_with_author_hash_and_size(
        self, client_in, member, member_scope, document
    ):
        services.document_version_upload(
            actor=member_scope,
            document=document,
            uploaded=samples.upload(samples.png(), "scan.png"),
            note="hasil pindai",
        )

        html = client_in.get(document.get_absolute_url()).content.decode()

        assert html.count('data-testid="version-row"') == 2
        for version in document.versions.all():
            assert version.sha256 in html
            assert download_url(document, version.version) in html
        assert member.get_full_name() in html
        assert "hasil pindai" in html
        assert f"{len(samples.pdf(b'rekap'))} B" in html


class TestUpload:
    def test_a_file_is_uploaded_through_the_form(self, client_in, agency):
        response = client_in.post(
            reverse("documents:upload", args=[agency.pk]),
            {
                "kind": "sk",
                "title": "SK Tim SAKIP",
                "file": samples.upload(samples.docx_file(), "SK Tim.docx"),
            },
        )

        document = Document.objects.get()
        assert response.status_code == 302
        assert response["Location"] == document.get_absolute_url()
        assert (document.kind, document.title) == ("sk", "SK Tim SAKIP")
        assert document.versions.get().original_name == "SK Tim.docx"

    def test_an_oversize_file_is_refused_on_the_form(self, client_in, agency, settings, media_root):
        settings.KINERJA_MAX_UPLOAD_BYTES = 1024

        response = client_in.post(
            reverse("documents:upload", args=[agency.pk]),
            {"kind": "surat", "title": "Besar", "file": samples.upload(samples.pdf(bytes(4096)))},
            HTTP_ACCEPT_LANGUAGE="id",
        )

        with translation.override("id"):
            expected = gettext("The file is larger than the limit of %(limit)s.") % {
                "limit": "1 KB"
            }
        assert response.status_code == 200
        assert expected in response.content.decode()
        assert Document.objects.count() == 0
        assert samples.stored_files(media_root) == []

    def test_a_renamed_program_is_refused(self, client_in, agency, media_root):
        response = client_in.post(
            reverse("documents:upload", args=[agency.pk]),
            {"kind": "surat", "title": "Laporan", "file": samples.upload(samples.exe(), "a.pdf")},
        )

        assert response.status_code == 200
        assert 'data-field="file"' in response.content.decode()
        assert Document.objects.count() == 0
        assert samples.stored_files(media_root) == []

    def test_another_agency_is_404_and_a_reader_is_403(self, client, agency, outsider):
        client.force_login(outsider)
        assert client.get(reverse("documents:upload", args=[agency.pk])).status_code == 404

        client.force_login(UserFactory(administered_government=agency.government))
        assert client.get(reverse("documents:upload", args=[agency.pk])).status_code == 403

    def test_a_new_version_through_the_form(self, client_in, document):
        response = client_in.post(
            reverse("documents:version_upload", args=[document.pk]),
            {"file": samples.upload(samples.pdf(b"v2")), "note": "revisi"},
        )

        assert response.status_code == 302
        document.refresh_from_db()
        assert document.current_version == 2


class TestGenerate:
    def test_the_form_generates_a_numbered_pdf(self, client_in, agency):
        fields, _expected = FILLED["surat_perintah_tugas"]
        url = reverse("documents:generate", args=[agency.pk, "surat_perintah_tugas"])

        assert client_in.get(url).status_code == 200
        response = client_in.post(url, {"title": "SPT pengumpulan data", "number": "on", **fields})

        document = Document.objects.get()
        assert response.status_code == 302
        assert document.number.startswith("001/SPT/")
        assert document.versions.get().generated

    def test_missing_fields_are_shown_on_the_form(self, client_in, agency):
        url = reverse("documents:generate", args=[agency.pk, "notula"])

        response = client_in.post(url, {"title": "Notula"})

        assert response.status_code == 200
        assert 'data-field="pembahasan"' in response.content.decode()
        assert Document.objects.count() == 0

    def test_an_unknown_kind_is_404(self, client_in, agency):
        assert (
            client_in.get(reverse("documents:generate", args=[agency.pk, "sk"])).status_code == 404
        )


class TestNumberAndArchive:
    def test_numbering_from_the_detail_page(self, client_in, document):
        response = client_in.post(reverse("documents:number", args=[document.pk]), {"number": ""})

        document.refresh_from_db()
        assert response.status_code == 302
        assert document.number.startswith("001/")

    def test_numbering_twice_says_so(self, client_in, document):
        url = reverse("documents:number", args=[document.pk])
        client_in.post(url)

        response = client_in.post(url, HTTP_REFERER=document.get_absolute_url(), follow=True)

        assert gettext("This document already has a number: %(number)s.").split(":")[0] in (
            response.content.decode()
        )

    def test_archiving_from_the_detail_page(self, client_in, document):
        response = client_in.post(reverse("documents:archive", args=[document.pk]))

        document.refresh_from_db()
        assert response.status_code == 302 and document.is_archived

    def test_another_agency_cannot_number_or_archive(self, client, outsider, document):
        client.force_login(outsider)

        assert client.post(reverse("documents:number", args=[document.pk])).status_code == 404
        assert client.post(reverse("documents:archive", args=[document.pk])).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize("size", [1, 15])
    def test_the_list_page(
        self, client_in, member_scope, agency, size, django_assert_max_num_queries
    ):
        for n in range(size):
            services.document_upload(
                actor=member_scope,
                agency=agency,
                kind="surat",
                title=f"Surat {n}",
                uploaded=samples.upload(samples.pdf()),
            )

        with django_assert_max_num_queries(9):
            response = client_in.get(reverse("documents:list"))

        assert response.content.decode().count('data-testid="document-row"') == size

    @pytest.mark.parametrize("size", [1, 15])
    def test_the_detail_page(
        self, client_in, member_scope, document, size, django_assert_max_num_queries
    ):
        for _ in range(size):
            services.document_version_upload(
                actor=member_scope, document=document, uploaded=samples.upload(samples.pdf())
            )

        with django_assert_max_num_queries(7):
            response = client_in.get(document.get_absolute_url())

        assert response.content.decode().count('data-testid="version-row"') == size + 1
