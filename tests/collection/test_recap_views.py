"""The recap pages: the table and its files for the agency, generating and sending, and what
a coordinating agency (BAPPEDA, Biro Organisasi) sees of a sent final recap — nothing else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.collection.models import Recap, Worksheet
from kinerja.collection.recap_services import recap_generate, recap_send
from kinerja.organizations.models import RoleKey
from tests.collection.recap_world import (
    approve_all,
    coordinating_staff,
    fill,
    open_collection,
    recap_world,
    reopen_and_approve,
    row_of,
)
from tests.factories import UserFactory, staff


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english(client, settings):
    """Pages in English, so assertions compare the msgids whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def rw(agency):
    return recap_world(agency)


@pytest.fixture
def collection(rw):
    return open_collection(rw)


@pytest.fixture
def bappeda(rw):
    return coordinating_staff(rw.agency)


@pytest.fixture
def provisional(rw, collection):
    """Recap no. 1, generated before the worksheets were approved."""
    fill(rw, collection)
    return recap_generate(actor=rw.kasubbag, collection=collection)


@pytest.fixture
def sent(rw, collection, provisional, bappeda):
    """Recap no. 2, final and sent."""
    approve_all(rw, collection)
    recap = recap_generate(actor=rw.kasubbag, collection=collection)
    return recap_send(actor=rw.kadis, recap=recap)


def recap_url(collection):
    return reverse("collection:recap", args=[collection.pk])


def download_url(recap, which):
    return reverse("collection:recap_download", args=[recap.pk, which])


def kasubbag(rw):
    return rw.world.small.kasubbag.user


def unit_staff(rw):
    """The agency's staff outside its planners and reviewers: a data holder, a Kepala
    Bidang, a staff member of a Bidang."""
    return [
        rw.world.data_holder.user,
        rw.world.small.unit_heads[0].user,
        staff(agency=rw.agency, role_key=RoleKey.STAF, unit=rw.world.units[1]),
    ]


class TestRecapPage:
    def test_the_table_with_rating_badges_and_the_generate_button(self, client, rw, collection):
        fill(rw, collection)
        client.force_login(kasubbag(rw))

        response = client.get(recap_url(collection))

        assert response.status_code == 200
        text = response.text
        assert 'data-testid="recap-table"' in text
        for item in (rw.world.cumulative, rw.world.last_value, rw.lower, rw.ranged):
            assert f'data-testid="recap-row-{item.code}"' in text
        assert "rating-sangat-tinggi" in text  # 25 against 20: 125 %
        assert "125,00%" in text
        assert reverse("collection:recap_generate", args=[collection.pk]) in text
        assert "No recap has been generated yet." in text

    def test_the_governments_administrator_sees_it_without_actions(self, client, rw, collection):
        client.force_login(UserFactory(administered_government=rw.agency.government))

        response = client.get(recap_url(collection))

        assert response.status_code == 200
        assert 'data-testid="recap-table"' in response.text
        assert 'data-testid="recap-generate"' not in response.text

    def test_unit_staff_get_404(self, client, rw, collection):
        fill(rw, collection)

        for user in unit_staff(rw):
            client.force_login(user)
            assert client.get(recap_url(collection)).status_code == 404

    def test_lists_the_recaps_with_their_files_and_offers_to_send_the_final_one(
        self, client, rw, collection, provisional
    ):
        approve_all(rw, collection)
        final = recap_generate(actor=rw.kasubbag, collection=collection)
        client.force_login(rw.world.small.kadis.user)

        text = client.get(recap_url(collection)).text

        assert text.count('data-testid="recap-row"') == 2
        for recap in (provisional, final):
            assert download_url(recap, "pdf") in text
            assert download_url(recap, "xlsx") in text
        assert reverse("collection:recap_send", args=[final.pk]) in text
        assert reverse("collection:recap_send", args=[provisional.pk]) not in text

    def test_another_agency_is_404(self, client, collection, other_agency):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        assert client.get(recap_url(collection)).status_code == 404

    def test_queries_do_not_grow_with_the_data(self, client, agency, other_agency):
        counts = []
        for owner, extra in ((agency, 0), (other_agency, 24)):
            rw = recap_world(owner, extra_indicators=extra)
            collection = open_collection(rw)
            fill(rw, collection)
            client.force_login(kasubbag(rw))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(recap_url(collection)).status_code == 200
            counts.append(len(queries))

        assert counts[0] == counts[1]


class TestGenerateAndSend:
    def test_generate_then_send_through_the_pages(self, client, rw, collection, bappeda):
        fill(rw, collection)
        approve_all(rw, collection)
        client.force_login(kasubbag(rw))

        response = client.post(reverse("collection:recap_generate", args=[collection.pk]))

        assert response.status_code == 302 and response["Location"] == recap_url(collection)
        recap = Recap.objects.get()
        assert recap.is_final
        client.force_login(rw.world.small.kadis.user)

        response = client.post(reverse("collection:recap_send", args=[recap.pk]))

        assert response.status_code == 302
        recap.refresh_from_db()
        assert recap.sent_at is not None and recap.cover_letter is not None
        assert download_url(recap, "surat") in client.get(recap_url(collection)).text

    def test_sending_a_recap_of_data_changed_since_says_why_it_cannot(
        self, client, rw, collection, bappeda
    ):
        fill(rw, collection)
        approve_all(rw, collection)
        recap = recap_generate(actor=rw.kasubbag, collection=collection)
        reopen_and_approve(rw, collection)
        client.force_login(rw.world.small.kadis.user)

        response = client.post(reverse("collection:recap_send", args=[recap.pk]), follow=True)

        assert "The data changed after this recap was generated" in response.text
        assert Recap.objects.get(pk=recap.pk).sent_at is None

    def test_a_unit_head_may_not_generate(self, client, rw, collection):
        client.force_login(rw.world.small.unit_heads[0].user)

        response = client.post(reverse("collection:recap_generate", args=[collection.pk]))

        assert response.status_code == 403
        assert not Recap.objects.exists()

    def test_sending_a_provisional_recap_says_why_it_cannot(self, client, rw, provisional, bappeda):
        client.force_login(rw.world.small.kadis.user)

        response = client.post(reverse("collection:recap_send", args=[provisional.pk]), follow=True)

        assert "Only a final recap can be sent" in response.text
        assert Recap.objects.get(pk=provisional.pk).sent_at is None

    def test_another_agency_cannot_generate_or_send(
        self, client, rw, collection, sent, other_agency
    ):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        assert (
            client.post(reverse("collection:recap_generate", args=[collection.pk])).status_code
            == 404
        )
        assert client.post(reverse("collection:recap_send", args=[sent.pk])).status_code == 404


class TestDownloads:
    @pytest.mark.parametrize(
        ("which", "start"), [("pdf", b"%PDF"), ("xlsx", b"PK"), ("surat", b"%PDF")]
    )
    def test_the_agency_downloads_each_file(self, client, rw, sent, which, start):
        client.force_login(staff(agency=rw.agency, role_key=RoleKey.SEKRETARIS))

        response = client.get(download_url(sent, which))

        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(start)
        assert response["Cache-Control"] == "private, no-store"

    def test_unit_staff_get_404_for_every_file(self, client, rw, provisional, sent):
        for user in unit_staff(rw):
            client.force_login(user)
            for recap, which in ((provisional, "pdf"), (provisional, "xlsx"), (sent, "surat")):
                assert client.get(download_url(recap, which)).status_code == 404

    def test_an_unknown_file_or_a_missing_letter_is_404(self, client, rw, provisional):
        client.force_login(kasubbag(rw))

        assert client.get(download_url(provisional, "docx")).status_code == 404
        assert client.get(download_url(provisional, "surat")).status_code == 404

    def test_another_agency_is_404(self, client, sent, other_agency):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        for which in ("pdf", "xlsx", "surat"):
            assert client.get(download_url(sent, which)).status_code == 404


class TestCoordinatingAgency:
    def test_receives_the_sent_final_recap(self, client, rw, collection, sent, bappeda):
        client.force_login(bappeda)

        received = client.get(reverse("collection:recap_received"))

        assert received.status_code == 200
        assert received.text.count('data-testid="received-row"') == 1
        assert rw.agency.name in received.text
        for which in ("pdf", "xlsx", "surat"):
            assert download_url(sent, which) in received.text
            assert client.get(download_url(sent, which)).status_code == 200
        page = client.get(recap_url(collection))
        assert page.status_code == 200
        assert 'data-testid="recap-table"' in page.text
        assert page.text.count('data-testid="recap-row"') == 1  # the sent one only
        assert 'data-testid="recap-generate"' not in page.text
        assert reverse("collection:detail", args=[collection.pk]) not in page.text

    def test_the_documents_own_download_stays_closed_to_it(self, client, sent, bappeda):
        client.force_login(bappeda)

        response = client.get(reverse("documents:download", args=[sent.pdf_id, 1]))

        assert response.status_code == 404

    def test_sees_nothing_else_of_the_collection(self, client, rw, collection, sent, bappeda):
        client.force_login(bappeda)
        worksheet = Worksheet.objects.filter(collection=collection).first()
        row = row_of(collection, rw.world.cumulative)

        assert client.get(reverse("collection:detail", args=[collection.pk])).status_code == 404
        assert client.get(reverse("collection:worksheet", args=[worksheet.pk])).status_code == 404
        assert client.get(reverse("collection:row_history", args=[row.pk])).status_code == 404

    def test_an_unsent_or_provisional_recap_is_404(
        self, client, collection, provisional, sent, bappeda
    ):
        client.force_login(bappeda)

        for which in ("pdf", "xlsx"):
            assert client.get(download_url(provisional, which)).status_code == 404
        assert (
            client.post(reverse("collection:recap_send", args=[provisional.pk])).status_code == 404
        )

    def test_before_anything_is_sent_everything_is_404(
        self, client, rw, collection, provisional, bappeda
    ):
        approve_all(rw, collection)
        final = recap_generate(actor=rw.kasubbag, collection=collection)
        client.force_login(bappeda)

        assert client.get(recap_url(collection)).status_code == 404
        assert client.get(download_url(final, "pdf")).status_code == 404
        assert (
            'data-testid="received-row"'
            not in client.get(reverse("collection:recap_received")).text
        )

    def test_may_not_send(self, client, sent, bappeda):
        client.force_login(bappeda)

        assert client.post(reverse("collection:recap_send", args=[sent.pk])).status_code == 403

    def test_data_being_corrected_again_shows_only_the_files_sent(
        self, client, collection, sent, bappeda
    ):
        Worksheet.objects.filter(collection=collection).update(status=Worksheet.Status.ACCEPTED)
        client.force_login(bappeda)

        page = client.get(recap_url(collection))

        assert page.status_code == 200
        assert 'data-testid="recap-table"' not in page.text
        assert 'data-testid="recap-being-corrected"' in page.text
        assert download_url(sent, "pdf") in page.text

    def test_after_a_reopening_and_new_approval_shows_only_the_files_sent(
        self, client, rw, collection, sent, bappeda
    ):
        reopen_and_approve(rw, collection)
        client.force_login(bappeda)

        page = client.get(recap_url(collection))

        assert page.status_code == 200
        assert 'data-testid="recap-table"' not in page.text
        assert 'data-testid="recap-being-corrected"' in page.text
        assert download_url(sent, "xlsx") in page.text
        assert client.get(download_url(sent, "xlsx")).status_code == 200

    def test_another_governments_coordinating_agency_gets_404(
        self, client, collection, sent, other_agency
    ):
        client.force_login(coordinating_staff(other_agency))

        assert client.get(recap_url(collection)).status_code == 404
        assert client.get(download_url(sent, "pdf")).status_code == 404
        received = client.get(reverse("collection:recap_received"))
        assert received.status_code == 200
        assert 'data-testid="received-row"' not in received.text

    def test_the_received_page_is_404_for_other_agencies(self, client, rw, sent):
        client.force_login(kasubbag(rw))

        assert client.get(reverse("collection:recap_received")).status_code == 404
