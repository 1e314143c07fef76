"""A provider's services page in headless Chromium against a live `oversight serve`, at a
desktop (1280 px) and a phone (390 px) width: its parts' table is shown, the page does not
scroll sideways (the table scrolls in its own region), it passes axe-core, and the month form
(a GET form, no script needed) shows the month chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.functional.web.conftest import FIRST_OPEN_MS, Server
from tests.functional.web.test_browser import check_accessible

pytestmark = pytest.mark.browser

CODE = "RAJ"  # an acute trust with A&E department types in the served store


@pytest.mark.parametrize("width", [1280, 390])
def test_services_page_and_month_form(
    browser: Browser, server: Server, artifacts: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/services/{CODE}.html")
        split = page.locator('[data-split="ae_department_type"]')
        expect(split.locator('tr[data-part="whole"]')).to_be_visible()
        expect(split.locator("[data-drives]")).not_to_be_empty()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow} px at {width} px"
        check_accessible(page, f"services-{width}", artifacts)
        months = page.locator("#month option").evaluate_all("o => o.map(e => e.value)")
        chosen = months[2]  # an earlier month than the latest
        page.locator("#month").select_option(chosen)
        page.locator("#month-picker").get_by_role("button", name="Show").click()
        page.wait_for_url(f"**/services/{CODE}.html?month={chosen}")
        expect(page.locator("#month")).to_have_value(chosen)
        twin = page.request.get(f"{server.url}/api/v1/services/{CODE}/all?month={chosen}").json()
        assert [s["month"] for s in twin["splits"]] == [chosen] * len(twin["splits"])
        shown = page.locator('[data-split="ae_department_type"] tr[data-part]').count()
        assert shown == len(twin["splits"][0]["parts"])
    finally:
        context.close()
