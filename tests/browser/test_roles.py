"""Three roles log in through a real browser, see their own dashboards, and are kept out
of another agency's Perjanjian Kinerja."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kinerja.planning.models import PerformanceAgreement
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

ROLES = [
    # username, role key shown on the dashboard, agency code of their own agency
    ("kadis.sulteng", "kepala_dinas"),
    ("kasubbag.sulteng", "kasubbag_program"),
    ("pemegangdata.pematangsiantar", "pemegang_data"),
]


def agreement_of(agency_name_part: str) -> PerformanceAgreement:
    return (
        PerformanceAgreement.objects.filter(position__agency__name__icontains=agency_name_part)
        .order_by("pk")
        .first()
    )


@pytest.mark.parametrize(("username", "role_key"), ROLES)
def test_each_role_sees_its_own_dashboard_and_not_another_agencys_pk(
    demo, new_page, username, role_key
):
    page = new_page()
    log_in(page, username)

    expect(page.get_by_test_id("dashboard-role")).to_have_attribute("data-role", role_key)
    expect(page.get_by_test_id("current-user")).not_to_be_empty()

    own_is_sulteng = username.endswith(".sulteng")
    own = agreement_of("Sulawesi Tengah" if own_is_sulteng else "Pematangsiantar")
    other = agreement_of("Pematangsiantar" if own_is_sulteng else "Sulawesi Tengah")
    assert own is not None and other is not None

    response = page.goto(reverse("planning:agreement_detail", args=[own.pk]))
    assert response is not None and response.status == 200
    expect(page.locator("body")).to_contain_text(str(own.year))

    response = page.goto(reverse("planning:agreement_detail", args=[other.pk]))
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(other.holder.name)
