"""API v1 endpoints: content, decimals as strings, scoping (404 outside, 401 anonymous), queries."""

import datetime

import pytest
import time_machine

from kinerja.measurement.models import RatingScale
from kinerja.planning.models import Aggregation, Polarity
from tests.api import scenario
from tests.factories import AgencyFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def endpoints(code: str) -> list[str]:
    return [
        f"/api/v1/agencies/{code}",
        f"/api/v1/agencies/{code}/indicators?year=2025",
        f"/api/v1/agencies/{code}/achievement?year=2025&period=annual",
    ]


@pytest.fixture
def planned(agency):
    """One objective, two indicators: a plain one with Rencana Aksi, and a range one."""
    goal = scenario.objective(scenario.renstra(agency), code="SS-1", statement="Koperasi sehat")
    unit = OrgUnitFactory(agency=agency, code="bidang-koperasi", name="Bidang Koperasi")
    plain = scenario.indicator(
        goal,
        code="IK-1",
        name="Persentase koperasi sehat",
        is_key=True,
        aggregation=Aggregation.CUMULATIVE,
        annual_target="70.5",
        responsible_unit=unit,
    )
    ranged = scenario.indicator(goal, code="IK-2", polarity=Polarity.RANGE)
    pk = scenario.agreement(agency)
    scenario.pk_line(pk, plain, target=75, quarterly=(15, 20, 20, 20))
    scenario.pk_line(pk, ranged, low=10, high=20)
    scenario.realize(plain, {1: 15, 2: 30, 3: 20, 4: 20})
    return plain, ranged


# --- denial, for every endpoint -----------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2])
def test_anonymous_callers_get_401_everywhere(client, agency, planned, index):
    assert client.get(endpoints(agency.code)[index]).status_code == 401
    assert client.get("/api/v1/agencies").status_code == 401


@pytest.mark.parametrize("index", [0, 1, 2])
def test_another_agencys_user_gets_404_everywhere(client, agency, planned, outsider, index):
    client.force_login(outsider)

    response = client.get(endpoints(agency.code)[index])

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("index", [0, 1, 2])
def test_a_missing_agency_answers_exactly_like_a_forbidden_one(client, member, agency, index):
    client.force_login(member)
    other = AgencyFactory()

    missing = client.get(endpoints("no-such-agency")[index])
    forbidden = client.get(endpoints(other.code)[index])

    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_a_revoked_token_gets_401_everywhere(client, agency, planned, member, bearer, index):
    from kinerja.api.services import api_token_revoke

    assert client.get(endpoints(agency.code)[index], headers=bearer).status_code == 200
    api_token_revoke(username=member.username, name="dasbor")

    assert client.get(endpoints(agency.code)[index], headers=bearer).status_code == 401


def test_the_agency_list_holds_only_visible_agencies(client, agency, other_agency, member):
    client.force_login(member)

    codes = [item["code"] for item in client.get("/api/v1/agencies").json()]

    assert codes == [agency.code]


def test_a_government_administrator_lists_every_agency_of_the_government(client, agency):
    sibling = AgencyFactory(government=agency.government)
    AgencyFactory()  # another government
    client.force_login(UserFactory(administered_government=agency.government))

    codes = {item["code"] for item in client.get("/api/v1/agencies").json()}

    assert codes == {agency.code, sibling.code}


# --- content ------------------------------------------------------------------------


def test_agency_detail(client, member, agency, planned):
    agency.achievement_cap = "120.00"
    agency.save()
    client.force_login(member)

    body = client.get(f"/api/v1/agencies/{agency.code}").json()

    assert body["code"] == agency.code
    assert body["name"] == agency.name
    assert body["government"]["code"] == agency.government.code
    assert body["achievement_cap"] == "120"
    units = {unit["code"]: unit for unit in body["units"]}
    assert units["bidang-koperasi"]["name"] == "Bidang Koperasi"


def test_indicators_with_their_targets(client, member, agency, planned):
    client.force_login(member)

    response = client.get(f"/api/v1/agencies/{agency.code}/indicators", {"year": 2025})

    assert response.status_code == 200
    plain, ranged = response.json()
    assert plain["code"] == "IK-1"
    assert plain["is_key"] is True
    assert plain["polarity"] == "higher"
    assert plain["aggregation"] == "cumulative"
    assert plain["unit_of_measure"] == "%"
    assert plain["objective"] == {
        "code": "SS-1",
        "statement": "Koperasi sehat",
        "level": "strategis",
    }
    assert plain["responsible_unit"] == {"code": "bidang-koperasi", "name": "Bidang Koperasi"}
    assert plain["annual_target"] == {"value": "70.5", "low": None, "high": None}
    assert plain["agreement_target"] == {
        "value": "75",
        "low": None,
        "high": None,
        "agreement_version": 1,
        "effective_date": "2025-01-02",
        "status": "signed",
    }
    assert [(q["quarter"], q["value"]) for q in plain["quarterly_targets"]] == [
        (1, "15"),
        (2, "20"),
        (3, "20"),
        (4, "20"),
    ]
    assert ranged["polarity"] == "range"
    assert ranged["annual_target"] is None
    assert ranged["agreement_target"]["low"] == "10"
    assert ranged["agreement_target"]["high"] == "20"
    assert ranged["quarterly_targets"] == []


def test_indicators_of_a_year_outside_the_renstra_are_empty(client, member, agency, planned):
    client.force_login(member)

    response = client.get(f"/api/v1/agencies/{agency.code}/indicators", {"year": 2030})

    assert response.json() == []


def test_achievement_for_the_year(client, member, agency, planned):
    client.force_login(member)

    response = client.get(f"/api/v1/agencies/{agency.code}/achievement", {"year": 2025})

    assert response.status_code == 200
    body = response.json()
    assert (body["agency"], body["year"], body["period"]) == (agency.code, 2025, "annual")
    assert body["rating_scale"][0] == {"min": "91", "label": "Sangat Tinggi"}
    [objective] = body["objectives"]
    plain, ranged = objective["indicators"]
    assert plain == {
        "code": "IK-1",
        "name": "Persentase koperasi sehat",
        "unit_of_measure": "%",
        "is_key": True,
        "target": {"value": "75", "low": None, "high": None},
        "target_source": "pk",
        "realization": "85",
        "achievement": "113.33",
        "achievement_display": "113,33%",
        "status": "computed",
        "rating": "Sangat Tinggi",
    }
    assert ranged["target"] == {"value": None, "low": "10", "high": "20"}
    assert ranged["achievement"] is None
    assert ranged["achievement_display"] == "tidak dapat dihitung"
    assert ranged["status"] == "no_realization"
    assert ranged["rating"] is None
    assert objective["code"] == "SS-1"
    assert objective["achievement"] == "113.33"
    assert objective["rating"] == "Sangat Tinggi"
    assert body["not_computable"] == 1
    assert {"label": "Sangat Tinggi", "count": 1} in body["rating_counts"]


def test_achievement_for_a_quarter_and_a_semester(client, member, agency, planned):
    client.force_login(member)
    url = f"/api/v1/agencies/{agency.code}/achievement"

    tw2 = client.get(url, {"year": 2025, "period": "tw2"}).json()
    s1 = client.get(url, {"year": 2025, "period": "S1"}).json()

    tw2_row = tw2["objectives"][0]["indicators"][0]
    s1_row = s1["objectives"][0]["indicators"][0]
    assert (tw2["period"], tw2_row["target_source"]) == ("tw2", "rencana_aksi")
    assert (tw2_row["target"]["value"], tw2_row["realization"]) == ("20", "30")
    assert tw2_row["achievement"] == "150.00"
    assert (s1_row["target"]["value"], s1_row["realization"], s1_row["achievement"]) == (
        "35",
        "45",
        "128.57",
    )


def test_achievement_uses_the_governments_scale(client, member, agency, planned):
    RatingScale.objects.create(
        government=agency.government,
        year=2025,
        bands=[{"min": "120", "label": "Istimewa"}, {"min": "0", "label": "Biasa"}],
    )
    client.force_login(member)

    body = client.get(f"/api/v1/agencies/{agency.code}/achievement", {"year": 2025}).json()

    assert body["objectives"][0]["indicators"][0]["rating"] == "Biasa"
    assert [band["label"] for band in body["rating_scale"]] == ["Istimewa", "Biasa"]


def test_achievement_defaults_to_the_year_with_data(client, member, agency, planned):
    client.force_login(member)

    with time_machine.travel(datetime.date(2026, 5, 1)):
        body = client.get(f"/api/v1/agencies/{agency.code}/achievement").json()

    assert (body["year"], body["period"]) == (2025, "annual")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "tw5"}, "period"),
        ({"year": "1800"}, "year"),
        ({"year": "dua ribu"}, "year"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(client, member, agency, params, field):
    client.force_login(member)

    response = client.get(f"/api/v1/agencies/{agency.code}/achievement", params)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert list(body["errors"]) == [field]


def test_bad_year_on_indicators_gets_422(client, member, agency):
    client.force_login(member)

    response = client.get(f"/api/v1/agencies/{agency.code}/indicators", {"year": "3000"})

    assert response.status_code == 422
    assert "year" in response.json()["errors"]


@pytest.mark.parametrize("size", [1, 5])
def test_achievement_takes_a_constant_number_of_queries(
    client, agency, bearer, size, django_assert_max_num_queries
):
    scenario.planned_agency(agency, indicators=size, objectives=size)
    url = f"/api/v1/agencies/{agency.code}/achievement?year=2025"

    with django_assert_max_num_queries(11):
        response = client.get(url, headers=bearer)

    assert len(response.json()["objectives"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_indicators_take_a_constant_number_of_queries(
    client, agency, bearer, size, django_assert_max_num_queries
):
    scenario.planned_agency(agency, indicators=size, objectives=size)
    url = f"/api/v1/agencies/{agency.code}/indicators?year=2025"

    with django_assert_max_num_queries(9):
        response = client.get(url, headers=bearer)

    assert len(response.json()) == size * size
