import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Assertions compare the English msgids, whatever the catalogue holds."""
    with translation.override("en"):
        yield
