"""An agency with its organiser, a planner, a staff member, and an agency of another government."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.factories import AgencyFactory, UserFactory, staff


@pytest.fixture(autouse=True)
def english():
    """Assertions compare the English msgids, whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A browser whose user chose English (the site's default language is Indonesian)."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def organizer(agency):
    """Kasubbag (Umum) of `agency`: manages its organisation."""
    return staff(agency=agency, role_key=RoleKey.KASUBBAG)


@pytest.fixture
def organizer_scope(organizer):
    return scope_for(organizer)


@pytest.fixture
def planner(agency):
    """Kasubbag Program of `agency`: plans with the organisation but may not change it."""
    return staff(agency=agency, role_key=RoleKey.KASUBBAG_PROGRAM)


@pytest.fixture
def planner_scope(planner):
    return scope_for(planner)


@pytest.fixture
def clerk(agency):
    """A staff member of `agency`: reads, changes nothing."""
    return staff(agency=agency, role_key=RoleKey.STAF)


@pytest.fixture
def clerk_scope(clerk):
    return scope_for(clerk)


@pytest.fixture
def outsider(other_agency):
    """The organiser (Kasubbag) of an agency of another government."""
    return staff(agency=other_agency, role_key=RoleKey.KASUBBAG)


@pytest.fixture
def outsider_scope(outsider):
    return scope_for(outsider)


@pytest.fixture
def admin_scope(agency):
    return scope_for(UserFactory(administered_government=agency.government))


@pytest.fixture
def superuser_scope(db):
    return scope_for(UserFactory(is_superuser=True, is_staff=True))


@pytest.fixture
def sibling_agency(agency):
    """Another agency of the same government."""
    return AgencyFactory(government=agency.government)
