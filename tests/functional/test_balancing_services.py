"""Balancing alerts and A&E services through the API (JSON and CSV twins) and the CLI, on the
bundled monthly A&E files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.service.balancing import balancing_alerts
from oversight.service.site import Site
from oversight.web.app import create_app
from tests.functional.inprocess import oversight


@pytest.fixture(scope="module")
def site(ae_store_path: Path) -> Iterator[Site]:
    s = Site(ae_store_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def http(site: Site) -> TestClient:
    return TestClient(create_api(site))


def test_balancing_route_and_cli(http: TestClient, ae_store_path: Path) -> None:
    body = http.get("/api/v1/balancing", params={"month": "2025-12"}).json()
    ae = next(p for p in body["pairs"] if p["headline"] == "OF0013")
    assert ae["month"] == "2025-12" and ae["judged"] > 100 and ae["why"]
    assert "special-cause" in body["rule"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                http.get("/api/v1/balancing", params={"month": "2025-12", "format": "csv"}).text
            )
        )
    )
    assert [r["code"] for r in rows] == [a["code"] for p in body["pairs"] for a in p["alerts"]]
    shown = oversight("balancing", "--month", "2025-12", "--format", "json", db=ae_store_path)
    assert shown.returncode == 0, shown.stderr
    cli = next(p for p in json.loads(shown.stdout)["pairs"] if p["headline"] == "OF0013")
    assert [a["code"] for a in cli["alerts"]] == [a["code"] for a in ae["alerts"]]
    assert http.get("/api/v1/balancing", params={"month": "nonsense"}).status_code >= 400


def test_services_route(http: TestClient) -> None:
    body = http.get("/api/v1/ae/RX1/services", params={"month": "2025-12"}).json()
    assert body["code"] == "RX1" and body["month"] == "2025-12"
    assert body["services"][0]["department_type"] == "all_types"
    text = http.get("/api/v1/ae/RX1/services", params={"month": "2025-12", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["department_type"] for r in rows] == [s["department_type"] for s in body["services"]]
    assert http.get("/api/v1/ae/ZZZ/services").status_code == 404
    # a month not stored is not found; one that is no month is refused by the schema
    assert http.get("/api/v1/ae/RX1/services", params={"month": "2009-01"}).status_code == 404
    assert http.get("/api/v1/ae/RX1/services", params={"month": "2025-13"}).status_code == 422


def test_series_page_shows_services_and_balancing(site: Site) -> None:
    web = TestClient(create_app(site))
    alerted = {a.code for a in balancing_alerts(site).alerts}
    quiet = next(c for c in ("RX1", "RJ1", "RAL", "RWE") if c not in alerted)
    html = web.get(f"/ae/{quiet}/ae_4hr_all_types.html").text
    assert 'id="services-table"' in html and 'data-department-type="type1"' in html
    assert "No balancing-measure alert in the latest month." in html
    assert alerted  # May 2026 has alerts (docs/method.md, 5c)
    html = web.get(f"/ae/{sorted(alerted)[0]}/ae_4hr_all_types.html").text
    assert "Alert," in html and "beyond common-cause variation" in html
    england = web.get("/ae/ENGLAND/ae_4hr_all_types.html").text
    assert 'id="services"' not in england and 'id="balancing"' not in england


def test_metric_parts_route(http: TestClient) -> None:
    params = {"metric": "OF0013", "by": "breakdown", "month": "2025-12"}
    body = http.get("/api/v1/services/RX1", params=params).json()
    ae = http.get("/api/v1/ae/RX1/services", params={"month": "2025-12"}).json()
    assert [p["rank"] for p in body["parts"]] == [s["rank"] for s in ae["services"]]
    text = http.get("/api/v1/services/RX1", params={**params, "format": "csv"}).text
    assert [r["key"] for r in csv.DictReader(io.StringIO(text))] == [
        p["key"] for p in body["parts"]
    ]
    assert http.get("/api/v1/services/RX1", params={"metric": "NOPE"}).status_code == 404
    assert http.get("/api/v1/services/ZZZ", params=params).status_code == 404
