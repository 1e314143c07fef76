"""A visitor's journey in real headless Chromium against a live `oversight serve`.

Open the league table, find a trust by typing part of its name, open its page, follow the
explanation to one of its metrics, download the CSV, and check that the numbers shown equal
the ones in the store (NHS England's published league table and data file, as ingested).
Every page is screenshotted into test-artifacts/web/ and checked with axe-core.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from oversight.engine.sources.ae_series import series
from oversight.frameworks.ae import ae_metrics, ae_successors
from tests.functional.web.conftest import CHROMIUM, CHROMIUM_ARGS, FIRST_OPEN_MS, Server

pytestmark = pytest.mark.browser

Q4 = "Q4 2025/26"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    context.set_default_timeout(FIRST_OPEN_MS)
    p = context.new_page()
    hosts: set[str] = set()
    p.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    yield p
    context.close()
    # nothing but the server itself was asked for anything (no CDN, fonts or analytics)
    assert hosts <= {server.url.split("/")[2]}, hosts


def stored(db: Path, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def check_accessible(page: Page, name: str, artifacts: Path) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    result = Axe().run(page, options=AXE_OPTIONS)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    (artifacts / f"{name}.axe.txt").write_text(result.generate_report())
    assert not bad, f"{name}: " + "; ".join(bad)


def test_journey(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_have_text("NHS oversight league tables")
    check_accessible(page, "1-home", artifacts)

    # the league table, checked row by row against the published one in the store
    page.get_by_role("link", name="Mental health and community trusts").first.click()
    expect(page.locator("h1")).to_contain_text("league table")
    check_accessible(page, "2-league-table", artifacts)
    published = {
        code: (rank, average, segment)
        for code, rank, average, segment in stored(
            server.db,
            "SELECT trust_code, rank, average_score, segment FROM nof_league_row WHERE quarter = ?",
            [Q4],
        )
    }
    rows = page.locator("#league-table tbody tr")
    assert rows.count() == len(published) == 61
    for i in range(rows.count()):
        row = rows.nth(i)
        code = row.get_attribute("data-code")
        rank = int(row.locator(".ov-rank").inner_text())
        average = float(row.locator(".ov-average").inner_text().split()[0])
        segment = int(row.locator(".nhsuk-tag").first.inner_text().split()[-1])
        assert (rank, average, segment) == published[code], code

    # find a trust by typing part of its name into the search box
    page.locator("#search-field").fill("kent comm")
    page.locator("#search-field").press("Enter")
    expect(page.locator("#results-count")).to_contain_text("1 organisation")
    check_accessible(page, "3-search", artifacts)
    # exact: the result also links the trust's services ("Services of Kent Community ...")
    page.get_by_role("link", name="Kent Community Health NHS Foundation Trust", exact=True).click()

    # its page: identity, headline numbers and every metric value against the store
    expect(page.locator("#org-code")).to_have_text("RYY")
    check_accessible(page, "4-organisation", artifacts)
    rank, average, segment = published["RYY"]
    assert int(page.locator("#org-rank .ov-rank").inner_text()) == rank
    assert float(page.locator("#org-average .ov-average").inner_text()) == average
    values = dict(
        stored(
            server.db,
            "SELECT metric_id, value FROM nof_value WHERE quarter = ? AND trust_code = 'RYY'",
            [Q4],
        )
    )
    shown = page.locator("#metrics-table tbody tr")
    assert shown.count() >= 7
    checked = 0
    for i in range(shown.count()):
        row = shown.nth(i)
        text = row.locator(".ov-value").inner_text().split()[0]
        metric = row.get_attribute("data-metric")
        raw = "OF0" + metric[3:]  # the value shown is the raw metric's published value
        if raw in values and values[raw] is not None:
            assert float(text) == pytest.approx(values[raw], abs=0), metric
            checked += 1
    assert checked >= 6

    # download the page's CSV: the same metrics, the same numbers
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    path = download_info.value.path()
    with open(path, newline="", encoding="utf-8") as f:
        downloaded = {r["metric_id"]: r for r in csv.DictReader(f)}
    (artifacts / "RYY.csv").write_bytes(Path(path).read_bytes())
    for r in downloaded.values():
        raw = r["raw_id"]
        if raw and values.get(raw) is not None:
            assert float(r["value"]) == values[raw]
    assert set(downloaded) == {
        shown.nth(i).get_attribute("data-metric") for i in range(shown.count())
    }

    # follow the explanation to one of its metrics: every organisation, RYY's value as stored
    page.locator("#metrics-table a", has_text="raising concerns").click()
    expect(page.locator("h1")).to_have_text("NHS Staff Survey raising concerns sub-score")
    check_accessible(page, "5-metric", artifacts)
    ryy = page.locator('#metric-table tr[data-code="RYY"] .ov-value').inner_text()
    assert float(ryy) == values["OF0061"]
    all_values = dict(
        stored(
            server.db,
            "SELECT trust_code, value FROM nof_value WHERE quarter = ? AND metric_id = 'OF0061'",
            [Q4],
        )
    )
    on_page = page.locator("#metric-table tbody tr")
    for i in range(on_page.count()):
        row = on_page.nth(i)
        code = row.get_attribute("data-code")
        text = row.locator(".ov-value").inner_text()
        assert (None if text == "–" else float(text)) == all_values.get(code), code


def test_the_accessibility_check_can_fail(page: Page, artifacts: Path) -> None:
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png"><a href="#"></a></main>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessible(page, "0-known-bad", artifacts)


def test_works_without_javascript(browser: Browser, server: Server, artifacts: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    page.goto(server.url + "/search.html")
    page.locator("#q").fill("RYY")
    page.locator("#search-form button").click()
    expect(page.locator("#results li")).to_have_count(1)
    page.locator("#results a").first.click()  # its name; the second link is its services
    expect(page.locator("#org-code")).to_have_text("RYY")
    page.screenshot(path=str(artifacts / "6-no-javascript.png"), full_page=True)
    context.close()


def test_keyboard_reaches_the_league_table(page: Page, server: Server) -> None:
    """Skip link first, then the service name, then search; Enter on a focused link follows it."""
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith(
            "Mental health and community trusts"
        ):
            break
    else:
        pytest.fail("the league table link is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("league table")


def test_trend_and_rank_bars_are_drawn(page: Page, server: Server) -> None:
    page.goto(server.url + "/2025-26-q4/org/RYY.html")
    # one point per stored quarter on the trend, a rank bar per league-table row
    assert page.locator("#trend-chart svg circle").count() == 4
    assert page.locator("#history-table tbody tr").count() == 4
    page.goto(server.url + "/2025-26-q4/league/mental_health_community.html")
    assert page.locator("#league-table .ov-likely svg").count() == 61  # a rank bar a row
    assert page.locator("#league-table .ov-trend svg").count() == 61  # and a sparkline


def test_csv_twin_equals_json_twin(page: Page, server: Server) -> None:
    response = page.request.get(server.url + "/2025-26-q4/league/mental_health_community.csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    data = page.request.get(server.url + "/2025-26-q4/league/mental_health_community.json").json()
    assert [r["trust_code"] for r in rows] == [r["trust_code"] for r in data["rows"]]
    assert [float(r["average_score"]) for r in rows] == [r["average_score"] for r in data["rows"]]


# -- monthly A&E series, funnel and consequences pages ---------------------------------------


def test_series_via_index_search(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name="Monthly A&E series").click()
    expect(page.locator("h1")).to_have_text("Monthly A&E series")
    check_accessible(page, "ae-index", artifacts)
    # enhance.js filters the complete list as the visitor types
    page.locator("#q").fill("mid and south essex")
    visible = page.locator("#results li:visible")
    expect(visible).to_have_count(1)
    visible.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("MID AND SOUTH ESSEX")
    check_accessible(page, "ae-series-RAJ", artifacts)

    drawn = page.locator("#spc-chart circle.ov-point").evaluate_all(
        "els => els.map(e => [e.dataset.month, Number(e.dataset.value)])"
    )
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        points = series(con, ae_metrics(), "ae_4hr_all_types", "RAJ", ae_successors())
    finally:
        con.close()
    expected = [[f"{p.month:%Y-%m}", p.value] for p in points if p.value is not None]
    assert drawn == expected  # exact: the SVG carries the stored value's repr
    special = page.locator("#spc-chart circle.ov-point:not(.ov-common_cause)").count()
    assert special > 0 and "Variation: " in page.locator("#spc-summary").inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    download = info.value
    download.save_as(artifacts / "ae-series-RAJ.csv")
    with open(download.path(), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["month"], float(r["value"])) for r in rows if r["value"]] == [
        (m, v) for m, v in expected
    ]


def test_as_published_toggle_and_funnel(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/ae/RAX/ae_4hr_all_types.html")
    expect(page.locator("#series-note")).to_contain_text("RY9")
    page.get_by_role("link", name="Show the code's own published rows only").click()
    expect(page.locator("#series-note")).to_contain_text("own published rows only")
    check_accessible(page, "ae-series-RAX-as-published", artifacts)

    page.goto(server.url + "/ae/index.html")
    page.get_by_role("link", name="Funnel plot").click()
    expect(page.locator("h1")).to_contain_text("type 1")
    drawn = page.locator("#funnel-chart circle.ov-point").count()
    assert drawn == page.locator("#funnel-table tbody tr").count() > 50
    check_accessible(page, "ae-funnel", artifacts)


def test_consequences_and_segment_certainty(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name="Modelled consequences, Q4 2025/26").click()
    expect(page.locator("h1")).to_have_text("Modelled consequences, Q4 2025/26")
    assert page.locator("#consequences-table tbody tr").count() > 0
    check_accessible(page, "consequences", artifacts)
    page.goto(server.url + "/2025-26-q4/org/RYY.html")
    expect(page.locator("#section-segment-certainty")).to_have_text("How sure is the segment")


def test_evaluations_from_home(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name="Evaluations of interventions").click()
    expect(page.locator("h1")).to_have_text("Evaluations of interventions", timeout=300_000)
    assert page.locator("#evaluations-table tbody tr").count() >= 8
    check_accessible(page, "evaluations-index", artifacts)
    page.get_by_role("link", name="Outbreak of terrorism in the Basque Country").click()
    expect(page.locator("h1")).to_contain_text("Basque")
    twin = page.request.get(page.url.replace(".html", ".json")).json()
    (result,) = twin["results"]
    shown = page.locator(".ov-estimate[data-method='synthetic_control']")
    assert float(shown.get_attribute("data-value") or "nan") == result["estimate"]
    expect(shown).to_have_text(f"{result['estimate']:.4g}")
    expect(page.locator(".ov-verdict")).to_have_text(result["verdict"])
    assert page.locator("figure.ov-chart svg").count() == 1  # the gap with placebo lines
    assert page.locator("#weights-synthetic_control tbody tr").count() >= 1
    check_accessible(page, "evaluation-basque", artifacts)
