"""Shared fixtures. Database tests use pytest-django's `db` fixture; no mocked database."""

import pytest

from tests.factories import AgencyFactory, GovernmentFactory


@pytest.fixture
def government(db):
    return GovernmentFactory()


@pytest.fixture
def agency(government):
    return AgencyFactory(government=government)


@pytest.fixture
def other_agency(db):
    """An agency of another government: never visible to the `agency` users."""
    return AgencyFactory()
