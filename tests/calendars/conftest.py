"""A government with its administrator, a reader working in one of its agencies, and outsiders."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.factories import UserFactory, staff


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
def gov_admin(government):
    """Administers `government` (Biro Organisasi): may change its calendar."""
    return UserFactory(administered_government=government)


@pytest.fixture
def admin_scope(gov_admin):
    return scope_for(gov_admin)


@pytest.fixture
def reader(agency):
    """Kepala Dinas of an agency of `government`: sees the calendar, changes nothing."""
    return staff(agency=agency, role_key=RoleKey.KEPALA_DINAS)


@pytest.fixture
def reader_scope(reader):
    return scope_for(reader)


@pytest.fixture
def outsider(other_agency):
    """Works for another government: this government's calendar does not exist for them."""
    return staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS)


@pytest.fixture
def outsider_scope(outsider):
    return scope_for(outsider)


@pytest.fixture
def other_admin(other_agency):
    """Administers another government."""
    return UserFactory(administered_government=other_agency.government)


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)
