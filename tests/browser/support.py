"""Helpers for the Playwright tests (the fixtures live in tests/conftest.py)."""

from playwright.sync_api import Page

from kinerja.demo.loader import DEMO_PASSWORD


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)
