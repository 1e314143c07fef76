"""Comparable peers on the bundled quarters: service, API twins and CLI, beside the official."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api.app import create_api
from oversight.service.peer_league import peer_league
from oversight.service.site import Site
from oversight.web.app import create_app
from oversight.web.peer_pages import peer_path
from tests.functional.inprocess import oversight

MHC = "mental_health_community"


@pytest.fixture(scope="module")
def site(national_store: Path) -> Iterator[Site]:
    s = Site(national_store)
    yield s
    s.close()


def test_the_official_grouping_changes_nothing(site: Site) -> None:
    table = peer_league(site, None, MHC, "trust_type")
    official = {o.trust_code: (o.segment, o.rank) for o in site.result(None).league_table(MHC)}
    assert {r.trust_code: (r.segment, r.rank) for r in table.rows} == official
    assert table.changed == []


def test_subtype_groups_are_the_files_subtypes(site: Site) -> None:
    table = peer_league(site, None, MHC, "subtype")
    by_group: dict[str, set[str]] = {}
    for o in site.result(None).league_table(MHC):
        by_group.setdefault(o.subtype, set()).add(o.trust_code)
    assert {
        g: {r.trust_code for r in table.rows if r.peer_group == g} for g in by_group
    } == by_group
    for r in table.rows:
        assert r.rank is not None and 1 <= r.rank <= r.group_size
        assert r.segment_changed == (r.segment != r.official_segment)


def test_api_twins_and_cli(site: Site, national_store: Path) -> None:
    http = TestClient(create_api(site))
    params = {"trust_type": MHC, "peers": "region"}
    body = http.get("/api/v1/peer-league", params=params).json()
    text = http.get("/api/v1/peer-league", params={**params, "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["trust_code"] for r in rows] == [o["trust_code"] for o in body["organisations"]]
    assert body["changed"] == [
        o["trust_code"] for o in body["organisations"] if o["segment_changed"]
    ]
    bad = http.get("/api/v1/peer-league", params={**params, "peers": "size"})
    assert bad.status_code == 404
    shown = oversight(
        "peer-league", "-t", MHC, "--peers", "region", "--format", "json", db=national_store
    )
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["changed"] == body["changed"]
    refused = oversight("peer-league", "-t", MHC, "--peers", "size", db=national_store)
    assert refused.returncode == 1 and "Unknown peer grouping" in refused.stderr


def test_peer_page_and_twins(site: Site) -> None:
    pages = TestClient(create_app(site))
    path = "/" + peer_path(site.latest, "subtype", MHC)
    html = pages.get(path)
    assert html.status_code == 200
    twin = pages.get(path.replace(".html", ".json")).json()
    rows = list(csv.DictReader(io.StringIO(pages.get(path.replace(".html", ".csv")).text)))
    assert [r["trust_code"] for r in rows] == [o["trust_code"] for o in twin["organisations"]]
    assert html.text.count('data-changed="yes"') == len(twin["changed"])
    assert f"{len(twin['changed'])} of {len(rows)} organisations change segment" in html.text
    assert pages.get("/" + peer_path(site.latest, "size", MHC)).status_code == 404
