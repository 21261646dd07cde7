"""API v1 collection endpoints: content, every version of a value, scoping and query counts."""

from decimal import Decimal

import pytest

from kinerja.api.services import api_token_create
from kinerja.collection.models import Collection, Entry, Worksheet
from kinerja.collection.recap_services import recap_generate, recap_send
from kinerja.collection.review import worksheet_submit
from kinerja.collection.services import collection_create, entry_record
from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.collection.recap_world import (
    approve_all,
    coordinating_staff,
    fill,
    open_collection,
    recap_world,
    reopen_and_approve,
)
from tests.collection.world import collection_world
from tests.factories import staff

YEAR = 2025


@pytest.fixture
def world(agency):
    return collection_world(agency)


@pytest.fixture
def collection(world) -> Collection:
    return collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2")


@pytest.fixture
def sheet_a(world, collection) -> Worksheet:
    """Bidang A: the cumulative indicator (TW II target 20) and the last-value one (40)."""
    return collection.worksheets.get(unit=world.units[0])


def row_of(worksheet, indicator):
    return worksheet.rows.select_related("worksheet__unit__agency").get(indicator=indicator)


def enter(world, worksheet, indicator, value, version, **texts):
    holder = scope_for(world.data_holder.user)
    return entry_record(
        actor=holder,
        row=row_of(worksheet, indicator),
        value=Decimal(value),
        expected_version=version,
        **texts,
    )


def fill_and_submit(world, worksheet):
    """Two versions of the cumulative row, one of the last-value row, then submit."""
    enter(world, worksheet, world.cumulative, "15", 0)
    enter(world, worksheet, world.cumulative, "20.5", 1, analysis="Sesuai")
    enter(world, worksheet, world.last_value, "40", 0, obstacles="Hujan", follow_up="Lembur")
    worksheet.refresh_from_db()
    worksheet_submit(
        actor=scope_for(world.data_holder.user),
        worksheet=worksheet,
        expected_revision=worksheet.revision,
    )


def planner(world):
    return world.small.kasubbag.user


def kabid(world, number):
    return world.small.unit_heads[number].user


def urls(collection, worksheet) -> list[str]:
    return [
        f"/api/v1/agencies/{collection.agency.code}/collections",
        f"/api/v1/collections/{collection.pk}",
        f"/api/v1/worksheets/{worksheet.pk}/values",
        f"/api/v1/collections/{collection.pk}/recap",
    ]


# --- denial -------------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_anonymous_callers_get_401(client, collection, sheet_a, index):
    response = client.get(urls(collection, sheet_a)[index])

    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_another_agencys_user_gets_404(client, collection, sheet_a, other_agency, index):
    client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

    response = client.get(urls(collection, sheet_a)[index])

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_a_missing_collection_answers_like_a_forbidden_one(client, world, collection, other_agency):
    client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))
    forbidden = client.get(f"/api/v1/collections/{collection.pk}")
    client.force_login(planner(world))
    missing = client.get(f"/api/v1/collections/{collection.pk + 1000}")

    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_another_units_staff_get_404_for_a_worksheets_values(client, world, sheet_a):
    client.force_login(kabid(world, 1))  # Kepala Bidang B

    response = client.get(f"/api/v1/worksheets/{sheet_a.pk}/values")

    assert response.status_code == 404


def test_another_units_staff_still_see_the_collections_status(client, world, collection):
    client.force_login(kabid(world, 1))

    response = client.get(f"/api/v1/collections/{collection.pk}")

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["unit head", "data holder", "planner"])
def test_the_unit_its_data_holder_and_the_planners_see_the_values(client, world, sheet_a, who):
    users = {
        "unit head": kabid(world, 0),
        "data holder": world.data_holder.user,
        "planner": planner(world),
    }
    client.force_login(users[who])

    assert client.get(f"/api/v1/worksheets/{sheet_a.pk}/values").status_code == 200


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_a_bearer_token_works(client, world, collection, sheet_a, index):
    key = api_token_create(username=planner(world).username, name="dasbor").key

    response = client.get(
        urls(collection, sheet_a)[index], headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 200


# --- content ------------------------------------------------------------------------------


def test_the_agencys_collections_with_worksheets_counted_per_status(
    client, world, collection, sheet_a, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    earlier = collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period="tw1"
    )
    fill_and_submit(world, sheet_a)
    client.force_login(kabid(world, 1))

    response = client.get(f"/api/v1/agencies/{world.agency.code}/collections")

    assert response.status_code == 200
    tw1, tw2 = response.json()
    assert tw2 == {
        "id": collection.pk,
        "agency": world.agency.code,
        "year": YEAR,
        "period": "tw2",
        "period_label": "Quarter II",
        "status": "draft",
        "process_id": None,
        "worksheet_counts": {
            "draft": 1,
            "submitted": 1,
            "returned": 0,
            "accepted": 0,
            "approved": 0,
            "total": 2,
        },
    }
    assert (tw1["id"], tw1["worksheet_counts"]["draft"]) == (earlier.pk, 2)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "TW1"}, ["tw1"]),
        ({"year": YEAR, "period": "tw2"}, ["tw2"]),
        ({"year": 2024}, []),
    ],
)
def test_collections_narrowed_by_year_and_period(client, world, collection, params, expected):
    collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period="tw1")
    client.force_login(planner(world))

    response = client.get(f"/api/v1/agencies/{world.agency.code}/collections", params)

    assert [item["period"] for item in response.json()] == expected


@pytest.mark.parametrize(
    ("params", "field"), [({"period": "tw5"}, "period"), ({"year": 1}, "year")]
)
def test_bad_filters_get_422(client, world, collection, params, field):
    client.force_login(planner(world))

    response = client.get(f"/api/v1/agencies/{world.agency.code}/collections", params)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_the_status_of_each_worksheet(client, world, collection, sheet_a):
    fill_and_submit(world, sheet_a)
    sheet_a.refresh_from_db()
    client.force_login(planner(world))

    body = client.get(f"/api/v1/collections/{collection.pk}").json()

    assert (body["id"], body["period"], body["worksheet_counts"]["total"]) == (
        collection.pk,
        "tw2",
        2,
    )
    a, b = body["worksheets"]
    assert a["id"] == sheet_a.pk
    assert a["unit"] == {"code": "bidang-a", "name": "Bidang A"}
    assert a["status"] == "submitted"
    assert (a["row_count"], a["filled_count"]) == (2, 2)
    assert (a["revision"], a["submission_count"]) == (sheet_a.revision, 1)
    assert a["first_submitted_at"] is not None
    assert a["submitted_at"] == a["first_submitted_at"]
    assert a["deadline"].startswith(sheet_a.deadline.date().isoformat())
    assert b["unit"]["code"] == "bidang-b"
    assert (b["status"], b["row_count"], b["filled_count"]) == ("draft", 1, 0)
    assert (b["first_submitted_at"], b["submitted_at"], b["submission_count"]) == (None, None, 0)


def test_a_row_emptied_again_is_not_filled(client, world, collection, sheet_a):
    enter(world, sheet_a, world.cumulative, "15", 0)
    entry_record(
        actor=scope_for(world.data_holder.user),
        row=row_of(sheet_a, world.cumulative),
        value=None,
        expected_version=1,
    )
    client.force_login(planner(world))

    body = client.get(f"/api/v1/collections/{collection.pk}").json()

    assert body["worksheets"][0]["filled_count"] == 0


def test_values_with_every_version_and_the_current_one_marked(client, world, sheet_a):
    fill_and_submit(world, sheet_a)
    client.force_login(kabid(world, 0))
    holder = world.data_holder

    response = client.get(f"/api/v1/worksheets/{sheet_a.pk}/values")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["unit"]["code"], body["status"], body["submission_count"]) == (
        sheet_a.pk,
        "bidang-a",
        "submitted",
        1,
    )
    cumulative, last_value = body["rows"]
    assert cumulative["indicator"] == {
        "code": world.cumulative.code,
        "name": world.cumulative.name,
        "unit_of_measure": "%",
    }
    assert cumulative["target"] == {"value": "20", "low": None, "high": None}
    assert cumulative["data_holder"] == {"name": holder.name, "nip": holder.nip}
    assert cumulative["current_version"] == 2
    first, second = cumulative["versions"]
    assert (first["version"], first["value"], first["is_current"]) == (1, "15", False)
    assert (second["version"], second["value"], second["is_current"]) == (2, "20.5", True)
    assert second["analysis"] == "Sesuai"
    assert second["entered_by"] == {"username": holder.user.username, "name": holder.name}
    assert (first["submission_no"], second["submission_no"]) == (1, 1)
    stored = Entry.objects.get(row__indicator=world.cumulative, version=2)
    assert second["entered_at"].startswith(stored.entered_at.date().isoformat())
    [only] = last_value["versions"]
    assert (only["value"], only["obstacles"], only["follow_up"]) == ("40", "Hujan", "Lembur")
    assert (only["numerator"], only["denominator"], only["is_current"]) == (None, None, True)


def test_a_row_without_data_has_no_versions(client, world, sheet_a):
    client.force_login(planner(world))

    body = client.get(f"/api/v1/worksheets/{sheet_a.pk}/values").json()

    assert [(row["current_version"], row["versions"]) for row in body["rows"]] == [
        (None, []),
        (None, []),
    ]


def test_the_recap_per_unit_and_indicator(client, world, collection, sheet_a):
    fill_and_submit(world, sheet_a)
    client.force_login(world.small.sekretaris.user)

    response = client.get(f"/api/v1/collections/{collection.pk}/recap")

    assert response.status_code == 200
    body = response.json()
    assert (body["collection_id"], body["agency"], body["year"], body["period"]) == (
        collection.pk,
        world.agency.code,
        YEAR,
        "tw2",
    )
    assert body["is_final"] is False
    assert body["rating_scale"][0] == {"min": "91", "label": "Sangat Tinggi"}
    unit_a, unit_b = body["units"]
    assert (unit_a["unit"]["code"], unit_a["worksheet_id"], unit_a["worksheet_status"]) == (
        "bidang-a",
        sheet_a.pk,
        "submitted",
    )
    cumulative, last_value = unit_a["rows"]
    assert cumulative == {
        "indicator": {
            "code": world.cumulative.code,
            "name": world.cumulative.name,
            "unit_of_measure": "%",
        },
        "target": {"value": "20", "low": None, "high": None},
        "realization": "20.5",
        "numerator": None,
        "denominator": None,
        "achievement": "102.50",
        "achievement_display": "102,50%",
        "status": "computed",
        "rating": "Sangat Tinggi",
        "analysis": "Sesuai",
        "obstacles": "",
        "follow_up": "",
        "data_holder": {"name": world.data_holder.name, "nip": world.data_holder.nip},
    }
    assert (last_value["realization"], last_value["achievement"]) == ("40", "100.00")
    assert last_value["obstacles"] == "Hujan"
    assert {"label": "Sangat Tinggi", "count": 2} in unit_a["rating_counts"]
    [in_b] = unit_b["rows"]
    assert (in_b["target"], in_b["realization"], in_b["achievement"]) == (None, None, None)
    assert in_b["status"] == "no_target"
    assert body["not_computable"] == unit_b["not_computable"] == 1


def test_the_units_staff_get_404_for_the_recap(client, world, collection, sheet_a):
    fill_and_submit(world, sheet_a)
    url = f"/api/v1/collections/{collection.pk}/recap"

    for user in (
        kabid(world, 0),
        kabid(world, 1),
        world.data_holder.user,
        staff(agency=world.agency, role_key=RoleKey.STAF, unit=world.units[0]),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404
        assert set(response.json()) == {"detail"}
        assert client.get(f"/api/v1/collections/{collection.pk}").status_code == 200


def test_a_coordinating_agency_sees_only_a_sent_final_recap(client, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    rw = recap_world(agency)
    collection = open_collection(rw)
    fill(rw, collection)
    approve_all(rw, collection)
    client.force_login(coordinating_staff(rw.agency))
    worksheet = collection.worksheets.first()
    recap_url = f"/api/v1/collections/{collection.pk}/recap"

    before = client.get(recap_url)
    recap_send(actor=rw.kadis, recap=recap_generate(actor=rw.kasubbag, collection=collection))
    after = client.get(recap_url)

    assert before.status_code == 404
    assert after.status_code == 200
    assert after.json()["is_final"] is True
    for url in urls(collection, worksheet)[:3]:
        assert client.get(url).status_code == 404  # never the worksheets themselves


def test_after_a_reopening_a_coordinating_agency_no_longer_gets_the_recap(
    client, agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rw = recap_world(agency)
    collection = open_collection(rw)
    fill(rw, collection)
    approve_all(rw, collection)
    bappeda = coordinating_staff(rw.agency)
    recap_send(actor=rw.kadis, recap=recap_generate(actor=rw.kasubbag, collection=collection))
    client.force_login(bappeda)
    recap_url = f"/api/v1/collections/{collection.pk}/recap"
    assert client.get(recap_url).status_code == 200

    reopen_and_approve(rw, collection)

    assert client.get(recap_url).status_code == 404


def test_the_openapi_document_describes_the_collection_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/agencies/{code}/collections",
        "/api/v1/collections/{collection_id}",
        "/api/v1/collections/{collection_id}/recap",
        "/api/v1/worksheets/{worksheet_id}/values",
    } <= set(paths)


# --- query counts -------------------------------------------------------------------------


def sized_world(agency, size):
    """`size` extra indicators on Bidang A and B, each row with two versions."""
    world = collection_world(agency, extra_indicators=size)
    collection = collection_create(
        actor=world.coordinator, agency=world.agency, year=YEAR, period="tw2"
    )
    for row in [row for ws in collection.worksheets.all() for row in ws.rows.all()]:
        entry_record(actor=world.coordinator, row=row, value=Decimal(1), expected_version=0)
        entry_record(actor=world.coordinator, row=row, value=Decimal(2), expected_version=1)
    key = api_token_create(username=planner(world).username, name="dasbor").key
    return world, collection, {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("size", [1, 8])
def test_values_take_a_constant_number_of_queries(client, agency, size, django_assert_num_queries):
    world, collection, bearer = sized_world(agency, size)
    worksheet = collection.worksheets.get(unit=world.units[0])

    with django_assert_num_queries(11):
        response = client.get(f"/api/v1/worksheets/{worksheet.pk}/values", headers=bearer)

    rows = response.json()["rows"]
    assert len(rows) == 2 + (size + 1) // 2
    assert all(len(row["versions"]) == 2 for row in rows)


@pytest.mark.parametrize("size", [1, 8])
def test_the_collection_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_num_queries
):
    _world, collection, bearer = sized_world(agency, size)

    with django_assert_num_queries(9):
        response = client.get(f"/api/v1/collections/{collection.pk}", headers=bearer)

    assert response.json()["worksheet_counts"]["total"] == 2


@pytest.mark.parametrize("size", [1, 8])
def test_the_recap_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_num_queries
):
    _world, collection, bearer = sized_world(agency, size)

    with django_assert_num_queries(11):
        response = client.get(f"/api/v1/collections/{collection.pk}/recap", headers=bearer)

    assert sum(len(unit["rows"]) for unit in response.json()["units"]) == 3 + size


@pytest.mark.parametrize("size", [1, 4])
def test_the_list_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_num_queries
):
    world, _collection, bearer = sized_world(agency, 0)
    for period in ["tw1", "tw3", "tw4", "s1"][:size]:
        collection_create(actor=world.coordinator, agency=world.agency, year=YEAR, period=period)

    with django_assert_num_queries(9):
        response = client.get(f"/api/v1/agencies/{world.agency.code}/collections", headers=bearer)

    assert len(response.json()) == size + 1
