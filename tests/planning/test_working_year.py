"""Which years the planning and achievement pages offer and open on."""

import datetime

import pytest
import time_machine

from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from kinerja.planning.selectors import plan_years, working_year
from tests.api import scenario
from tests.factories import staff


@pytest.fixture
def scope(agency):
    return scope_for(staff(agency=agency, role_key=RoleKey.KEPALA_DINAS))


def test_years_offered_cover_the_renstra_and_pk_years(agency, scope):
    scenario.renstra(agency)
    scenario.agreement(agency, year=2027)

    assert plan_years(scope=scope, agencies=[agency]) == [
        2027,
        2026,
        2025,
        2024,
        2023,
        2022,
        2021,
    ]


def test_working_year_is_this_year_once_it_has_a_pk_else_the_latest_pk_year(agency, scope):
    scenario.agreement(agency, year=2024)
    scenario.agreement(agency, year=2025)

    with time_machine.travel(datetime.date(2025, 8, 1)):
        assert working_year(scope=scope, agencies=[agency]) == 2025
    with time_machine.travel(datetime.date(2026, 2, 1)):
        assert working_year(scope=scope, agencies=[agency]) == 2025
    scenario.agreement(agency, year=2026)
    with time_machine.travel(datetime.date(2026, 2, 1)):
        assert working_year(scope=scope, agencies=[agency]) == 2026


def test_years_and_working_year_ignore_agencies_outside_the_scope(agency, other_agency):
    outsider = scope_for(staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS))
    scenario.agreement(agency, year=2024)

    assert plan_years(scope=outsider, agencies=[agency]) == []
    with time_machine.travel(datetime.date(2026, 2, 1)):
        assert working_year(scope=outsider, agencies=[agency]) == 2026
