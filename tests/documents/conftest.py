"""Each test stores its files in its own MEDIA_ROOT, so "nothing left behind" can be checked."""

import pytest

from kinerja.organizations.access import scope_for
from kinerja.organizations.models import RoleKey
from tests.factories import staff


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def member(agency):
    """A staff member of `agency`: may add and read its documents."""
    return staff(agency=agency, role_key=RoleKey.STAF)


@pytest.fixture
def member_scope(member):
    return scope_for(member)


@pytest.fixture
def outsider(other_agency):
    """A staff member of an agency of another government."""
    return staff(agency=other_agency, role_key=RoleKey.STAF)


@pytest.fixture
def outsider_scope(outsider):
    return scope_for(outsider)
