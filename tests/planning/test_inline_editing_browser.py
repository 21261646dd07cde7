"""The Rencana Aksi grid in a browser: click a quarter, type "1.234,5", Enter or leave saves."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kinerja.planning.models import QuarterlyTarget
from tests.browser.support import log_in
from tests.planning.world import build_world, draft_agreement

pytestmark = pytest.mark.browser


def test_a_quarter_is_edited_inline(transactional_db, agency, new_page):
    world = build_world(agency)
    line = draft_agreement(world, lines={world.cumulative: Decimal("5000")}).lines.get()
    page = new_page()
    log_in(page, world.unit_head.user.username, "rahasia-123")
    page.goto(reverse("planning:agreement_detail", args=[line.agreement_id]))

    page.locator(f"#ra-{line.pk}-1 .ra-value").click()
    page.locator(f"#ra-{line.pk}-1 input[name=value]").fill("1.234,5")
    page.keyboard.press("Enter")
    expect(page.locator(f"#ra-{line.pk}-1 .ra-value")).to_have_text("1.234,5")

    page.locator(f"#ra-{line.pk}-2 .ra-value").click()
    page.locator(f"#ra-{line.pk}-2 input[name=value]").fill("seribu")
    page.locator("h1").click()  # leaving the field saves it
    expect(page.locator(f"#ra-{line.pk}-2 [data-testid=ra-cell-error]")).to_be_visible()

    page.locator(f"#ra-{line.pk}-2 input[name=value]").fill("1.000")
    page.keyboard.press("Enter")
    expect(page.locator(f"#ra-{line.pk}-2 .ra-value")).to_have_text("1.000")
    expect(page.locator(f"#ra-row-{line.pk} [data-testid=ra-problems]")).to_contain_text("TW III")

    values = dict(QuarterlyTarget.objects.filter(line=line).values_list("quarter", "value"))
    assert values == {1: Decimal("1234.5"), 2: Decimal("1000")}
