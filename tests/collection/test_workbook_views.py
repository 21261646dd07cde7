"""The workbook pages through the Django test client: download, upload → preview → confirm."""

import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.collection.models import Entry
from kinerja.collection.review import worksheet_submit
from kinerja.collection.views_workbook import PENDING_DIR, SESSION_KEY
from kinerja.collection.workbook import SHEET
from kinerja.documents.models import Document
from kinerja.organizations.access import scope_for
from tests.collection.test_workbook import create, enter, filled, fresh, load, sheet_of
from tests.collection.world import collection_world

D = Decimal


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english(client, settings):
    """Pages in English, so assertions compare the msgids whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def ws(world):
    return sheet_of(create(world), world.units[0])


@pytest.fixture
def holder_client(client, world, english):
    client.force_login(world.data_holder.user)
    return client


def url(name, ws):
    return reverse(f"collection:{name}", args=[ws.pk])


def download(client, ws) -> bytes:
    response = client.get(url("workbook_download", ws))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(client, ws, content: bytes):
    file = SimpleUploadedFile("kertas-kerja.xlsx", content)
    return client.post(url("workbook_upload", ws), {"file": file})


def confirm_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(token|sha256|expected_revision)" value="([^"]*)"', page))


def pending_files() -> list[str]:
    return default_storage.listdir(PENDING_DIR)[1] if default_storage.exists(PENDING_DIR) else []


class TestDownload:
    def test_the_file_is_named_after_the_unit_period_and_year(self, holder_client, ws):
        response = holder_client.get(url("workbook_download", ws))

        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert 'filename="kertas-kerja-bidang-a-tw2-2025.xlsx"' in response["Content-Disposition"]
        assert load(response.content)[SHEET]["A9"].value is not None

    def test_another_units_head_gets_404(self, client, world, ws):
        client.force_login(world.small.unit_heads[1].user)

        assert client.get(url("workbook_download", ws)).status_code == 404
        assert client.get(url("workbook_upload", ws)).status_code == 404


class TestUploadPreviewConfirm:
    def test_upload_preview_and_confirm(self, holder_client, world, ws):
        content = filled(
            download(holder_client, ws),
            {world.cumulative.code: {"value": "12,5", "analysis": "Sesuai rencana"}},
        )

        page = upload(holder_client, ws, content)

        assert page.status_code == 200
        assert 'data-testid="workbook-changes"' in page.text
        assert 'data-testid="workbook-new">12,5<' in page.text
        assert "Sesuai rencana" in page.text
        assert 'data-testid="workbook-confirm"' in page.text
        assert not Entry.objects.exists()
        fields = confirm_fields(page.text)
        assert fields["expected_revision"] == str(fresh(ws).revision)
        assert len(pending_files()) == 1

        response = holder_client.post(url("workbook_apply", ws), fields)

        assert response.status_code == 302
        assert response["Location"] == reverse("collection:worksheet", args=[ws.pk])
        entry = Entry.objects.get()
        assert (entry.row.indicator, entry.version, entry.value) == (world.cumulative, 1, D("12.5"))
        assert Document.objects.filter(title__startswith="Filled-in worksheet").count() == 1
        assert pending_files() == []
        assert holder_client.session[SESSION_KEY] == {}
        grid = holder_client.get(response["Location"])
        assert "The workbook has been imported: 1 row changed." in grid.text
        assert 'value="12,5"' in grid.text

    def test_the_same_confirmation_twice_applies_once(self, holder_client, world, ws):
        content = filled(download(holder_client, ws), {world.cumulative.code: {"value": 3}})
        fields = confirm_fields(upload(holder_client, ws, content).text)
        holder_client.post(url("workbook_apply", ws), fields)

        again = holder_client.post(url("workbook_apply", ws), fields, follow=True)

        assert "This upload is no longer available; upload the file again." in again.text
        assert Entry.objects.count() == 1

    def test_problems_are_listed_by_cell_without_a_confirm_button(self, holder_client, world, ws):
        content = filled(
            download(holder_client, ws),
            {world.cumulative.code: {"value": 5}, world.last_value.code: {"value": "banyak"}},
        )

        page = upload(holder_client, ws, content)

        assert page.status_code == 200
        assert "Kertas Kerja!E10" in page.text
        assert "Not a number: type it like 85,5 or 1.234,5." in page.text
        assert 'data-testid="workbook-confirm"' not in page.text
        assert 'data-testid="workbook-upload-form"' in page.text
        assert pending_files() == []
        assert not Entry.objects.exists()

    def test_a_refused_file_shows_why_on_the_upload_form(self, holder_client, world, ws):
        other = sheet_of(ws.collection, world.units[1])
        holder_client.force_login(world.small.kasubbag.user)
        content = download(holder_client, other)
        holder_client.force_login(world.data_holder.user)

        page = upload(holder_client, ws, content)

        assert page.status_code == 200
        assert "This file is the worksheet of another unit (bidang-b)" in page.text
        assert 'data-testid="workbook-changes"' not in page.text

    def test_not_an_xlsx(self, holder_client, ws):
        page = upload(holder_client, ws, b"%PDF-1.4\n%%EOF\n")

        assert "The file is not an Excel workbook (.xlsx)." in page.text

    def test_a_tampered_confirmation_applies_nothing(self, holder_client, world, ws):
        content = filled(download(holder_client, ws), {world.cumulative.code: {"value": 3}})
        fields = confirm_fields(upload(holder_client, ws, content).text)

        response = holder_client.post(
            url("workbook_apply", ws), {**fields, "sha256": "0" * 64}, follow=True
        )

        assert "This upload is no longer available; upload the file again." in response.text
        assert not Entry.objects.exists()

    def test_a_worksheet_changed_since_the_preview_applies_nothing(self, holder_client, world, ws):
        content = filled(download(holder_client, ws), {world.cumulative.code: {"value": 3}})
        fields = confirm_fields(upload(holder_client, ws, content).text)
        enter(scope_for(world.data_holder.user), ws, world.last_value, "40")

        response = holder_client.post(url("workbook_apply", ws), fields, follow=True)

        assert "The worksheet was changed after the preview; upload the file again." in (
            response.text
        )
        assert not Entry.objects.filter(row__indicator=world.cumulative).exists()
        assert pending_files() == []

    def test_a_submitted_worksheet_sends_the_user_back(self, holder_client, world, ws):
        holder = scope_for(world.data_holder.user)
        enter(holder, ws, world.cumulative, "20")
        enter(holder, ws, world.last_value, "40")
        worksheet_submit(actor=holder, worksheet=ws, expected_revision=fresh(ws).revision)

        response = holder_client.get(
            url("workbook_upload", ws), HTTP_REFERER=url("worksheet", ws), follow=True
        )

        assert "This worksheet has been submitted; its data can no longer change." in (
            response.text
        )

    def test_at_most_a_few_uploads_wait_per_user(self, holder_client, world, ws):
        base = download(holder_client, ws)
        for value in range(5):
            content = filled(base, {world.cumulative.code: {"value": value + 1}})
            upload(holder_client, ws, content)

        assert len(pending_files()) == 3
        assert len(holder_client.session[SESSION_KEY]) == 3


def test_the_upload_page_links_the_download(holder_client, ws):
    page = holder_client.get(url("workbook_upload", ws))

    assert page.status_code == 200
    assert url("workbook_download", ws) in page.text
    assert 'enctype="multipart/form-data"' in page.text
