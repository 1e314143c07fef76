"""The caterpillar plot in headless Chromium against a live `oversight serve`: reached from the
league table's "Other views of this table", one point per organisation of its JSON twin, each
named when hovered or focused, passing axe-core; and every other view the league table lists
opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.functional.web.conftest import FIRST_OPEN_MS, Server
from tests.functional.web.test_browser import check_accessible
from tests.functional.web.test_fair_browser import page  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

LEAGUE = "/2025-26-q4/league/mental_health_community.html"


def test_caterpillar_names_a_point_and_every_view_opens(
    page: Page,  # noqa: F811 - the imported fixture
    server: Server,
    artifacts: Path,
) -> None:
    page.goto(server.url + LEAGUE)
    views = page.locator("#other-views")
    views.get_by_role("link", name="Every likely rank").click()
    expect(page.locator("h1")).to_contain_text("every likely rank")
    rows = page.request.get(page.url.replace(".html", ".json")).json()["rows"]
    points = page.locator("#caterpillar .ov-cat-point")
    assert points.count() == len(rows) == page.locator("#likely-ranks-table tbody tr").count()
    assert [points.nth(i).get_attribute("data-code") for i in range(3)] == [
        r["trust_code"] for r in rows[:3]
    ]
    first, last = rows[0], rows[-1]
    points.first.focus()
    label = points.first.locator(".ov-cat-label")
    expect(label).to_be_visible()
    expect(label).to_contain_text(f"{first['trust_name']} ({first['trust_code']}): rank 1")
    points.last.hover()  # the pointer's label replaces the focused one
    expect(points.last.locator(".ov-cat-label")).to_be_visible()
    expect(points.last.locator(".ov-cat-label")).to_contain_text(last["trust_name"])
    expect(points.first.locator(".ov-cat-label")).to_be_hidden()
    check_accessible(page, "likely-ranks", artifacts)

    page.goto(server.url + LEAGUE)
    links = views.get_by_role("link")
    targets = [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    assert len(targets) >= 6, targets  # likely ranks, moves, improvement, 2 peers, data quality
    for name, _ in targets:
        page.goto(server.url + LEAGUE)
        navigation = page.expect_response(
            lambda r: r.request.is_navigation_request(), timeout=FIRST_OPEN_MS
        )
        with navigation as opened:
            views.get_by_role("link", name=name, exact=True).click()
        assert opened.value.status == 200, (name, page.url)
        if "api/v1/" not in page.url:
            expect(page.locator("h1")).to_be_visible()
