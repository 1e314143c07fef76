"""ICB routes and pages in process: the league table of all 42 and one ICB, JSON/CSV twins,
the modelled / providers-in-the-ICB / Oversight's-thresholds caveats, clear errors, export."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.service.site import Site
from oversight.web.app import create_app
from oversight.web.publish import publish
from tests.icb_store import build_icb_store

Q = "Q1 2025/26"


@pytest.fixture(scope="module")
def site(national_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The national NOF store plus the ICB collections: trusts link to their NOF pages."""
    db = tmp_path_factory.mktemp("icb-site") / "icb.duckdb"
    shutil.copyfile(national_store, db)
    build_icb_store(db)
    s = Site(db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def http(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site)) as client:
        yield client


def _caveated(text: str) -> None:
    assert "Modelled" in text or "modelled" in text
    assert "providers-in-the-ICB" in text
    assert "placeholders until NHS England" in text


def test_league_table_route(http: TestClient) -> None:
    r = http.get("/api/v1/icbs", params={"quarter": Q})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["icbs"]) == 42 and body["thresholds"] == [2.0, 2.5, 3.0]
    _caveated(" ".join(body["caveats"]))
    assert [row["rank"] for row in body["icbs"]] == sorted(row["rank"] for row in body["icbs"])
    as_csv = http.get("/api/v1/icbs", params={"quarter": Q, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [x["icb_code"] for x in rows] == [x["icb_code"] for x in body["icbs"]]
    default = http.get("/api/v1/icbs").json()
    assert default["quarter"] == Q


def test_one_icb_route(http: TestClient) -> None:
    r = http.get("/api/v1/icbs/qyg", params={"quarter": "2025-26-q1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["icb_code"] == "QYG" and len(body["metrics"]) == 6
    fds = next(m for m in body["metrics"] if m["metric_id"] == "OF0010")
    parts = [c for c in body["contributions"] if c["metric_id"] == "OF0010"]
    assert fds["numerator"] == pytest.approx(sum(c["numerator"] for c in parts))
    assert fds["denominator"] == pytest.approx(sum(c["denominator"] for c in parts))
    assert http.get("/api/v1/icbs/QZZ", params={"quarter": Q}).status_code == 404
    assert http.get("/api/v1/icbs", params={"quarter": "Q1 2024/25"}).status_code == 404
    assert http.get("/api/v1/icbs/Q'1").status_code == 422


def test_pages_and_twins(http: TestClient) -> None:
    table = http.get("/icbs/2025-26-q1.html")
    assert table.status_code == 200
    _caveated(table.text)
    assert table.text.count('<tr class="nhsuk-table__row" data-code="Q') == 42
    assert 'href="2025-26-q1/QYG.html"' in table.text
    page = http.get("/icbs/2025-26-q1/QYG.html")
    assert page.status_code == 200
    _caveated(page.text)
    assert 'data-code="RBL"' in page.text and "Cheshire and Merseyside" in page.text
    # a trust with a NOF page this quarter (a mental health trust of the ICB) is linked to it
    assert 'href="../../2025-26-q1/org/RW4.html"' in page.text
    mersey = next(t for t in http.get("/icbs/2025-26-q1/QYG.json").json()["trusts"]
                  if t["trust_code"] == "RW4")  # fmt: skip
    assert mersey["nof_segment"] in (1, 2, 3, 4, 5)
    assert mersey["nof_trust_type"] == "mental_health_community"
    twin = http.get("/icbs/2025-26-q1/QYG.json").json()
    assert twin["icb_code"] == "QYG"
    rows = list(csv.DictReader(io.StringIO(http.get("/icbs/2025-26-q1/QYG.csv").text)))
    assert len(rows) == len(twin["contributions"]) > 0
    assert http.get("/icbs/2025-26-q1/QZZ.html").status_code == 404


def test_static_export_has_the_icb_pages(site: Site, tmp_path: Path) -> None:
    publish(site, tmp_path)
    assert (tmp_path / "icbs" / "2025-26-q1.html").exists()
    assert len(list((tmp_path / "icbs" / "2025-26-q1").glob("*.html"))) == 42
    assert (tmp_path / "icbs" / "2025-26-q1" / "QYG.csv").exists()


def test_a_store_without_the_reference_files_answers_404(
    national_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "national.duckdb"
    shutil.copyfile(national_store, db)
    s = Site(db)
    try:
        with TestClient(create_app(s)) as client:
            r = client.get("/api/v1/icbs")
            assert r.status_code == 404 and "ODS/ONS reference files" in r.json()["error"]
            assert client.get("/api/v1/icbs", params={"quarter": "nonsense"}).status_code == 404
            assert client.get("/icbs/2025-26-q1.html").status_code == 404
    finally:
        s.close()


def test_icbs_scored_once_and_kept(site: Site) -> None:
    """A server scores each quarter's ICBs once, ahead (``icbs_ahead``), and every ICB page and
    league table of that quarter is built from the kept result: the same records as afresh."""
    from oversight.service.icb_pages import (
        icb_record,
        icbs_ahead,
        kept_icb_record,
        kept_league_page,
        league_page,
    )

    steps = dict(icbs_ahead(site))
    assert f"ICBs of {Q}" in steps
    steps[f"ICBs of {Q}"]()
    assert site.memo_has(("icb-quarter", Q)) and site.memo_has(("icb-nof-results", Q))
    assert kept_league_page(site, "2025-26-q1") == site.read(lambda con: league_page(con, Q))
    code = kept_league_page(site, Q)["icbs"][0]["icb_code"]
    fresh = site.read(lambda con: icb_record(con, Q, code))
    assert kept_icb_record(site, Q, code.lower()) == fresh and fresh["trusts"]


def test_every_icbs_likely_rank_is_plotted_as_the_table_ranks_it(http: TestClient) -> None:
    """The caterpillar plot on the ICB list: one labelled point per ranked ICB, in the table's
    order, linking to its page, with the rank and likely range the API gives it."""
    table = http.get("/icbs/2025-26-q1.html").text
    assert 'id="likely-ranks"' in table and 'id="caterpillar"' in table
    rows = http.get("/api/v1/icbs", params={"quarter": "2025-26-q1"}).json()["icbs"]
    plot = table[table.index('id="caterpillar"') :]
    points = re.findall(r'<a class="ov-cat-point" href="([^"]+)" data-code="(\w+)" '
                        r'aria-label="([^"]+)"', plot)  # fmt: skip
    assert [code for _, code, _ in points] == [r["icb_code"] for r in rows if r["rank"]]
    for (href, code, words), row in zip(points, rows, strict=True):
        assert href == f"2025-26-q1/{code}.html"
        assert f"rank {row['rank']} of " in words
        if row["rank_low"] is not None:
            assert f"likely {row['rank_low']} to {row['rank_high']}" in words
    # filtering the table leaves the plot whole
    filtered = http.get("/icbs/2025-26-q1.html", params={"segment": rows[0]["segment"]}).text
    assert filtered.count('class="ov-cat-point"') == len(points)
