"""Shared fixtures. Database tests use pytest-django's `db` fixture; no mocked database.

Browser tests: Playwright (sync API) driving Debian's /usr/bin/chromium against
pytest-django's live server. Never `playwright install`: the browser comes from
the Debian package, which the test command installs when missing. The browser
fixture is session-wide and defined only here (one Playwright per process).
"""

import os

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from kinerja.demo.loader import load_demo
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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make there (loading the demo, looking up ids) are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (./dev test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The whole demo, loaded into the live server's database for one test."""
    return load_demo(stdout=None)


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (own cookies) per user; closed after the test."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
