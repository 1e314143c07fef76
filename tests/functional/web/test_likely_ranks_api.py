"""The likely-ranks (caterpillar) routes over real HTTP against `oversight serve`: the API's
JSON, CSV and Parquet, the page's JSON and CSV twins, each the league table's ranks and ranges
in rank order; the league and organisation pages link to every fairer-tables view; and the
MODELLED table's twins say it is modelled."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from oversight.service.site import Site
from oversight.web.app import create_app
from tests.functional.web.conftest import Server
from tests.functional.web.test_public_pages import public_store  # noqa: F401 - a fixture

Q4 = "Q4 2025/26"
MH = "mental_health_community"
PAGE = "/likely-ranks/2025-26-q4/mental_health_community"
FIELDS = ("trust_code", "rank", "rank_low", "rank_high", "segment")


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=600) as client:
        yield client


def league_rows(http: httpx.Client) -> list[tuple[object, ...]]:
    body = http.get(
        "/api/v1/league-tables", params={"quarter": Q4, "trust_type": MH, "limit": 1000}
    ).json()
    return [tuple(r[f] for f in FIELDS) for r in body["rows"]]


def test_api_json_is_the_league_tables_ranks_and_ranges(http: httpx.Client) -> None:
    r = http.get("/api/v1/likely-ranks", params={"quarter": Q4, "trust_type": MH})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["quarter"] == Q4 and body["trust_type"] == MH and body["modelled"] is False
    assert body["organisations"] == 61 == len(body["rows"])
    assert body["method_label"].endswith("bootstrap")
    assert [tuple(row[f] for f in FIELDS) for row in body["rows"]] == league_rows(http)


def test_api_csv_and_parquet_are_the_rows(http: httpx.Client) -> None:
    params = {"quarter": Q4, "trust_type": MH}
    r = http.get("/api/v1/likely-ranks", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="likely-ranks-mental_health_community.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["rank"]) for row in rows] == sorted(int(row["rank"]) for row in rows)
    assert [row["trust_code"] for row in rows] == [t[0] for t in league_rows(http)]
    assert {row["modelled"] for row in rows} == {"false"}
    parquet = http.get("/api/v1/likely-ranks", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 61 and table.column("rank_low").to_pylist() == [
        t[2] for t in league_rows(http)
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"trust_type": "no_such_type"}, 404),
        ({"trust_type": MH, "quarter": "Q1 1999/00"}, 404),
        ({}, 422),
        ({"trust_type": MH, "format": "xml"}, 422),
    ],
)
def test_api_errors_have_the_one_shape(
    http: httpx.Client, params: dict[str, str], status: int
) -> None:
    r = http.get("/api/v1/likely-ranks", params=params)
    assert r.status_code == status, r.text
    assert r.json()["ok"] is False and r.json()["status"] == status


def test_page_twins_match_the_api(http: httpx.Client) -> None:
    api = http.get("/api/v1/likely-ranks", params={"quarter": Q4, "trust_type": MH}).json()
    page = http.get(PAGE + ".html")
    assert page.status_code == 200
    assert 'rel="alternate"' in page.headers["link"]
    assert page.text.count('class="ov-cat-point"') == 61
    assert api["method_label"] in page.text
    assert http.get(PAGE + ".json").json() == api
    rows = list(csv.DictReader(io.StringIO(http.get(PAGE + ".csv").text)))
    assert [r["trust_code"] for r in rows] == [r["trust_code"] for r in api["rows"]]
    assert http.get("/likely-ranks/2025-26-q4/no_such_type.json").status_code == 404
    assert http.get("/likely-ranks/not-a-quarter/acute.html").status_code == 404


def test_league_and_organisation_pages_link_to_every_view(http: httpx.Client) -> None:
    league = http.get(f"/2025-26-q4/league/{MH}.html").text
    section = league[league.index('id="other-views"') :]
    for target in (
        f"../../likely-ranks/2025-26-q4/{MH}.html",
        "../moves.html",
        f"../../improvement/2025-26-q4/{MH}.html",
        f"../../data-quality/2025-26-q4/{MH}.html",
        f"../../peers/2025-26-q4/region/{MH}.html",
        "../../api/v1/balancing",
    ):
        assert f'href="{target}' in section, target
    code = league_rows(http)[0][0]
    org = http.get(f"/2025-26-q4/org/{code}.html").text
    assert f'href="../../likely-ranks/2025-26-q4/{MH}.html#org-{code}"' in org
    first = http.get(f"/2025-26-q1/league/{MH}.html").text
    assert "moves.html" not in first[first.index('id="other-views"') :]  # no quarter before


def test_modelled_twins_say_so(public_store: Path) -> None:  # noqa: F811
    site = Site(public_store)
    try:
        with TestClient(create_app(site)) as client:
            api = client.get(
                "/api/v1/public/likely-ranks",
                params={"trust_type": "acute", "quarter": "Q3 2025/26"},
            )
            assert api.status_code == 200, api.text
            body = api.json()
            assert body["modelled"] is True and body["rows"]
            league = client.get(
                "/api/v1/public/league", params={"trust_type": "acute", "quarter": "Q3 2025/26"}
            ).json()
            assert [tuple(r[f] for f in FIELDS) for r in body["rows"]] == [
                tuple(r[f] for f in FIELDS) for r in league["rows"]
            ]
            page = client.get("/public/2025-26-q3/likely-ranks/acute.html")
            assert page.status_code == 200 and "not NHS England's result" in page.text
            assert "modelled from public data" in page.text
            csv_rows = list(
                csv.DictReader(
                    io.StringIO(client.get("/public/2025-26-q3/likely-ranks/acute.csv").text)
                )
            )
            assert {r["modelled"] for r in csv_rows} == {"true"}
            modelled_league = client.get("/public/2025-26-q3/league/acute.html").text
            assert 'href="../likely-ranks/acute.html"' in modelled_league
    finally:
        site.close()
