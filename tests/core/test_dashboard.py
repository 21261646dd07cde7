"""The dashboard differs per role: agency planners, unit roles, administrators, coordinators."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kinerja.organizations.access import scope_for
from kinerja.organizations.dashboard import (
    GOVERNMENT_ADMIN,
    NO_ROLE,
    SUPERUSER,
    _newest_agreement_statuses,
    dashboard_for,
)
from kinerja.organizations.models import Assignment, RoleKey
from kinerja.planning.models import PerformanceAgreement
from tests.factories import (
    AgencyFactory,
    AnnualTargetFactory,
    AssignmentFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PerformanceAgreementFactory,
    PositionFactory,
    StrategicPlanFactory,
    UserFactory,
    staff,
)

DAY = datetime.date(2025, 6, 16)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_2025_in_english():
    """A fixed day, and the English msgids whatever the catalogue holds."""
    moment = datetime.datetime(2025, 6, 16, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), translation.override("en"):
        yield


@pytest.fixture
def client():
    """A browser whose user chose English (the site's default language is Indonesian)."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def board_of(user):
    return dashboard_for(scope=scope_for(user, day=DAY), day=DAY)


def populate(agency, size=1):
    """Units with a held, an acting and a vacant position; indicators and PKs of 2025."""
    plan = StrategicPlanFactory(agency=agency)
    objective = ObjectiveFactory(plan=plan)
    units = []
    for _ in range(size):
        unit = OrgUnitFactory(agency=agency)
        units.append(unit)
        held = AssignmentFactory(position=PositionFactory(agency=agency, unit=unit)).position
        AssignmentFactory(position=PositionFactory(agency=agency, unit=unit), kind="plt")
        PositionFactory(agency=agency, unit=unit)
        indicator = IndicatorFactory(objective=objective, responsible_unit=unit)
        AnnualTargetFactory(indicator=indicator, year=2025)
        signed = PerformanceAgreementFactory(position=held, status="signed")
        PerformanceAgreementFactory(
            position=held, version=2, supersedes=signed, status="draft", holder=signed.holder
        )
    return units


@pytest.mark.parametrize(
    "role",
    [RoleKey.KEPALA_DINAS, RoleKey.SEKRETARIS, RoleKey.KASUBBAG_PROGRAM, RoleKey.FUNGSIONAL_UMUM],
)
def test_agency_planners_get_the_agency_summary(agency, role):
    populate(agency)
    board = board_of(staff(agency=agency, role_key=role))
    assert board.role == role
    assert board.agency == agency
    summary = board.agency_summary
    assert summary is not None
    assert (summary.units, summary.positions, summary.filled, summary.vacant, summary.acting) == (
        1,
        4,  # three in the unit and the user's own
        3,
        1,
        1,
    )
    assert summary.indicators == 1
    # the PK Perubahan (draft v2) is the current one; the signed v1 is history
    assert (summary.agreements, summary.agreements_signed, summary.agreements_draft) == (1, 0, 1)
    assert board.unit_indicators == []


@pytest.mark.parametrize("role", [RoleKey.KEPALA_BIDANG, RoleKey.KEPALA_UPT, RoleKey.PEMEGANG_DATA])
def test_unit_roles_get_their_unit_indicators_with_this_years_target(agency, role):
    bidang, other = populate(agency, size=2)
    seksi = OrgUnitFactory(agency=agency, parent=bidang, kind="seksi")
    plan = agency.strategic_plans.get()
    seksi_indicator = IndicatorFactory(objective__plan=plan, responsible_unit=seksi)
    user = staff(agency=agency, role_key=role, unit=bidang)
    board = board_of(user)
    assert board.role == role
    assert board.units == [bidang]
    assert board.agency_summary is None
    codes = {row.indicator.code for row in board.unit_indicators}
    assert seksi_indicator.code in codes
    assert not codes & set(other.indicators.values_list("code", flat=True))
    targets = {row.indicator.pk: row.target for row in board.unit_indicators}
    assert targets[seksi_indicator.pk] is None
    bidang_indicator = bidang.indicators.get()
    assert targets[bidang_indicator.pk].value == 80


def test_unit_roles_see_their_own_pk(agency):
    unit = OrgUnitFactory(agency=agency)
    user = staff(agency=agency, role_key=RoleKey.KEPALA_BIDANG, unit=unit)
    position = user.employee.assignments.get().position
    PerformanceAgreementFactory(position=position, holder=user.employee, year=2025)
    PerformanceAgreementFactory(position=position, holder=user.employee, year=2024)
    [agreement] = board_of(user).own_agreements
    assert agreement.year == 2025


def test_the_most_senior_role_decides_and_acting_duties_are_listed(agency):
    unit = OrgUnitFactory(agency=agency)
    user = staff(agency=agency, role_key=RoleKey.KEPALA_BIDANG, unit=unit)
    head = PositionFactory(agency=agency, role_key=RoleKey.KEPALA_DINAS, title="Kepala Dinas Uji")
    AssignmentFactory(
        employee=user.employee, position=head, kind=Assignment.Kind.PLT, start_date=DAY
    )
    board = board_of(user)
    assert board.role == RoleKey.KEPALA_DINAS
    assert board.agency_summary is not None
    assert [a.position for a in board.acting] == [head]


def test_a_government_admin_gets_every_agency_of_the_government(agency, other_agency):
    sibling = AgencyFactory(government=agency.government)
    populate(sibling, size=2)
    board = board_of(UserFactory(administered_government=agency.government))
    assert board.role == GOVERNMENT_ADMIN
    summaries = {s.agency: s for s in board.government_agencies}
    assert set(summaries) == {agency, sibling}
    assert summaries[sibling].positions == 6
    assert summaries[sibling].agreements_draft == 2


def test_a_superuser_gets_all_governments(agency, other_agency):
    AgencyFactory(government=agency.government, is_coordinating=True)
    board = board_of(UserFactory(is_superuser=True))
    assert board.role == SUPERUSER
    rows = {row.government: row for row in board.governments}
    assert set(rows) == {agency.government, other_agency.government}
    assert (rows[agency.government].agencies, rows[agency.government].coordinating) == (2, 1)


def test_coordinating_agency_staff_get_the_names_of_their_governments_agencies(
    agency, other_agency
):
    bappeda = AgencyFactory(government=agency.government, is_coordinating=True, name="BAPPEDA Uji")
    user = staff(agency=bappeda, role_key=RoleKey.STAF)
    board = board_of(user)
    assert board.coordination == sorted([agency, bappeda], key=lambda a: a.name)
    assert other_agency not in board.coordination
    assert board_of(staff(agency=agency, role_key=RoleKey.STAF)).coordination == []


def test_without_a_current_position_there_is_no_role(agency):
    user = staff(agency=agency, role_key=RoleKey.KEPALA_DINAS)
    Assignment.objects.filter(employee__user=user).update(end_date=datetime.date(2025, 1, 1))
    board = board_of(user)
    assert board.role == NO_ROLE
    assert board.agency_summary is None
    assert board_of(UserFactory()).role == NO_ROLE


# --- the page ----------------------------------------------------------------------------


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.text


def test_the_page_shows_the_role_and_the_planner_panels(client, agency):
    populate(agency)
    text = page(client, staff(agency=agency, role_key=RoleKey.KEPALA_DINAS))
    assert 'data-testid="dashboard-role" data-role="kepala_dinas"' in text
    assert "Dashboard: Head of Agency" in text
    assert 'data-testid="panel-agency"' in text
    assert 'data-testid="panel-unit"' not in text
    assert reverse("planning:agreement_list") in text
    assert reverse("planning:indicator_list") in text


def test_the_page_for_a_unit_head_shows_the_unit_and_links_to_achievement(client, agency):
    [unit] = populate(agency)
    text = page(client, staff(agency=agency, role_key=RoleKey.KEPALA_BIDANG, unit=unit))
    assert 'data-role="kepala_bidang"' in text
    assert 'data-testid="panel-unit"' in text
    assert 'data-testid="panel-agency"' not in text
    assert unit.indicators.get().name in text
    assert reverse("measurement:achievement") in text


def test_the_page_shows_acting_titles(client, agency):
    user = staff(agency=agency, role_key=RoleKey.STAF)
    position = PositionFactory(
        agency=agency, role_key=RoleKey.KEPALA_BIDANG, title="Kepala Bidang UKM"
    )
    AssignmentFactory(
        employee=user.employee,
        position=position,
        kind=Assignment.Kind.PLH,
        start_date=datetime.date(2025, 6, 10),
        end_date=datetime.date(2025, 6, 20),
    )
    text = page(client, user)
    assert "Plh. Kepala Bidang UKM" in text
    assert 'data-role="kepala_bidang"' in text


def test_the_page_for_a_government_admin_and_a_superuser(client, agency, other_agency):
    text = page(client, UserFactory(administered_government=agency.government))
    assert 'data-role="government_admin"' in text and agency.name in text
    assert other_agency.name not in text
    text = page(client, UserFactory(is_superuser=True))
    assert 'data-role="superuser"' in text and 'data-testid="panel-governments"' in text


def test_the_coordination_list_does_not_link_to_other_agencies(client, agency):
    bappeda = AgencyFactory(government=agency.government, is_coordinating=True)
    text = page(client, staff(agency=bappeda, role_key=RoleKey.KEPALA_DINAS))
    assert 'data-testid="panel-coordination"' in text
    assert agency.name in text
    assert reverse("organizations:agency_detail", args=[agency.pk]) not in text


def test_a_user_without_position_is_told_so(client, db):
    text = page(client, UserFactory())
    assert 'data-role="none"' in text and 'data-testid="no-position"' in text


def test_anonymous_users_are_sent_to_the_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("size", [1, 10])
def test_the_planner_dashboard_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_max_num_queries
):
    populate(agency, size=size)
    user = staff(agency=agency, role_key=RoleKey.KEPALA_DINAS)
    client.force_login(user)
    with django_assert_max_num_queries(13):
        client.get(reverse("dashboard"))


@pytest.mark.parametrize("size", [1, 10])
def test_the_unit_dashboard_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_max_num_queries
):
    units = populate(agency, size=size)
    for unit in units[1:]:
        unit.parent = units[0]
        unit.save()
    user = staff(agency=agency, role_key=RoleKey.KEPALA_BIDANG, unit=units[0])
    client.force_login(user)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("dashboard"))
    assert response.text.count('data-testid="unit-indicator"') == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_admin_dashboard_takes_a_constant_number_of_queries(
    client, agency, size, django_assert_max_num_queries
):
    for _ in range(size):
        populate(AgencyFactory(government=agency.government), size=2)
    client.force_login(UserFactory(administered_government=agency.government))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("dashboard"))
    assert response.text.count('data-testid="agency-summary"') == size + 1


def test_pk_status_counts_use_the_newest_version_only():
    signed, draft = PerformanceAgreement.Status.SIGNED, PerformanceAgreement.Status.DRAFT
    rows = [(1, 10, 1, signed), (1, 10, 2, draft), (1, 11, 1, signed), (2, 20, 1, draft)]
    assert _newest_agreement_statuses(rows) == {1: {draft: 1, signed: 1}, 2: {draft: 1}}


def test_another_year_can_be_chosen_and_nonsense_means_the_working_year(client, agency):
    user = staff(agency=agency, role_key=RoleKey.KEPALA_DINAS)
    position = user.employee.assignments.get().position
    PerformanceAgreementFactory(position=position, holder=user.employee, year=2024, status="signed")
    client.force_login(user)
    text = client.get(reverse("dashboard"), {"year": "2025"}).text
    assert "Year 2025" in text
    assert 'data-testid="agreements-signed">signed: 0' in text
    # 2025 has no PK yet, so the dashboard opens on 2024, the year being worked on.
    for nonsense in ("20x5", "1700", ""):
        text = client.get(reverse("dashboard"), {"year": nonsense}).text
        assert "Year 2024" in text
        assert 'data-testid="agreements-signed">signed: 1' in text


def test_a_planner_who_also_acts_in_a_unit_gets_the_agency_summary_only(agency):
    unit = OrgUnitFactory(agency=agency)
    user = staff(agency=agency, role_key=RoleKey.SEKRETARIS)
    AssignmentFactory(
        employee=user.employee,
        position=PositionFactory(agency=agency, unit=unit, role_key=RoleKey.KEPALA_BIDANG),
        kind=Assignment.Kind.PLT,
    )
    board = board_of(user)
    assert board.role == RoleKey.SEKRETARIS
    assert board.agency_summary is not None
    assert board.units == []
    assert [a.kind for a in board.acting] == [Assignment.Kind.PLT]


def test_staff_outside_any_unit_get_the_agency_summary_to_read(agency):
    board = board_of(staff(agency=agency, role_key=RoleKey.STAF))
    assert board.role == RoleKey.STAF
    assert board.agency_summary is not None
