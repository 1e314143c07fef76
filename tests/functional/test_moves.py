"""Is the move real? The moves of the bundled quarters through the service, the API and the CLI.

The distributions the moves are read from must be the likely ranges' own (the same bootstrap):
their 2.5% and 97.5% points reproduce every organisation's published-method likely rank.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.engine.nof.moves import moves_between, quarter_distributions, summarise
from oversight.engine.nof.quarter import RangeOptions
from oversight.service.moves import quarter_moves
from oversight.service.site import Site
from oversight.web.app import create_app
from oversight.web.moves_pages import moves_path
from oversight.web.pages import league_path, org_path
from tests.functional.inprocess import oversight


@pytest.fixture(scope="module")
def site(national_store: Path) -> Iterator[Site]:
    s = Site(national_store)
    yield s
    s.close()


@pytest.fixture(scope="module")
def http(site: Site) -> TestClient:
    return TestClient(create_api(site))


def test_distributions_are_the_likely_ranges_own(site: Site) -> None:
    result = site.result(None)
    for trust_type in sorted({o.trust_type for o in result.orgs if o.rank_low is not None}):
        found = quarter_distributions(result, trust_type)
        assert found is not None
        cdf = np.cumsum(found.rank, axis=1)
        for code, row in zip(found.codes, cdf, strict=True):
            org = result.org(code)
            assert org is not None
            assert int((row < 0.025 - 1e-12).sum()) + 1 == org.rank_low
            assert int((row < 0.975 - 1e-12).sum()) + 1 == org.rank_high


def test_summary_counts_the_moves(site: Site) -> None:
    found = quarter_moves(site, None)
    assert found.moves and found.before != found.after
    overall = next(s for s in found.summary if s.trust_type == "all")
    assert overall.organisations == len(found.moves)
    for m in found.moves:
        for change, p, real in (
            (m.rank_change, m.rank_probability, m.rank_real),
            (m.segment_change, m.segment_probability, m.segment_real),
        ):
            assert (p is None) == (change == 0)
            if p is not None:
                assert 0.0 <= p <= 1.0 and real == (p >= found.real_at)
    real = sum(m.rank_real is True for m in found.moves)
    assert overall.rank["real"] == real
    assert overall.rank["unchanged"] == sum(m.rank_change == 0 for m in found.moves)


def test_api_json_and_csv_twins(http: TestClient) -> None:
    whole = http.get("/api/v1/moves")
    assert whole.status_code == 200
    body = whole.json()
    rows = list(csv.DictReader(io.StringIO(http.get("/api/v1/moves?format=csv").text)))
    assert [r["trust_code"] for r in rows] == [m["trust_code"] for m in body["moves"]]
    first = http.get("/api/v1/quarters").json()[0]["quarter"]
    missing = http.get("/api/v1/moves", params={"quarter": first})
    assert missing.status_code == 404 and "no moves" in missing.json()["error"]


def test_organisation_moves_and_history_column(
    site: Site, http: TestClient, national_store: Path
) -> None:
    moved = next(m for m in http.get("/api/v1/moves").json()["moves"] if m["rank_probability"])
    code = moved["trust_code"]
    own = http.get(f"/api/v1/organisations/{code}/moves").json()["moves"]
    assert own[-1] == moved
    org = site.result(moved["after"]).org(code)
    assert org is not None and moved["rank_low_after"] == org.rank_low
    shown = oversight("history", code, "--format", "json", db=national_store)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["moves"][-1]["rank_probability"] == moved["rank_probability"]
    table = oversight("moves", "--all", db=national_store, wide=True)
    assert table.returncode == 0 and code in table.stdout and "real / noise" in table.stdout


def test_organisation_page_shows_its_moves(site: Site, http: TestClient) -> None:
    moved = next(m for m in http.get("/api/v1/moves").json()["moves"] if m["rank_probability"])
    page = TestClient(create_app(site)).get("/" + org_path(site.latest, moved["trust_code"]))
    assert page.status_code == 200
    table = page.text[page.text.index('id="moves-table"') :]
    assert f"{moved['before']} to {moved['after']}</a>" in table
    assert f"{moved['rank_probability']:.2f}" in table


def test_moves_page_and_its_twins(site: Site, http: TestClient) -> None:
    pages = TestClient(create_app(site))
    path = "/" + moves_path(site.latest)
    html = pages.get(path)
    assert html.status_code == 200 and 'id="moves-table"' in html.text
    slope = html.text[html.text.index('id="moves-slope"') : html.text.index("</figure>")]
    assert slope.count("<line") >= len(html.text.split('data-code="')) - 1  # one per move
    twin = pages.get(path.replace(".html", ".json")).json()
    assert twin == http.get("/api/v1/moves").json()
    rows = list(csv.DictReader(io.StringIO(pages.get(path.replace(".html", ".csv")).text)))
    assert len(rows) == len(twin["moves"])
    for m in twin["moves"]:
        assert f'data-code="{m["trust_code"]}"' in html.text
    assert pages.get("/" + moves_path(site.quarters[0])).status_code == 404


def test_league_table_says_how_many_moves_are_real(site: Site) -> None:
    found = quarter_moves(site, None)
    trust_type = found.moves[0].trust_type
    summary = next(s for s in found.summary if s.trust_type == trust_type)
    page = TestClient(create_app(site)).get("/" + league_path(site.latest, trust_type))
    assert page.status_code == 200
    part = page.text[page.text.index('id="league-moves"') :]
    changed = summary.rank["real"] + summary.rank["noise"]
    assert f"{changed} changed rank and {summary.rank['real']} of those" in part
    first = TestClient(create_app(site)).get("/" + league_path(site.quarters[0], trust_type))
    assert first.status_code == 200 and 'id="league-moves"' not in first.text


def test_without_a_bootstrap_no_move_is_called_real(site: Site) -> None:
    skip = RangeOptions(skip=True)
    before, after = (site.result(q, skip) for q in site.quarters[-2:])
    moves = moves_between(before, after)
    assert moves and all(m.rank_probability is None and not m.rank_real for m in moves)
    overall = summarise(moves)[-1]
    assert overall.rank["real"] == 0
    assert overall.rank["noise"] == sum(m.rank_change != 0 for m in moves)
