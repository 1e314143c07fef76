"""Issue 15's plots in headless Chromium against a live `oversight serve`: the moves page's
slope chart and the improvement page's scatter are drawn, reached from the league table, and
pass axe-core; each page's JSON twin has the numbers drawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.functional.web.conftest import FIRST_OPEN_MS, Server
from tests.functional.web.test_browser import check_accessible

pytestmark = pytest.mark.browser

LEAGUE = "/2025-26-q4/league/mental_health_community.html"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(FIRST_OPEN_MS)
    p = context.new_page()
    p.set_default_timeout(120_000)  # the first moves are computed on request
    yield p
    context.close()


def test_slope_chart_and_scatter_are_drawn(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + LEAGUE)
    page.locator("#league-moves").get_by_role("link", name="Every move").click()
    moves = page.request.get(page.url.replace(".html", ".json")).json()["moves"]
    assert page.locator("#moves-slope svg line").count() >= len(moves)
    assert page.locator("#moves-table tbody tr").count() == len(moves)
    check_accessible(page, "moves", artifacts)
    page.goto(server.url + LEAGUE)
    page.locator("#league-moves").get_by_role("link", name="improvement beside position").click()
    rows = page.request.get(page.url.replace(".html", ".json")).json()["organisations"]
    ranked = [r for r in rows if r["improvement_rank"] is not None]
    assert page.locator("#improvement-scatter svg circle").count() == len(ranked)
    check_accessible(page, "improvement", artifacts)
