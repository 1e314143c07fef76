"""Improvement from the monthly series on the bundled A&E files: API twins, page and CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.service.site import Site
from oversight.web.app import create_app
from tests.functional.inprocess import oversight

ROUTE = "/api/v1/improvement/monthly/OF0013"


@pytest.fixture(scope="module")
def site(ae_store_path: Path) -> Iterator[Site]:
    s = Site(ae_store_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def http(site: Site) -> TestClient:
    return TestClient(create_api(site))


def test_api_json_and_csv_twins(http: TestClient) -> None:
    body = http.get(ROUTE, params={"trust_type": "acute", "month": "2025-12"}).json()
    assert body["window"] == ["2025-10", "2025-11", "2025-12"]
    assert body["computed_from"].startswith("Computed from the monthly series (A&E Attendances")
    assert "2025-10 to 2025-12" in body["computed_from"]
    assert body["baseline_from"] == "2023-04"  # the latest declared change point before them
    rows = body["organisations"]
    assert len(rows) > 50
    scores = [r["improvement_score"] for r in rows if r["improvement_score"] is not None]
    assert min(scores) == 1.0 and max(scores) == 4.0
    ranked = [r["improvement_rank"] for r in rows if r["improvement_rank"] is not None]
    assert ranked == sorted(ranked) and ranked[0] == 1
    # a provider whose earlier months never vary (all 100%) has no sigma: listed, unranked, last
    assert all(r["improvement"] is None for r in rows[len(ranked) :])
    assert body["most_improved"][0] == rows[0]["code"]
    assert any(r["beyond_noise"] for r in rows) and not all(r["beyond_noise"] for r in rows)
    text = http.get(ROUTE, params={"trust_type": "acute", "month": "2025-12", "format": "csv"})
    table = list(csv.DictReader(io.StringIO(text.text)))
    assert [r["code"] for r in table] == [r["code"] for r in rows]
    assert float(table[0]["improvement"]) == pytest.approx(rows[0]["improvement"])
    assert {r["computed_from"] for r in table} == {"monthly series, 2025-10 to 2025-12"}
    assert http.get(ROUTE, params={"trust_type": "acute", "month": "2009-01"}).status_code == 404
    missing = http.get("/api/v1/improvement/monthly/OF0084", params={"trust_type": "acute"})
    assert missing.status_code == 404  # the staff survey has no monthly series


def test_page_says_it_is_computed_from_the_monthly_series(site: Site) -> None:
    web = TestClient(create_app(site))
    html = web.get("/improvement/monthly/acute/OF0013.html")
    assert html.status_code == 200, html.text[:300]
    assert "Computed from the monthly series" in html.text
    assert 'id="improvement-monthly-scatter"' in html.text and "<circle" in html.text
    assert 'id="most-improved"' in html.text and 'id="most-deteriorated"' in html.text
    twin = web.get("/improvement/monthly/acute/OF0013.json").json()
    assert twin["metric_id"] == "OF0013" and twin["organisations"]


def test_cli_monthly(ae_store_path: Path, http: TestClient) -> None:
    api = http.get(ROUTE, params={"trust_type": "acute", "month": "2025-12"}).json()
    shown = oversight(
        "improvement",
        "-t",
        "acute",
        "--monthly",
        "--metric",
        "OF0013",
        "--month",
        "2025-12",
        "--format",
        "json",
        db=ae_store_path,
    )
    assert shown.returncode == 0, shown.stderr
    cli = json.loads(shown.stdout)["metrics"][0]
    assert [r["code"] for r in cli["organisations"]] == [r["code"] for r in api["organisations"]]
    assert cli["computed_from"] == api["computed_from"]
    csv_text = oversight(
        "improvement",
        "-t",
        "acute",
        "--monthly",
        "-m",
        "OF0013",
        "--month",
        "2025-12",
        "--format",
        "csv",
        db=ae_store_path,
    )
    assert csv_text.returncode == 0, csv_text.stderr
    lines = list(csv.DictReader(io.StringIO(csv_text.stdout)))
    assert [r["code"] for r in lines] == [r["code"] for r in api["organisations"]]
    assert lines[0]["computed_from"] == "monthly series, 2025-10 to 2025-12"
    table = oversight(
        "improvement", "-t", "acute", "--monthly", "--month", "2025-12", db=ae_store_path
    )
    assert table.returncode == 0, table.stderr
    assert "Computed from the monthly series" in table.stdout
    assert "most improved:" in table.stdout and "OF0013" in table.stdout
    bad = oversight(
        "improvement", "-t", "acute", "--monthly", "--metric", "OF9999", db=ae_store_path
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
