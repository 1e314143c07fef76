"""League tables people can work with, in headless Chromium against a live `oversight serve`:
filter and sort by plain forms and links (also without JavaScript), search "RAJ" from the
header, compare two organisations, and the stacked cards of a 390 px phone keep their labels."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.functional.web.conftest import (
    FIRST_OPEN_MS,
    Server,
    start_server,
    stop,
)
from tests.functional.web.test_browser import check_accessible
from tests.icb_store import build_icb_store

pytestmark = pytest.mark.browser
LEAGUE = "/2025-26-q4/league/mental_health_community.html"


@pytest.fixture(scope="module")
def find_server(national_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("find-served") / "find.duckdb"
    shutil.copyfile(national_store, db)
    build_icb_store(db)
    s = start_server(db)
    yield s
    stop(s.process)


def exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}\s*$")


def numbers(page: Page, selector: str) -> list[float]:
    cells = page.locator(selector)
    return [float(cells.nth(i).inner_text().split()[0]) for i in range(cells.count())]


def test_league_find_filter_sort_search_compare(
    browser: Browser, find_server: Server, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    page.goto(find_server.url + LEAGUE)
    rows = page.locator("#league-table tbody tr")
    expect(rows).to_have_count(61)

    # filter by region through the form
    page.locator("#f-region").select_option("London")
    page.locator("#apply-filters").click()
    assert "region=London" in page.url
    twin = page.request.get(find_server.url + LEAGUE.replace(".html", ".json") + "?region=London")
    london = twin.json()["rows"]
    expect(rows).to_have_count(len(london))
    check_accessible(page, "find-1-filtered", artifacts)

    # sort by average score, then the other way round, by the column's link
    page.locator('th[data-column="average_score"] a').click()
    expect(page.locator('th[data-column="average_score"]')).to_have_attribute(
        "aria-sort", "ascending"
    )
    ascending = numbers(page, "#league-table tbody td.ov-average")
    assert ascending == sorted(ascending) and len(ascending) == len(london)
    page.locator('th[data-column="average_score"] a').click()
    expect(page.locator('th[data-column="average_score"]')).to_have_attribute(
        "aria-sort", "descending"
    )
    assert numbers(page, "#league-table tbody td.ov-average") == sorted(ascending, reverse=True)
    assert "region=London" in page.url  # sorting keeps the filter

    # compare two organisations ticked in the table
    page.locator("#clear-filters").click()
    page.locator("#cmp-RX3").check()
    page.locator("#cmp-RXT").check()
    page.locator("#compare-selected").click()
    expect(page.locator("h1")).to_have_text("Compare organisations")
    expect(page.locator("#compare-standing tbody tr")).to_have_count(2)
    expect(page.locator("#compare-metrics thead th")).to_have_count(3)
    check_accessible(page, "find-2-compare", artifacts)

    # one search from the header finds an acute trust by its ODS code
    page.locator("#search-field").fill("RAJ")
    page.locator("#search-field").press("Enter")
    # exact: the result also links the trust's services ("Services of Mid and South ...")
    link = page.get_by_role("link", name="Mid and South Essex NHS Foundation Trust", exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#org-RAJ")).to_be_visible()
    assert "/public/2025-26-q1/league/acute.html" in page.url
    context.close()


def test_league_find_without_javascript_and_on_a_phone(
    browser: Browser, find_server: Server, artifacts: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    page.goto(find_server.url + LEAGUE)
    page.locator("#f-segment").select_option("2")
    page.locator("#apply-filters").click()
    assert "segment=2" in page.url
    tags = page.locator("#league-table tbody tr .nhsuk-tag")
    assert tags.count() > 0
    assert all("Segment 2" in tags.nth(i).inner_text() for i in range(tags.count()))

    # stacked cards: every cell of a row shows what it is
    first = page.locator("#league-table tbody tr").first
    for label in ("Rank", "Organisation", "Segment", "Average score", "Likely rank"):
        heading = first.locator(".nhsuk-table-responsive__heading", has_text=exactly(label))
        expect(heading).to_be_visible()
    page.screenshot(path=str(artifacts / "find-3-phone.png"), full_page=True)
    context.close()
