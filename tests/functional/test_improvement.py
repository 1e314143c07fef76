"""Improvement beside position on the bundled quarters: service, API twins and CLI."""

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
from oversight.service.improvement import improvement_table
from oversight.service.site import Site
from oversight.web.app import create_app
from oversight.web.improvement_pages import improvement_path
from oversight.web.pages import league_path
from tests.functional.inprocess import oversight

MHC = "mental_health_community"


@pytest.fixture(scope="module")
def site(national_store: Path) -> Iterator[Site]:
    s = Site(national_store)
    yield s
    s.close()


def test_metric_change_against_own_earlier_quarters(site: Site) -> None:
    table = improvement_table(site, None, MHC)
    assert table.rows and table.earlier == site.quarters[:-1][-3:]
    row = table.rows[0]
    metric = next(m for m in row.metrics if m.change is not None)
    # the same change read straight from each quarter's engine result
    own = []
    for q in [*table.earlier, table.quarter]:
        org = site.result(q).org(row.trust_code)
        assert org is not None
        own += [[s.used for s in org.scores if s.metric_id == metric.metric_id] or [np.nan]]
    held = [v[0] for v in own[:-1] if not np.isnan(v[0])]
    assert metric.change == pytest.approx(own[-1][0] - float(np.mean(held)), abs=1e-4)


def test_ranked_by_improvement_score_beside_position(site: Site) -> None:
    table = improvement_table(site, None, MHC)
    ranked = [r for r in table.rows if r.improvement_rank is not None]
    scores = [r.improvement_score for r in ranked]
    assert scores == sorted(scores)  # type: ignore[type-var]
    assert ranked[0].improvement_rank == 1
    assert all(r.position_rank is not None for r in table.rows)
    for r in table.rows:
        if r.average_z is not None:
            assert r.beyond_noise == (abs(r.average_z) >= table.beyond_noise_at)
    zs = [r.average_z for r in table.rows if r.average_z is not None]
    assert abs(float(np.mean(zs))) < 1e-3  # standardised against the peers
    assert table.most_improved(1)[0].average_z == min(zs)


def test_api_twins_and_cli(site: Site, national_store: Path) -> None:
    http = TestClient(create_api(site))
    body = http.get("/api/v1/improvement", params={"trust_type": MHC}).json()
    rows = list(
        csv.DictReader(
            io.StringIO(
                http.get("/api/v1/improvement", params={"trust_type": MHC, "format": "csv"}).text
            )
        )
    )
    assert [r["trust_code"] for r in rows] == [o["trust_code"] for o in body["organisations"]]
    assert http.get("/api/v1/improvement", params={"trust_type": "nonsense"}).status_code == 404
    shown = oversight("improvement", "-t", MHC, "--format", "json", db=national_store)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["organisations"][0]["trust_code"] == rows[0]["trust_code"]
    table = oversight("improvement", "-t", MHC, db=national_store, wide=True)
    assert "most improved:" in table.stdout and "most deteriorated:" in table.stdout


def test_improvement_page_scatter_and_twins(site: Site) -> None:
    pages = TestClient(create_app(site))
    path = "/" + improvement_path(site.latest, MHC)
    html = pages.get(path)
    assert html.status_code == 200
    twin = pages.get(path.replace(".html", ".json")).json()
    rows = list(csv.DictReader(io.StringIO(pages.get(path.replace(".html", ".csv")).text)))
    assert [r["trust_code"] for r in rows] == [o["trust_code"] for o in twin["organisations"]]
    scatter = html.text[html.text.index('id="improvement-scatter"') : html.text.index("</figure>")]
    ranked = [o for o in twin["organisations"] if o["improvement_rank"] is not None]
    assert scatter.count("<circle") == len(ranked)
    league = pages.get("/" + league_path(site.latest, MHC)).text
    assert improvement_path(site.latest, MHC).split("/")[-1] in league
    assert pages.get("/" + improvement_path(site.latest, "nonsense")).status_code == 404
