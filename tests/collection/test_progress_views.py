"""The completeness and timeliness pages through the test client."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.collection.models import Collection
from kinerja.core.templatetags.kinerja_format import tanggal
from kinerja.organizations.models import Agency, RoleKey
from tests.collection.test_progress import (
    PERIOD,
    YEAR,
    play,
    progress_world,
    walk_to_unit_step,
)
from tests.factories import AgencyFactory, OrgUnitFactory, UserFactory, staff


@pytest.fixture
def english(client, settings):
    """Pages in English, so assertions compare the msgids whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def played(agency):
    pw = progress_world(agency)
    play(pw)
    return pw


def page(collection: Collection) -> str:
    return reverse("collection:progress", args=[collection.pk])


def government_page(government) -> str:
    return reverse("collection:government_progress", args=[government.pk])


def planner(pw):
    return pw.world.small.kasubbag.user


class TestCollectionPage:
    def test_every_unit_with_its_figures(self, client, played):
        client.force_login(planner(played))

        response = client.get(page(played.collection))

        assert response.status_code == 200
        text = response.text
        assert text.count('data-testid="progress-unit"') == 3
        for code, timeliness in (
            ("bidang-a", "on_time"),
            ("bidang-b", "late"),
            ("upt-c", "pending"),
        ):
            assert f'data-unit="{code}" data-timeliness="{timeliness}"' in text
        assert '<div class="stat" data-testid="total-percent">75,0%</div>' in text
        assert 'data-testid="total-submitted">2 / 3<' in text
        assert 'data-testid="unit-percent">100,0%<' in text
        assert 'data-testid="unit-percent">0,0%<' in text
        assert text.count('data-filled="yes"') == 3
        assert text.count('data-filled="no"') == 1
        assert played.world.data_holder.name in text

    def test_deadlines_in_indonesian_in_the_agency_time_zone(self, client, played):
        client.force_login(planner(played))

        text = client.get(page(played.collection)).text

        zone = ZoneInfo(played.agency.government.time_zone)
        for worksheet in played.collection.worksheets.all():
            with translation.override("id"):
                assert tanggal(timezone.localtime(worksheet.deadline, zone), "j F Y H:i") in text

    def test_a_unit_is_drilled_down_with_its_link(self, client, played):
        bidang_b = played.units[1]
        client.force_login(planner(played))

        text = client.get(page(played.collection), {"unit": bidang_b.pk}).text

        assert text.count("<details") == 3
        assert text.count('data-testid="unit-details" open') == 1
        opened = text.index('data-testid="unit-details" open')
        assert text.rindex('data-unit="', 0, opened) == text.index('data-unit="bidang-b"')
        assert f"?unit={bidang_b.pk}#unit-{bidang_b.pk}" in text

    def test_a_unit_that_is_not_on_the_page_is_404(self, client, played, other_agency):
        client.force_login(planner(played))
        elsewhere = OrgUnitFactory(agency=other_agency)

        assert client.get(page(played.collection), {"unit": "abc"}).status_code == 404
        assert client.get(page(played.collection), {"unit": elsewhere.pk}).status_code == 404

    def test_the_sop_step_of_each_unit(self, client, agency, english):
        pw = progress_world(agency, sop=True)
        walk_to_unit_step(pw.collection)
        client.force_login(planner(pw))

        text = client.get(page(pw.collection)).text

        assert text.count('data-step="3" data-own="yes"') == 3
        assert "step 3: Mengisi data kinerja" in text
        assert reverse("workflow:process", args=[pw.collection.process_id]) in text

    def test_a_unit_head_sees_only_their_line(self, client, played, english):
        client.force_login(played.world.small.unit_heads[1].user)

        response = client.get(page(played.collection))

        assert response.status_code == 200
        assert response.text.count('data-testid="progress-unit"') == 1
        assert 'data-unit="bidang-b"' in response.text
        assert 'data-testid="progress-limited"' in response.text

    def test_a_unit_head_may_not_drill_into_another_unit(self, client, played):
        client.force_login(played.world.small.unit_heads[1].user)

        response = client.get(page(played.collection), {"unit": played.units[0].pk})

        assert response.status_code == 404

    def test_agency_staff_without_a_worksheet_get_404(self, client, played):
        client.force_login(staff(agency=played.agency, role_key=RoleKey.STAF))

        assert client.get(page(played.collection)).status_code == 404

    def test_another_agency_gets_404(self, client, played, other_agency):
        client.force_login(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))

        assert client.get(page(played.collection)).status_code == 404

    def test_anonymous_goes_to_the_login(self, client, played):
        response = client.get(page(played.collection))

        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    @pytest.mark.parametrize(("units", "rows"), [(0, 0), (5, 4)])
    def test_queries_do_not_grow(self, client, agency, units, rows, django_assert_max_num_queries):
        pw = progress_world(agency, sop=True, extra_units=units, extra_rows=rows)
        walk_to_unit_step(pw.collection)
        client.force_login(planner(pw))

        with django_assert_max_num_queries(14):  # 12 today: session, user, scope, menu, page
            response = client.get(page(pw.collection))

        assert response.text.count('data-testid="progress-unit"') == 3 + units


@pytest.fixture
def gov(government, played):
    second = progress_world(AgencyFactory(government=government, name="Dinas Kedua"))
    idle = AgencyFactory(government=government, name="Dinas Ketiga")
    bappeda = AgencyFactory(
        government=government, name="BAPPEDA", kind=Agency.Kind.BADAN, is_coordinating=True
    )
    return {"played": played, "second": second, "idle": idle, "bappeda": bappeda}


class TestGovernmentPage:
    def test_the_administrator_sees_every_agency_and_opens_started_collections(
        self, client, government, gov
    ):
        client.force_login(UserFactory(administered_government=government))

        response = client.get(government_page(government), {"year": YEAR, "period": PERIOD})

        assert response.status_code == 200
        text = response.text
        assert text.count('data-testid="progress-agency"') == 4
        assert text.count('data-status="not_started"') == 2
        assert 'data-testid="total-started">2 / 4<' in text
        for started in ("played", "second"):
            assert reverse("collection:progress", args=[gov[started].collection.pk]) in text

    def test_defaults_to_the_working_year_and_the_latest_period(self, client, government, gov):
        client.force_login(UserFactory(administered_government=government))

        text = client.get(government_page(government)).text

        assert f'name="year" min="2000" max="2100" value="{YEAR}"' in text
        assert f'<option value="{PERIOD}" selected>' in text
        assert text.count('data-status="draft"') == 2

    def test_coordinating_staff_see_counts_without_links(self, client, government, gov):
        client.force_login(staff(agency=gov["bappeda"], role_key=RoleKey.STAF))

        response = client.get(government_page(government), {"year": YEAR, "period": PERIOD})

        assert response.status_code == 200
        text = response.text
        assert text.count('data-testid="progress-agency"') == 4
        assert reverse("collection:progress", args=[gov["played"].collection.pk]) not in text
        assert "/kertas-kerja/" not in text
        assert gov["played"].world.data_holder.name not in text

    def test_another_period_shows_every_agency_not_started(self, client, government, gov):
        client.force_login(staff(agency=gov["bappeda"], role_key=RoleKey.STAF))

        text = client.get(government_page(government), {"year": YEAR, "period": "tw4"}).text

        assert text.count('data-status="not_started"') == 4

    def test_a_bad_year_or_period_says_why(self, client, government, gov, english):
        client.force_login(UserFactory(administered_government=government))

        bad_year = client.get(government_page(government), {"year": "20x5"})
        bad_period = client.get(government_page(government), {"period": "tw9"})

        assert bad_year.status_code == bad_period.status_code == 400
        assert "The year must be a number" in bad_year.text
        assert "Choose a period" in bad_period.text

    def test_staff_of_a_non_coordinating_agency_get_404(self, client, government, gov):
        for user in (planner(gov["played"]), gov["played"].world.small.kadis.user):
            client.force_login(user)
            assert client.get(government_page(government)).status_code == 404

    def test_another_governments_administrator_gets_404(self, client, government, gov):
        client.force_login(UserFactory(administered_government=AgencyFactory().government))

        assert client.get(government_page(government)).status_code == 404

    def test_anonymous_goes_to_the_login(self, client, government, gov):
        response = client.get(government_page(government))

        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    @pytest.mark.parametrize("agencies", [1, 4])
    def test_queries_do_not_grow(self, client, government, agencies, django_assert_max_num_queries):
        for _number in range(agencies):
            play(progress_world(AgencyFactory(government=government)))
            AgencyFactory(government=government)
        client.force_login(UserFactory(administered_government=government))

        with django_assert_max_num_queries(12):  # 10 today
            response = client.get(government_page(government))

        assert response.text.count('data-testid="progress-agency"') == 2 * agencies
