"""League tables people can work with, in-process over a store with the NOF files, the ODS/ONS
reference files and the source statistics: filters and sorting on every league table and its
twins, the API's filters, one search for every organisation type, the organisation page's ICB,
sparklines and the organisation-against-organisation comparison."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.service.icbs import icb_map
from oversight.service.site import Site
from oversight.web.app import create_app
from tests.icb_store import build_icb_store

LEAGUE = "/2025-26-q4/league/mental_health_community"


@pytest.fixture(scope="module")
def find_store(national_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("find") / "find.duckdb"
    shutil.copyfile(national_store, db)
    return build_icb_store(db)


@pytest.fixture(scope="module")
def site(find_store: Path) -> Iterator[Site]:
    s = Site(find_store)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site)) as c:
        yield c


def error_field(response: object, status: int = 422) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["status"] == status
    return str(body["errors"][0]["field"])


def test_league_filters_and_sort_reach_the_twins(client: TestClient) -> None:
    everything = client.get(LEAGUE + ".json").json()["rows"]
    london = client.get(LEAGUE + ".json", params={"region": "london"}).json()
    assert london["total"] == sum(r["region"] == "London" for r in everything) > 0
    by_score = client.get(
        LEAGUE + ".json", params={"segment": 2, "sort": "average_score", "order": "desc"}
    ).json()["rows"]
    assert by_score and {r["segment_final"] or r["segment"] for r in by_score} == {2}
    scores = [r["average_score"] for r in by_score]
    assert scores == sorted(scores, reverse=True)
    text = client.get(LEAGUE + ".csv", params={"region": "London"}).text
    assert {r["region"] for r in csv.DictReader(io.StringIO(text))} == {"London"}
    html = client.get(LEAGUE + ".html", params={"region": "London"}).text
    assert 'id="league-filters"' in html and "Showing " + str(london["total"]) + " of 61" in html
    assert 'href="mental_health_community.json?region=London"' in html


def test_league_by_icb_keeps_only_its_trusts(client: TestClient, site: Site) -> None:
    members = {t.code for t in site.read(icb_map).members("QYG")}
    rows = client.get(LEAGUE + ".json", params={"icb": "qyg"}).json()["rows"]
    assert rows and {r["trust_code"] for r in rows} <= members


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "Atlantis"}, "region"),
        ({"icb": "ZZZ"}, "icb"),
        ({"subtype": "Acute"}, "subtype"),
        ({"segment": "x"}, "segment"),
        ({"sort": "secret"}, "sort"),
    ],
)
def test_league_refuses_unknown_values(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    assert error_field(client.get(LEAGUE + ".json", params=params)) == field
    assert client.get(LEAGUE + ".html", params=params).status_code == 422


def test_api_league_filters(client: TestClient, site: Site) -> None:
    members = {t.code for t in site.read(icb_map).members("QYG")}
    rows = client.get("/api/v1/league-tables", params={"icb": "QYG"}).json()["rows"]
    assert rows and {r["trust_code"] for r in rows} <= members
    rows = client.get("/api/v1/league-tables", params={"subtype": "Community"}).json()["rows"]
    assert rows and {r["subtype"] for r in rows} == {"Community"}
    # the API's unknown names are 404s (as an unknown trust type is), naming the parameter
    mars = client.get("/api/v1/league-tables", params={"region": "Mars"})
    assert error_field(mars, 404) == "region"
    assert error_field(client.get("/api/v1/league-tables", params={"icb": "QQQ"}), 404) == "icb"
    assert error_field(client.get("/api/v1/league-tables", params={"segment": 9})) == "segment"


def test_public_and_icb_tables_filter(client: TestClient) -> None:
    acute = client.get("/public/2025-26-q1/league/acute.json", params={"region": "London"})
    assert acute.status_code == 200 and 0 < len(acute.json()["rows"]) < 133
    icbs = client.get("/icbs/2025-26-q1.json", params={"region": "London", "sort": "icb_name"})
    names = [r["icb_name"] for r in icbs.json()["icbs"]]
    assert len(names) == 5 and names == sorted(names)
    assert error_field(client.get("/icbs/2025-26-q1.json", params={"icb": "ZZZ"})) == "icb"


@pytest.mark.parametrize(
    ("query", "code", "kind", "page"),
    [
        ("RAJ", "RAJ", "public", "public/2025-26-q1/league/acute.html#org-RAJ"),
        ("mid and south essex", "RAJ", "public", "public/2025-26-q1/league/acute.html#org-RAJ"),
        ("rx3", "RX3", "nof", "2025-26-q4/org/RX3.html"),
        ("QMJ", "QMJ", "icb", "icbs/2025-26-q1/QMJ.html"),
        ("north central london integrated", "QMJ", "icb", "icbs/2025-26-q1/QMJ.html"),
    ],
)
def test_one_search_for_every_type(
    client: TestClient, query: str, code: str, kind: str, page: str
) -> None:
    rows = client.get("/search.json", params={"q": query}).json()["rows"]
    assert rows[0]["code"] == code and rows[0]["kind"] == kind and rows[0]["page"] == page
    assert client.get("/" + page.split("#")[0]).status_code == 200


def test_organisation_page_links_its_icb(client: TestClient, site: Site) -> None:
    html = client.get("/2025-26-q4/org/RW4.html").text
    assert 'href="../../icbs/2025-26-q1/QYG.html"' in html
    others = [t.code for t in site.read(icb_map).members("QYG") if t.code != "RW4"]
    assert all(f'data-code="{c}"' in html for c in others)
    assert 'href="RXA.html"' in html  # a NOF trust of the same ICB links to its page


def test_sparklines_have_a_text_alternative(client: TestClient) -> None:
    html = client.get(LEAGUE + ".html").text
    assert html.count('class="ov-chart ov-spark"') == 61
    assert "<title>Average score by quarter (lower is better): Q1 2025/26: " in html


def test_compare_two_organisations(client: TestClient) -> None:
    params = [("org", "RX3"), ("org", "rxt")]
    view = client.get("/2025-26-q4/compare.json", params=params).json()
    assert [o["trust_code"] for o in view["organisations"]] == ["RX3", "RXT"]
    record = client.get("/api/v1/organisations/RX3").json()
    mine = [v for v in view["values"] if v["trust_code"] == "RX3"]
    assert [v["metric_id"] for v in mine] == [m["metric_id"] for m in record["metrics"]]
    assert [v["pool_rank"] for v in mine] == [m["pool_rank"] for m in record["metrics"]]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/2025-26-q4/compare.csv", params=params).text))
    )
    assert len(rows) == len(view["values"]) and {r["trust_code"] for r in rows} == {"RX3", "RXT"}
    html = client.get("/2025-26-q4/compare.html", params=params).text
    assert 'id="compare-metrics"' in html and "peer rank" in html
    assert error_field(client.get("/2025-26-q4/compare.json", params={"org": "RX3"})) == "org"
    assert (
        client.get("/2025-26-q4/compare.json", params=[("org", "RX3"), ("org", "ZZZ")]).status_code
        == 404
    )


def test_api_public_league_filters(client: TestClient) -> None:
    url = "/api/v1/public/league"
    params = {"quarter": "Q1 2025/26", "trust_type": "acute"}
    everything = client.get(url, params=params).json()["rows"]
    london = client.get(url, params=params | {"region": "London"}).json()["rows"]
    page = client.get("/public/2025-26-q1/league/acute.json", params={"region": "London"}).json()
    assert 0 < len(london) < len(everything)
    assert [r["trust_code"] for r in london] == [r["trust_code"] for r in page["rows"]]
    by_name = client.get(url, params=params | {"sort": "trust_name", "order": "desc"}).json()
    names = [r["trust_name"] for r in by_name["rows"]]
    assert names == sorted(names, key=str.casefold, reverse=True) and len(names) == len(everything)
    seg = client.get(url, params=params | {"segment": 2, "format": "csv"}).text
    twos = [r["segment"] for r in csv.DictReader(io.StringIO(seg))]
    assert twos and set(twos) == {"2"}
    assert len(twos) == sum(r["segment"] == 2 for r in everything)
    for bad, field in [
        ({"region": "Mars"}, "region"),
        ({"icb": "QQQ"}, "icb"),
        ({"subtype": "Teaching"}, "subtype"),
        ({"sort": "secret"}, "sort"),
        ({"order": "up"}, "order"),
    ]:
        assert error_field(client.get(url, params=params | bad), 404) == field
    assert error_field(client.get(url, params=params | {"segment": 9})) == "segment"


def test_api_icb_table_filters(client: TestClient) -> None:
    url = "/api/v1/icbs"
    icbs = client.get(url, params={"region": "london", "sort": "icb_name"}).json()["icbs"]
    names = [r["icb_name"] for r in icbs]
    assert len(names) == 5 and names == sorted(names)
    one = client.get(url, params={"icb": "qmj"}).json()["icbs"]
    assert [r["icb_code"] for r in one] == ["QMJ"]
    worst = client.get(url, params={"sort": "average_score", "order": "desc"}).json()["icbs"]
    scores = [r["average_score"] for r in worst if r["average_score"] is not None]
    assert len(worst) == 42 and scores == sorted(scores, reverse=True)
    assert error_field(client.get(url, params={"icb": "ZZZ"}), 404) == "icb"
    assert error_field(client.get(url, params={"region": "Mars"}), 404) == "region"
    assert error_field(client.get(url, params={"sort": "secret"}), 404) == "sort"
    assert error_field(client.get(url, params={"subtype": "Acute"}), 404) == "subtype"
