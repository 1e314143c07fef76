"""Every kind of page, in real headless Chromium at 1280 px and 390 px, checked with axe-core.

The page routes are read from the app itself (``app.routes``) and the page kinds from
``BUILDERS``: a route or kind with no sample here fails the first test, so a new page cannot
escape the check. Each sample is opened at both widths; a full-page screenshot and the axe
report are written to ``test-artifacts/web/pages/<kind>-<width>.png`` (and ``.axe.txt``) for
review, any serious or critical axe violation fails, and at 390 px the page must not be wider
than the phone's screen (tables scroll inside their own wrappers, which do not widen the page).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, expect
from starlette.routing import BaseRoute, Match, Mount

from oversight.service.site import Site
from oversight.store import connect
from oversight.web.app import create_app
from oversight.web.builders import BUILDERS
from oversight.web.expensive_pages import pending_html
from tests.functional.web.conftest import (
    FIRST_OPEN_MS,
    Server,
    start_server,
    stop,
)
from tests.functional.web.test_browser import AXE_OPTIONS
from tests.icb_store import build_icb_store

pytestmark = pytest.mark.browser

WIDTHS = {1280: 900, 390: 844}  # width: height (a laptop; a phone, iPhone 12 to 15)
OVERFLOW_TOLERANCE_PX = 2  # sub-pixel rounding of borders

# one address per kind of page, on the session's national store with the bundled A&E files
SAMPLES: dict[str, str] = {
    "home": "/",
    "league": "/2025-26-q4/league/mental_health_community.html",
    "organisation": "/2025-26-q4/org/RYY.html",
    "metric": "/2025-26-q4/metric/OF1061.html",
    "search": "/search.html?q=kent",
    "glossary": "/glossary.html",
    "compare": "/2025-26-q4/compare.html?org=RYY&org=RW4",
    "consequences": "/2025-26-q4/consequences.html",
    "evaluations_index": "/evaluations/index.html",
    "evaluation": "/evaluations/organ_donation.html",
    "ae_index": "/ae/index.html",
    "ae_series": "/ae/RAJ/ae_4hr_all_types.html",
    "ae_funnel": "/ae/funnel/ae_4hr_type1/2025-09.html",
    "icbs": "/icbs/2025-26-q1.html",
    "icb": "/icbs/2025-26-q1/QYG.html",
    "public_index": "/public/index.html",
    "public_league": "/public/2025-26-q1/league/acute.html",
    "public_metric": "/public/2025-26-q1/metric/ambulance/OV0001.html",
    "public_compare": "/public/2025-26-q3/compare.html",
    "moves": "/2025-26-q4/moves.html",
    "improvement": "/improvement/2025-26-q4/mental_health_community.html",
    "data_quality": "/data-quality/2025-26-q4/mental_health_community.html",
    "peer_league": "/peers/2025-26-q4/subtype/mental_health_community.html",
    "api_docs": "/api/docs",
    "services": "/services/RAJ.html",
    "likely_ranks": "/likely-ranks/2025-26-q4/mental_health_community.html",
    "public_likely_ranks": "/public/2025-26-q1/likely-ranks/acute.html",
    "improvement_monthly": "/improvement/monthly/acute/OF0013.html",
    # not built by BUILDERS: the answer while a page is computed ahead, and the error page
    # (the pending page is intercepted in the browser: see pending_page)
    "pending": "/2025-26-q4/league/acute.html",
    "error": "/2025-26-q4/org/ZZZ99.html",
}
STATUS = {"pending": 202, "error": 404}
# serious or critical axe findings accepted for a kind, with the reason (None: every rule)
KNOWN: dict[str, set[str] | None] = {
    # Swagger UI's own page (vendored, not our templates): its contrast, nested controls and
    # target sizes are Swagger's; the screenshot and report are still written for review
    "api_docs": None,
}
# the same page at a second address: its bytes must equal the sample's, so it is not reopened
SAME_PAGE = {"/index.html": "home"}

# GET routes that are not HTML pages (every other route must be reached by a sample)
NOT_PAGES = {
    "/api/openapi.json",  # the API's schema (JSON)
    "/api/{rest:path}",  # the API's JSON 404 for unknown /api/ paths
    "/api/docs-assets",  # the API documentation's vendored scripts and styles
    "/static",  # the dashboard's styles, scripts and images
    "/downloads/oversight-data.zip",  # the whole dataset, a download
}
JSON_API = "/api/v1/"  # the JSON API: every route under it answers JSON, CSV or Parquet


def leaf_routes(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Routes in the order they are tried, included routers flattened (FastAPI 0.165 keeps
    an included router as one route with its ``original_router``)."""
    out: list[BaseRoute] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is None:
            out.append(route)
            continue
        assert route.include_context.prefix == "", "a prefixed router: prepend its prefix"  # type: ignore[attr-defined]
        out.extend(leaf_routes(inner.routes))
    return out


def route_path(route: BaseRoute) -> str:
    path: str = route.path
    return path


def handling_route(routes: list[BaseRoute], url: str) -> str:
    """The path of the first route that takes a GET of ``url``."""
    path = url.split("?", 1)[0]
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in routes:
        if route.matches(scope)[0] == Match.FULL:
            return route_path(route)
    raise AssertionError(f"no route takes {url}")


def page_routes(routes: list[BaseRoute]) -> set[str]:
    out = set()
    for route in routes:
        path = route_path(route)
        gets = isinstance(route, Mount) or "GET" in (getattr(route, "methods", None) or ())
        if gets and path not in NOT_PAGES and not path.startswith(JSON_API):
            out.add(path)
    return out


@pytest.fixture(scope="module")
def site_server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The module's one server: the served store (NOF and monthly A&E) with the ICB
    collections added, so the ICB pages exist too."""
    db = tmp_path_factory.mktemp("every-page") / "every-page.duckdb"
    shutil.copyfile(served_store, db)
    build_icb_store(db)
    s = start_server(db)
    yield s
    stop(s.process)


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> list[BaseRoute]:
    db = tmp_path_factory.mktemp("routes") / "empty.duckdb"  # routes do not depend on data
    connect(db).close()
    site = Site(db)
    try:
        return leaf_routes(create_app(site).routes)
    finally:
        site.close()


def test_every_page_route_and_kind_has_a_sample(
    routes: list[BaseRoute], site_server: Server
) -> None:
    reached = {handling_route(routes, url) for url in [*SAMPLES.values(), *SAME_PAGE]}
    missing = page_routes(routes) - reached
    assert not missing, f"page routes with no sample in SAMPLES: {sorted(missing)}"
    kinds = set(BUILDERS) - set(SAMPLES)
    assert not kinds, f"page kinds with no sample in SAMPLES: {sorted(kinds)}"
    for url, kind in SAME_PAGE.items():
        same = httpx.get(site_server.url + url, timeout=FIRST_OPEN_MS / 1000)
        assert same.content == httpx.get(site_server.url + SAMPLES[kind], timeout=60).content, url


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    return folder


# how far the page is wider than the screen, and the widest elements that stick out of it
# outside any element that scrolls sideways itself (a table's scroll wrapper)
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 2 && r.width > 0 && !scrolls(el)) {
      const name = `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')}`;
      out.push(`${name} ${Math.round(r.right)}px`);
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width, offenders: out.slice(0, 8)};
}"""


def axe_failures(page: Page, name: str, folder: Path, known: set[str] | None) -> list[str]:
    """Serious and critical axe findings not in ``known``; the report is written either way."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    result = Axe().run(page, options=AXE_OPTIONS)
    (folder / f"{name}.axe.txt").write_text(result.generate_report())
    return [
        f"{name}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical") and known is not None and v["id"] not in known
    ]


def pending_page(route: Route) -> None:
    """A page computed ahead and not ready: the server's own 202 answer, whose timing no test
    can arrange on a live server, served in place of a page of the server (its styles load from
    the server as they would)."""
    html = pending_html("The league table is being computed", SAMPLES["pending"], 3600)
    route.fulfill(status=202, body=html, content_type="text/html; charset=utf-8")


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_page_kind(kind: str, browser: Browser, site_server: Server, shots: Path) -> None:
    failures: list[str] = []
    for width, height in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(FIRST_OPEN_MS)
        page = context.new_page()
        if kind == "pending":
            page.route(site_server.url + SAMPLES[kind], pending_page)
        try:
            response = page.goto(site_server.url + SAMPLES[kind])
            assert response is not None
            assert response.status == STATUS.get(kind, 200), f"{kind}: {response.status}"
            page.wait_for_load_state("networkidle")  # scripts (enhance.js, Swagger UI) done
            failures += axe_failures(page, f"{kind}-{width}", shots, KNOWN.get(kind, set()))
            if width < 600:
                seen = page.evaluate(OVERFLOW_JS)
                if seen["scrollWidth"] > seen["width"] + OVERFLOW_TOLERANCE_PX:
                    failures.append(f"{kind}-{width}: page {seen['scrollWidth']} px wide: {seen}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_a_pending_page_shows_the_page_once_it_is_computed(
    browser: Browser, site_server: Server
) -> None:
    """With script, the 202 page asks for its address again (HEAD) until the answer is 200, then
    shows the page, with no timed refresh of its own. The server's 202 is stood in for by the
    test (no test can time a live server's background work): while the stand-in answers 202 the
    page stays; once it lets requests through, the league table appears."""
    url = site_server.url + SAMPLES["league"]
    html = pending_html("The league table is being computed", SAMPLES["league"], 1)
    asked: list[str] = []
    ready = False

    def stand_in(route: Route) -> None:
        asked.append(route.request.method)
        if ready:
            route.continue_()
        else:
            route.fulfill(status=202, body=html, content_type="text/html; charset=utf-8")

    context = browser.new_context()
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    try:
        page.route(url, stand_in)
        assert page.goto(url).status == 202  # type: ignore[union-attr]
        expect(page.locator("h1")).to_have_text("Being computed")
        # no timed refresh with script: the <noscript> meta refresh is text, not an element
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
        # the page keeps asking while the answer is 202, and stays where it is
        waited = 0
        while asked.count("HEAD") < 2:
            assert waited < FIRST_OPEN_MS, f"asked only {asked}"
            page.wait_for_timeout(100)  # lets Playwright deliver the page's requests
            waited += 100
        expect(page.locator("h1")).to_have_text("Being computed")
        ready = True
        expect(page.locator("h1")).to_contain_text("league table")
        assert page.url == url
    finally:
        context.close()


def test_the_monthly_improvement_scatter_is_drawn(browser: Browser, site_server: Server) -> None:
    """The scatter of improvement against position from the monthly series: one point per
    ranked provider of the JSON twin, each named with both ranks."""
    path = SAMPLES["improvement_monthly"]
    twin = httpx.get(site_server.url + path.replace(".html", ".json"), timeout=600).json()
    ranked = [
        r
        for r in twin["organisations"]
        if r["improvement_rank"] is not None and r["position_rank"] is not None
    ]
    assert len(ranked) > 20
    context = browser.new_context()
    context.set_default_timeout(FIRST_OPEN_MS)
    page = context.new_page()
    try:
        page.goto(site_server.url + path)
        points = page.locator("#improvement-monthly-scatter svg circle")
        expect(points).to_have_count(len(ranked))
        first = min(ranked, key=lambda r: r["improvement_rank"])
        expect(page.locator("#improvement-monthly-scatter svg title").filter(
            has_text=f"{first['name']}: position rank {first['position_rank']}, "
            f"improvement rank {first['improvement_rank']}"
        )).to_have_count(1)  # fmt: skip
    finally:
        context.close()
