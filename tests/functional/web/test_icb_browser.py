"""The ICB pages in headless Chromium against a live `oversight serve`: from the ICB league
table to one ICB, its caveats, its metrics and its trusts, each linked to its own page where
there is one; checked with axe-core and against the JSON twin."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def icb_server(national_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("icb-served") / "icb.duckdb"
    shutil.copyfile(national_store, db)
    build_icb_store(db)
    s = start_server(db)
    yield s
    stop(s.process)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(FIRST_OPEN_MS)
    yield context.new_page()
    context.close()


def test_icb_table_to_icb_page(page: Page, icb_server: Server, artifacts: Path) -> None:
    page.goto(icb_server.url + "/icbs/2025-26-q1.html")
    expect(page.locator("h1")).to_have_text("Integrated care boards: league table")
    expect(page.locator("#icb-caveats")).to_contain_text("providers-in-the-ICB")
    expect(page.locator("#icb-caveats")).to_contain_text("placeholders until NHS England")
    expect(page.locator("#icb-table tbody tr")).to_have_count(42)
    check_accessible(page, "icb-1-table", artifacts)

    page.locator('#icb-table tr[data-code="QYG"] a').click()
    expect(page.locator("h1")).to_contain_text("Cheshire and Merseyside")
    expect(page.locator("#icb-caveats")).to_contain_text("Modelled")
    check_accessible(page, "icb-2-page", artifacts)
    record = page.request.get(icb_server.url + "/icbs/2025-26-q1/QYG.json").json()
    expect(page.locator("#icb-metrics tbody tr")).to_have_count(len(record["metrics"]))
    rows = page.locator("#icb-trusts tbody tr")
    expect(rows).to_have_count(len(record["trusts"]))
    shown = {rows.nth(i).get_attribute("data-code") for i in range(rows.count())}
    assert shown == {t["trust_code"] for t in record["trusts"]}

    # a trust with a NOF page this quarter links to it
    page.locator('#icb-trusts tr[data-code="RW4"] a').click()
    expect(page.locator("h1")).to_have_text("Mersey Care NHS Foundation Trust")
    assert page.url.endswith("/2025-26-q1/org/RW4.html")
