"""Users and clients for the API tests: session, bearer token, anonymous."""

import pytest

from kinerja.api.services import api_token_create
from kinerja.organizations.models import RoleKey
from tests.factories import staff


@pytest.fixture
def member(agency):
    return staff(agency=agency, role_key=RoleKey.PEMEGANG_DATA)


@pytest.fixture
def outsider(other_agency):
    """A Kepala Dinas of an agency of another government."""
    return staff(agency=other_agency, role_key=RoleKey.KEPALA_DINAS)


@pytest.fixture
def token(member):
    return api_token_create(username=member.username, name="dasbor").key


@pytest.fixture
def bearer(token):
    return {"Authorization": f"Bearer {token}"}
