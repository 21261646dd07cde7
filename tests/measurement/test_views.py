"""The Capaian page: filters, the htmx partial, Indonesian figures, denial, bad input, queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

from kinerja.organizations.models import RoleKey
from tests.api import scenario
from tests.factories import AgencyFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
URL = reverse("measurement:achievement")


@pytest.fixture
def member(agency):
    return staff(agency=agency, role_key=RoleKey.PEMEGANG_DATA)


@pytest.fixture
def client_in(client, member):
    client.force_login(member)
    return client


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_users_agency_for_the_year(client_in, agency):
    goal = scenario.objective(scenario.renstra(agency), code="SS-1", statement="Koperasi sehat")
    item = scenario.indicator(goal, code="IKU-1", name="Persentase koperasi sehat", is_key=True)
    scenario.pk_line(scenario.agreement(agency), item, target=75, quarterly=(20, 40, 60, 75))
    scenario.realize(item, {4: 85})

    response = client_in.get(URL, {"year": 2025})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert agency.name in html
    assert "Koperasi sehat" in html
    assert "Persentase koperasi sehat" in html
    assert "113,33%" in html
    assert 'class="badge rating-sangat-tinggi"' in html
    assert 'name="agency"' not in html  # one agency: no agency select
    assert 'value="annual" selected' in html
    assert 'value="2025" selected' in html


def test_the_period_selects_the_quarterly_target(client_in, agency):
    item = scenario.indicator(scenario.objective(scenario.renstra(agency)))
    scenario.pk_line(scenario.agreement(agency), item, target=100, quarterly=(10, 40, 25, 25))
    scenario.realize(item, {2: 30})

    response = client_in.get(URL, {"year": 2025, "period": "tw2"})

    html = response.content.decode()
    assert "75,00%" in html
    assert "rating-sedang" in html
    assert 'value="tw2" selected' in html


def test_not_computable_capaian_is_shown_as_text(client_in, agency):
    scenario.indicator(scenario.objective(scenario.renstra(agency)), annual_target=50)

    response = client_in.get(URL, {"year": 2025})

    html = response.content.decode()
    assert gettext("cannot be computed") in html
    assert gettext("no realisation yet") in html


def test_htmx_gets_only_the_table(client_in, agency):
    scenario.planned_agency(agency, indicators=1)

    response = client_in.get(URL, {"year": 2025, "period": "s2"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<section id="achievement-table"')
    assert "112,50%" in html


def test_the_default_year_follows_the_data(client_in, agency):
    scenario.planned_agency(agency, indicators=1)

    with time_machine.travel(datetime.date(2026, 3, 1)):
        response = client_in.get(URL)

    assert response.context["year"] == 2025
    assert response.context["period"] == "annual"
    assert response.context["table"].agency == agency


def test_several_agencies_get_an_agency_select(client, agency):
    sibling = AgencyFactory(government=agency.government)
    scenario.planned_agency(sibling, indicators=1)
    client.force_login(UserFactory(administered_government=agency.government))

    response = client.get(URL, {"agency": sibling.pk, "year": 2025})

    html = response.content.decode()
    assert 'name="agency"' in html
    assert f'value="{sibling.pk}" selected' in html
    assert response.context["table"].agency == sibling


def test_another_agency_is_not_found(client_in, other_agency):
    scenario.planned_agency(other_agency, indicators=1)

    response = client_in.get(URL, {"agency": other_agency.pk, "year": 2025})

    assert response.status_code == 404


def test_an_agency_that_does_not_exist_is_not_found(client_in):
    assert client_in.get(URL, {"agency": 987654}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "tw9"}, "period"),
        ({"year": "dua ribu"}, "year"),
        ({"year": "1850"}, "year"),
        ({"agency": "abc"}, "agency"),
    ],
)
def test_bad_parameters_get_a_message_not_an_error(client_in, agency, params, field):
    response = client_in.get(URL, params)

    assert response.status_code == 400
    assert field in response.context["errors"]
    assert f'data-field="{field}"' in response.content.decode()


def test_bad_parameters_over_htmx_still_swap_in_the_message(client_in, agency):
    response = client_in.get(URL, {"period": "x"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'data-field="period"' in response.content.decode()


def test_a_user_without_an_agency_is_told_so(client):
    client.force_login(UserFactory())

    response = client.get(URL)

    assert response.status_code == 200
    assert "agency" in response.context["errors"]
    assert response.context["table"] is None


def test_only_get_is_allowed(client_in):
    assert client_in.post(URL).status_code == 405


@pytest.mark.parametrize("size", [1, 5])
def test_the_page_takes_a_constant_number_of_queries(
    client_in, agency, size, django_assert_max_num_queries
):
    scenario.planned_agency(agency, indicators=size, objectives=size)

    with django_assert_max_num_queries(15):
        response = client_in.get(URL, {"year": 2025})

    assert response.context["table"].indicator_count == size * size


# --- admin ----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_shows_a_realisation_with_its_versions_read_only(admin_client, agency):
    item = scenario.planned_agency(agency, indicators=1)[0]
    scenario.realize(item, {4: 95})
    realization = item.realizations.get(quarter=4)

    page = admin_client.get(reverse("admin:measurement_realization_change", args=[realization.pk]))
    add = admin_client.get(reverse("admin:measurement_realization_add"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "95" in html and "90" in html  # current value and the replaced one
    assert 'name="_save"' not in html
    assert add.status_code == 403


def test_admin_rejects_a_malformed_rating_scale(admin_client, government):
    from kinerja.measurement.models import RatingScale

    url = reverse("admin:measurement_ratingscale_add")
    bad = admin_client.post(
        url, {"government": government.pk, "year": 2025, "bands": '[{"min": "x"}]'}
    )
    good = admin_client.post(
        url,
        {
            "government": government.pk,
            "year": 2025,
            "bands": '[{"min": "90", "label": "A"}, {"min": "0", "label": "B"}]',
        },
    )

    assert bad.status_code == 200
    assert "bands" in bad.context["adminform"].form.errors
    assert good.status_code == 302
    assert RatingScale.objects.get().bands[0] == {"min": "90", "label": "A"}
