"""The MODELLED public-data tables through the API, the dashboard and a browser, over the
served store (NOF files and monthly A&E) with the ambulance statistics and the 2024 staff
survey added: acute trusts have A&E and the survey (4 of 7 public metrics) in Q1-Q3 2025/26,
ambulance trusts the survey and, in Q1, response times."""

from __future__ import annotations

import csv
import html
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.service.site import Site
from oversight.store import connect
from oversight.store.collections import store_releases
from oversight.web.app import create_app
from tests.functional.web.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    FIRST_OPEN_MS,
    Server,
    start_server,
    stop,
)

NHS = Path(__file__).resolve().parents[3] / "data" / "nhs"
HEADING = "Modelled from public data — not NHS England's result"


@pytest.fixture(scope="module")
def public_store(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("public-served") / "public.duckdb"
    shutil.copy(served_store, path)
    con = connect(path)
    try:
        for cid, pattern in [
            ("ambulance_ambsys", "ambulance/*.xlsx"),
            ("staff_survey_2024", "staff-survey/*.xlsx"),
        ]:
            definition = collection(cid)
            read = reader_for(definition)
            store_releases(con, [read(p, definition) for p in sorted(NHS.glob(pattern))])
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def client(public_store: Path) -> Iterator[TestClient]:
    site = Site(public_store)
    with TestClient(create_app(site)) as c:
        yield c
    site.close()


def test_api_league_is_modelled_with_coverage(client: TestClient) -> None:
    r = client.get("/api/v1/public/league", params={"trust_type": "acute", "quarter": "2025-26-q3"})
    assert r.status_code == 200
    body = r.json()
    assert body["modelled"] is True and "not NHS England's result" in body["note"]
    assert body["coverage"]["used"] == ["OF0013", "OF0014", "OF0084", "OF0061"]
    assert "missing: " in body["coverage"]["label"] and "OF0010" in body["coverage"]["missing"]
    assert body["rows"] and all(row["basis"] == "modelled" for row in body["rows"])
    assert all(row["metrics_scored"] >= body["minimum_metrics"] for row in body["rows"])
    left = {o["trust_code"] for o in body["left_out"]}
    assert left and not left & {row["trust_code"] for row in body["rows"]}
    quarters = client.get("/api/v1/public/quarters").json()
    assert "Q3 2025/26" in quarters and "Q4 2025/26" not in quarters


def test_api_metric_csv_rows_say_modelled(client: TestClient) -> None:
    r = client.get(
        "/api/v1/public/metric/OF0013",
        params={"trust_type": "acute", "quarter": "Q3 2025/26", "format": "csv"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {row["basis"] for row in rows} == {"modelled"}
    for row in rows:
        assert float(row["ci_low"]) <= float(row["value"]) <= float(row["ci_high"])


def test_api_compare_q3(client: TestClient) -> None:
    body = client.get("/api/v1/public/compare").json()
    assert body["modelled"] is True and body["quarter"] == "Q3 2025/26"
    acute = next(a for a in body["agreement"] if a["trust_type"] == "acute")
    assert acute["published"] == 129 and acute["common"] > 100
    assert -1 <= acute["spearman"] <= 1 and 0 <= acute["same_segment_share"] <= 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/public/league?trust_type=mental_health&quarter=Q3 2025/26", 404),
        ("/api/v1/public/league?quarter=Q4 2025/26", 404),
        ("/api/v1/public/league?quarter=not-a-quarter", 404),
        ("/api/v1/public/metric/OF0010?trust_type=ambulance", 404),
        ("/api/v1/public/metric/DROP TABLE", 422),
        ("/api/v1/public/compare?quarter=Q1 2025/26", 404),
    ],
)
def test_api_errors_have_the_one_shape(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.json()["ok"] is False and r.json()["status"] == status


def test_pages_and_twins_are_headed_modelled(client: TestClient) -> None:
    home = client.get("/index.html").text
    assert 'href="public/index.html"' in home
    for path in [
        "/public/index.html",
        "/public/2025-26-q3/league/acute.html",
        "/public/2025-26-q1/metric/ambulance/OV0001.html",
        "/public/2025-26-q3/compare.html",
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert HEADING in html.unescape(r.text), path
        twin = client.get(path.removesuffix(".html") + ".json").json()
        assert twin["modelled"] is True
    assert 'id="compare-scatter"' in client.get("/public/2025-26-q3/compare.html").text


def test_a_store_without_source_statistics_says_so(national_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "nof-only.duckdb"
    shutil.copy(national_store, path)
    site = Site(path)
    try:
        c = TestClient(create_app(site))
        page = c.get("/public/index.html")
        assert page.status_code == 200 and "no source statistics" in page.text
        r = c.get("/api/v1/public/league")
        assert r.status_code == 404 and "no source statistics" in r.json()["error"]
    finally:
        site.close()


@pytest.fixture(scope="module")
def public_server(public_store: Path) -> Iterator[Server]:
    s = start_server(public_store)
    yield s
    stop(s.process)


@pytest.mark.browser
def test_league_page_in_a_browser(public_server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.functional.web.test_browser import check_accessible

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(FIRST_OPEN_MS)
            page.goto(public_server.url + "/")
            page.get_by_role("link", name="Acute and ambulance tables modelled").click()
            expect(page.locator("h1")).to_have_text(HEADING)
            page.get_by_role("link", name="Acute trusts (modelled)").first.click()
            expect(page.locator("h1")).to_have_text(HEADING)
            expect(page.locator("#coverage")).to_contain_text("missing:")
            rows = page.locator("#public-league tbody tr")
            expect(rows.first).to_be_visible()
            assert rows.count() > 100
            ranks = [
                int(t)
                for t in page.locator("#public-league tbody tr td:first-child").all_inner_texts()
            ]
            assert ranks == sorted(ranks) and ranks[0] == 1
            check_accessible(page, "public-league", ARTIFACTS)
        finally:
            browser.close()


def test_cli_public_table(public_store: Path, tmp_path: Path) -> None:
    from tests.functional.inprocess import oversight

    db = tmp_path / "cli.duckdb"
    shutil.copy(public_store, db)
    run = oversight("public-table", "-t", "ambulance", "-q", "Q1 2025/26", "--format", "csv", db=db)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 11 and {r["basis"] for r in rows} == {"modelled"}
    assert [int(r["rank"]) for r in rows] == sorted(int(r["rank"]) for r in rows)
    table = oversight("public-table", "-t", "ambulance", "-q", "Q1 2025/26", db=db, wide=True)
    assert HEADING in table.stdout and "Coverage: modelled on 4 of" in table.stdout
    metric = oversight(
        "public-table", "--metric", "OF0013", "-q", "Q3 2025/26", "--format", "json", db=db
    )
    assert metric.returncode == 0 and '"modelled": true' in metric.stdout
    compare = oversight("public-table", "--compare", "--format", "json", db=db)
    assert compare.returncode == 0 and '"spearman"' in compare.stdout
    bad = oversight("public-table", "-q", "Q4 2025/26", db=db)
    assert bad.returncode == 1 and "quarters the collections cover" in bad.stderr
