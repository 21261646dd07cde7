"""The review on the worksheet page: submit, return with row reasons, accept, approve, lock."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.collection.models import Collection, Entry, ReviewComment, Worksheet
from kinerja.collection.review_selectors import agency_thresholds
from kinerja.collection.services import (
    collection_create,
    entry_record,
    worksheet_row_data_holder_set,
)
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.api.scenario import realize
from tests.collection.world import collection_world
from tests.factories import staff

YEAR = 2025


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def collection(world):
    return collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2")


@pytest.fixture
def ws(world, collection):
    """Bidang A's worksheet: cumulative (TW II target 20) and last-value (target 40) rows."""
    return Worksheet.objects.get(collection=collection, unit=world.units[0])


def users(world):
    small = world.small
    return {
        "head": small.unit_heads[0].user,
        "head_b": small.unit_heads[1].user,
        "kasubbag": small.kasubbag.user,
        "sekretaris": small.sekretaris.user,
        "kadis": small.kadis.user,
    }


def fill(world, ws, values=("20", "40")):
    head = scope_for(world.small.unit_heads[0].user)
    for row, value in zip(ws.rows.order_by("sort_order"), values, strict=True):
        current = Entry.objects.filter(row=row).order_by("-version").first()
        entry_record(
            actor=head,
            row=row,
            value=Decimal(value),
            expected_version=current.version if current else 0,
        )


def post(client, user, name, ws, **data):
    client.force_login(user)
    ws.refresh_from_db()
    data.setdefault("revision", ws.revision)
    return client.post(reverse(f"collection:{name}", args=[ws.pk]), data)


def page(client, user, ws):
    client.force_login(user)
    return client.get(reverse("collection:worksheet", args=[ws.pk]))


class TestSubmit:
    def test_the_unit_submits_from_the_page(self, client, world, ws):
        fill(world, ws)
        who = users(world)

        assert 'data-testid="submit"' in page(client, who["head"], ws).text
        response = post(client, who["head"], "worksheet_submit", ws)

        assert response.status_code == 302
        ws.refresh_from_db()
        assert ws.status == Worksheet.Status.SUBMITTED
        assert "submitted for review" in page(client, who["head"], ws).text

    def test_problems_are_listed_at_the_rows_and_block_the_submission(self, client, world, ws):
        who = users(world)

        text = page(client, who["head"], ws).text
        response = post(client, who["head"], "worksheet_submit", ws)

        assert text.count('data-testid="ws-problem"') == 2
        assert "enter the realisation" in text
        assert response.status_code == 302
        ws.refresh_from_db()
        assert ws.status == Worksheet.Status.DRAFT
        assert "enter the realisation" in client.get(response["Location"]).text

    def test_a_stale_page_changes_nothing(self, client, world, ws):
        fill(world, ws)

        response = post(client, users(world)["head"], "worksheet_submit", ws, revision=0)

        assert response.status_code == 302
        ws.refresh_from_db()
        assert ws.status == Worksheet.Status.DRAFT

    def test_another_units_head_cannot_see_or_submit(self, client, world, ws):
        fill(world, ws)

        response = post(client, users(world)["head_b"], "worksheet_submit", ws)

        assert response.status_code == 404
        ws.refresh_from_db()
        assert ws.status == Worksheet.Status.DRAFT


@pytest.fixture
def submitted(client, world, ws):
    fill(world, ws)
    post(client, users(world)["head"], "worksheet_submit", ws)
    ws.refresh_from_db()
    return ws


class TestReturn:
    def test_the_kasubbag_returns_one_row_and_the_unit_sees_the_reason_there(
        self, client, world, submitted
    ):
        who = users(world)
        first, second = submitted.rows.order_by("sort_order")

        text = page(client, who["kasubbag"], submitted).text
        response = post(
            client,
            who["kasubbag"],
            "worksheet_return",
            submitted,
            reason="Periksa kembali",
            **{f"row_reason_{second.pk}": "Angka tidak sesuai bukti"},
        )

        assert 'data-testid="return-form"' in text and 'data-testid="accept"' in text
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Worksheet.Status.RETURNED
        unit_page = page(client, who["head"], submitted).text
        assert "Periksa kembali" in unit_page
        assert unit_page.count('data-testid="ws-return-reason"') == 1
        assert "Angka tidak sesuai bukti" in unit_page
        assert ReviewComment.objects.filter(row=second, kind="return").exists()
        assert not ReviewComment.objects.filter(row=first).exists()

    def test_without_a_reason_nothing_changes_and_the_row_reasons_are_kept(
        self, client, world, submitted
    ):
        second = submitted.rows.order_by("sort_order")[1]

        response = post(
            client,
            users(world)["kasubbag"],
            "worksheet_return",
            submitted,
            reason=" ",
            **{f"row_reason_{second.pk}": "Angka tidak sesuai bukti"},
        )

        assert response.status_code == 422
        assert "Angka tidak sesuai bukti" in response.text
        submitted.refresh_from_db()
        assert submitted.status == Worksheet.Status.SUBMITTED
        assert not ReviewComment.objects.exists()

    def test_the_unit_may_not_return_its_own_worksheet(self, client, world, submitted):
        response = post(
            client, users(world)["head"], "worksheet_return", submitted, reason="Saya ubah"
        )

        assert response.status_code in (403, 422)
        submitted.refresh_from_db()
        assert submitted.status == Worksheet.Status.SUBMITTED

    def test_the_reviewer_sees_what_changed_since_the_return(self, client, world, submitted):
        who = users(world)
        post(client, who["kasubbag"], "worksheet_return", submitted, reason="Periksa")
        submitted.refresh_from_db()
        fill(world, submitted, values=("20", "38"))
        post(client, who["head"], "worksheet_submit", submitted)

        text = page(client, who["kasubbag"], submitted).text

        assert text.count('data-testid="review-change"') == 1
        assert "38" in text


class TestApprovalChain:
    def test_kasubbag_sekretaris_kadis_then_lock_and_reopen(self, client, world, collection, ws):
        who = users(world)
        other = Worksheet.objects.get(collection=collection, unit=world.units[1])
        reports = ((ws, who["head"], ("20", "40")), (other, who["head_b"], ("5",)))
        for sheet, head, values in reports:
            for row, value in zip(sheet.rows.order_by("sort_order"), values, strict=True):
                entry_record(
                    actor=scope_for(head), row=row, value=Decimal(value), expected_version=0
                )
            post(client, head, "worksheet_submit", sheet)

        for sheet in (ws, other):
            post(client, who["sekretaris"], "worksheet_approve", sheet)  # not accepted yet
            sheet.refresh_from_db()
            assert sheet.status == Worksheet.Status.SUBMITTED
            post(client, who["kasubbag"], "worksheet_accept", sheet)
            assert "approval of the Secretary" in page(client, who["kadis"], sheet).text
            assert post(client, who["kadis"], "worksheet_approve", sheet).status_code == 403
            post(client, who["sekretaris"], "worksheet_approve", sheet)
            post(client, who["kadis"], "worksheet_approve", sheet)
            sheet.refresh_from_db()
            assert sheet.status == Worksheet.Status.APPROVED

        client.force_login(who["kasubbag"])
        assert client.post(reverse("collection:lock", args=[collection.pk])).status_code == 403
        client.force_login(who["kadis"])
        detail = client.get(reverse("collection:detail", args=[collection.pk])).text
        client.post(reverse("collection:lock", args=[collection.pk]))
        collection.refresh_from_db()
        assert 'data-testid="lock"' in detail
        assert collection.status == Collection.Status.LOCKED

        refused = client.post(reverse("collection:reopen", args=[collection.pk]), {"reason": ""})
        collection.refresh_from_db()
        assert refused.status_code == 302
        assert collection.status == Collection.Status.LOCKED
        client.post(reverse("collection:reopen", args=[collection.pk]), {"reason": "Koreksi BPK"})
        collection.refresh_from_db()
        assert collection.status != Collection.Status.LOCKED


class TestSettings:
    def test_planners_set_the_agency_tolerance_and_it_applies(self, client, world, ws):
        client.force_login(users(world)["kasubbag"])
        url = reverse("collection:settings", args=[world.agency.pk])

        response = client.post(url, {"deviation_percent": "10,5"})

        assert response.status_code == 302
        assert agency_thresholds(world.agency).deviation_percent == Decimal("10.5")
        fill(world, ws, values=("20", "45"))  # 12,5 % above the target of 40
        assert "explain it in the analysis" in page(client, users(world)["head"], ws).text

    def test_a_bad_number_is_refused_and_changes_nothing(self, client, world):
        client.force_login(users(world)["kasubbag"])

        response = client.post(
            reverse("collection:settings", args=[world.agency.pk]), {"deviation_percent": "x"}
        )

        assert response.status_code == 200
        assert "Indonesian way" in response.text
        assert agency_thresholds(world.agency).deviation_percent == Decimal(50)

    def test_unit_staff_and_other_agencies_are_refused(self, client, world, other_agency):
        url = reverse("collection:settings", args=[world.agency.pk])
        client.force_login(users(world)["head"])
        assert client.post(url, {"deviation_percent": "10"}).status_code == 403
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KASUBBAG_PROGRAM))
        assert client.post(url, {"deviation_percent": "10"}).status_code == 404
        assert agency_thresholds(world.agency).deviation_percent == Decimal(50)


def test_a_cumulative_row_shows_its_year_to_date_total(client, world, ws):
    realize(world.cumulative, {1: 15})
    fill(world, ws, values=("7", "40"))

    text = page(client, users(world)["head"], ws).text

    assert "its own amount, not year-to-date" in text
    assert text.count('data-testid="ws-running-total"') == 1
    assert "Earlier quarters: 15 · year to date with this quarter: 22" in text


def test_a_data_holder_from_another_unit_enters_the_row_but_does_not_submit(
    client, world, collection
):
    other = Worksheet.objects.get(collection=collection, unit=world.units[1])
    row = other.rows.select_related("worksheet__collection", "worksheet__unit__agency").get()
    worksheet_row_data_holder_set(actor=world.coordinator, row=row, data_holder=world.data_holder)
    holder = scope_for(world.data_holder.user)
    entry_record(actor=holder, row=row, value=Decimal(5), expected_version=0)

    response = post(client, world.data_holder.user, "worksheet_submit", other)

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Worksheet.Status.DRAFT
    assert Entry.objects.get(row=row).value == Decimal(5)


def test_a_return_refused_because_someone_acted_first_keeps_the_reasons(client, world, submitted):
    who = users(world)
    second = submitted.rows.order_by("sort_order")[1]
    stale = submitted.revision
    post(client, who["kasubbag"], "worksheet_accept", submitted)

    response = post(
        client,
        who["sekretaris"],
        "worksheet_return",
        submitted,
        revision=stale,
        reason="Tolong cek ulang",
        **{f"row_reason_{second.pk}": "Bukti kurang"},
    )

    assert response.status_code == 409
    assert "Tolong cek ulang" in response.text
    assert "Bukti kurang" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Worksheet.Status.ACCEPTED


def test_every_changed_field_is_listed_old_to_new(client, world, submitted):
    who = users(world)
    post(client, who["kasubbag"], "worksheet_return", submitted, reason="Periksa")
    second = submitted.rows.order_by("sort_order")[1]
    current = Entry.objects.filter(row=second).order_by("-version").first()
    entry_record(
        actor=scope_for(who["head"]),
        row=second,
        value=Decimal(38),
        obstacles="Dua koperasi belum RAT",
        expected_version=current.version,
    )
    post(client, who["head"], "worksheet_submit", submitted)

    text = page(client, who["kasubbag"], submitted).text

    assert text.count('data-testid="review-change"') == 2  # the realisation and the obstacles
    assert "Dua koperasi belum RAT" in text


def test_the_submit_button_through_htmx_redirects_the_whole_page(client, world, ws):
    fill(world, ws)

    client.force_login(users(world)["head"])
    ws.refresh_from_db()
    response = client.post(
        reverse("collection:worksheet_submit", args=[ws.pk]),
        {"revision": ws.revision},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("collection:worksheet", args=[ws.pk])
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.SUBMITTED


def test_the_kasubbag_accepts_with_a_note_at_a_row_the_unit_then_sees(client, world, submitted):
    who = users(world)
    first = submitted.rows.order_by("sort_order")[0]

    response = post(
        client,
        who["kasubbag"],
        "worksheet_accept",
        submitted,
        reason="Data sudah sesuai.",
        **{f"row_reason_{first.pk}": "Lampirkan berita acara pada triwulan berikutnya."},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Worksheet.Status.ACCEPTED
    note = ReviewComment.objects.get(row=first)
    assert note.kind == ReviewComment.Kind.COMMENT
    assert ReviewComment.objects.get(kind="accept").text == "Data sudah sesuai."
    unit_page = page(client, who["head"], submitted).text
    assert unit_page.count('data-testid="ws-review-note"') == 1
    assert "Lampirkan berita acara" in unit_page


def test_a_refused_acceptance_keeps_the_notes(client, world, submitted):
    first = submitted.rows.order_by("sort_order")[0]

    response = post(
        client,
        users(world)["kasubbag"],
        "worksheet_accept",
        submitted,
        revision=0,
        **{f"row_reason_{first.pk}": "Cek satuan"},
    )

    assert response.status_code == 422
    assert "Cek satuan" in response.text
    assert not ReviewComment.objects.exists()
