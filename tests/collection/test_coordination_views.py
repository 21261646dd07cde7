"""The coordinator names a row's data holder and moves a unit's deadline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kinerja.collection.models import Worksheet
from kinerja.collection.services import collection_create
from kinerja.organizations.models import RoleKey
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
def ws(world):
    collection = collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2"
    )
    return Worksheet.objects.get(collection=collection, unit=world.units[0])


class TestDataHolder:
    def test_the_coordinator_names_another_holder(self, client, world, ws):
        row = ws.rows.order_by("sort_order").first()
        head = world.small.unit_heads[0]
        client.force_login(world.small.kasubbag.user)
        url = reverse("collection:row_data_holder", args=[row.pk])

        page = client.get(url)
        response = client.post(url, {"data_holder": head.pk})

        assert page.status_code == 200 and head.name in page.text
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.data_holder == head
        assert (
            'data-testid="ws-data-holder-link"'
            in client.get(reverse("collection:worksheet", args=[ws.pk])).text
        )

    def test_someone_outside_the_agency_cannot_be_chosen(self, client, world, ws, other_agency):
        row = ws.rows.order_by("sort_order").first()
        stranger = staff(agency=other_agency, role_key=RoleKey.KEPALA_BIDANG).employee
        client.force_login(world.small.kasubbag.user)

        response = client.post(
            reverse("collection:row_data_holder", args=[row.pk]), {"data_holder": stranger.pk}
        )

        assert response.status_code == 200
        row.refresh_from_db()
        assert row.data_holder == world.data_holder

    def test_unit_staff_are_refused_and_other_agencies_see_nothing(
        self, client, world, ws, other_agency
    ):
        row = ws.rows.order_by("sort_order").first()
        url = reverse("collection:row_data_holder", args=[row.pk])
        client.force_login(world.small.unit_heads[0].user)
        assert client.post(url, {"data_holder": ""}).status_code == 403
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KASUBBAG_PROGRAM))
        assert client.get(url).status_code == 404
        row.refresh_from_db()
        assert row.data_holder == world.data_holder


class TestDeadline:
    def test_the_deadline_is_typed_in_the_governments_time_zone(self, client, world, ws):
        client.force_login(world.small.kasubbag.user)
        zone = ZoneInfo(world.agency.government.time_zone)

        response = client.post(
            reverse("collection:worksheet_deadline", args=[ws.pk]),
            {"deadline": "2025-07-10T15:30"},
        )

        assert response.status_code == 302
        ws.refresh_from_db()
        assert ws.deadline == datetime.datetime(2025, 7, 10, 15, 30, tzinfo=zone)

    def test_a_bad_date_changes_nothing(self, client, world, ws):
        before = ws.deadline
        client.force_login(world.small.kasubbag.user)

        response = client.post(
            reverse("collection:worksheet_deadline", args=[ws.pk]), {"deadline": "besok"}
        )

        assert response.status_code == 200
        assert 'class="errorlist' in response.text
        ws.refresh_from_db()
        assert ws.deadline == before

    def test_unit_staff_are_refused(self, client, world, ws):
        client.force_login(world.small.unit_heads[0].user)

        response = client.post(
            reverse("collection:worksheet_deadline", args=[ws.pk]),
            {"deadline": "2025-07-10T15:30"},
        )

        assert response.status_code == 403
