"""A provider's services through the API (``/api/v1/services/{code}/all``) and the dashboard
(``/services/{code}.html`` with its JSON and CSV twins): the same numbers in every form, the
month chosen by a GET form, 404 envelopes for an unknown code or month, and no internal
identifier in the page's text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.service.site import Site
from oversight.web.app import create_app
from tests.functional.web.test_page_text import internal_identifiers, visible_text
from tests.icb_store import build_icb_store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    s = Site(build_icb_store(tmp_path_factory.mktemp("services-api") / "services.duckdb"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def api(site: Site) -> TestClient:
    return TestClient(create_api(site))


@pytest.fixture(scope="module")
def web(site: Site) -> TestClient:
    return TestClient(create_app(site))


def test_json_and_csv_twins_agree(api: TestClient, web: TestClient) -> None:
    body = api.get("/api/v1/services/RAJ/all", params={"month": "2025-06"}).json()
    assert body["code"] == "RAJ" and body["month"] == "2025-06"
    fds = next(s for s in body["splits"] if s["key"] == "cancer_fds_route")
    one = api.get(
        "/api/v1/services/RAJ",
        params={"metric": "OF0010", "by": "subgroup", "month": "2025-06"},
    ).json()
    assert [(p["key"], p["share"], p["rank"]) for p in fds["parts"]] == [
        (p["key"], p["share"], p["rank"]) for p in one["parts"]
    ]
    text = api.get("/api/v1/services/RAJ/all", params={"month": "2025-06", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    parts = [(s["key"], p["key"]) for s in body["splits"] for p in s["parts"]]
    assert [(r["split"], r["key"]) for r in rows] == parts
    assert web.get("/services/RAJ.json", params={"month": "2025-06"}).json() == body
    page_csv = web.get("/services/RAJ.csv", params={"month": "2025-06"}).text
    assert page_csv == text


def test_unknown_code_or_month_is_a_404_envelope(api: TestClient, web: TestClient) -> None:
    for path, params in (
        ("/api/v1/services/ZZZ/all", {}),
        ("/api/v1/services/RAJ/all", {"month": "2009-01"}),
        ("/services/ZZZ.json", {}),
        ("/services/RAJ.csv", {"month": "2009-01"}),
    ):
        answer = (
            api.get(path, params=params)
            if path.startswith("/api")
            else web.get(path, params=params)
        )
        assert answer.status_code == 404, path
        assert answer.json()["ok"] is False and answer.json()["status"] == 404
    assert web.get("/services/ZZZ.html").status_code == 404
    assert api.get("/api/v1/services/RAJ/all", params={"month": "2025-13"}).status_code == 422


def test_page_shows_parts_ranks_and_the_month_form(web: TestClient) -> None:
    html = web.get("/services/RAJ.html").text
    assert 'id="month-picker"' in html and 'method="get"' in html
    assert 'name="month"' in html and '<option value="2025-06"' in html
    assert 'data-split="diagnostics_test"' in html and 'data-part="computed_tomography"' in html
    assert "95% interval of the share" in html and "data-drives" in html
    assert internal_identifiers(visible_text(html)) == []
    june = web.get("/services/RAJ.html", params={"month": "2025-06"}).text
    assert '<option value="2025-06" selected>' in june
    # linked from search and from its row of the modelled public league table
    assert "services/RAJ.html" in web.get("/search.html", params={"q": "RAJ"}).text
    league = web.get("/public/2025-26-q1/league/acute.html").text
    assert 'href="../../../services/RAJ.html"' in league
