"""Red/amber/green against each provider's own ICB, on a store with the ODS/ONS reference files
and three months of A&E: every grouped provider is judged against the pooled share of the
providers ODS places in its ICB that month, and the page and API say so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.api import ae_records
from oversight.service.site import Site
from oversight.web.app import create_app
from tests.icb_store import icb_store_path  # noqa: F401 - the session fixture


@pytest.fixture(scope="module")
def site(icb_store_path: Path) -> Iterator[Site]:  # noqa: F811
    s = Site(icb_store_path)
    yield s
    s.close()


def test_each_provider_against_its_own_icb(site: Site) -> None:
    view = ae_records.funnel_view(site, "ae_4hr_type1", "2025-06", "icb")
    meta = view.meta
    assert meta.comparator == "ICB" and meta.comparator_kind == "icb"
    assert "its own ICB's pooled share" in meta.rag_rule
    pools = {g.name: g for g in meta.groups}
    grouped = [r for r in view.rows if r.group]
    assert len(pools) > 30 and len(grouped) > 100  # 42 ICBs; ~120 type 1 trusts
    for g in pools.values():  # the pooled share is its providers' counts pooled
        members = [r for r in grouped if r.group == g.name]
        assert len(members) == g.providers
        num = sum(r.numerator for r in members)
        den = sum(r.denominator for r in members)
        assert g.value == pytest.approx(num / den)
        for r in members:
            assert r.group_target == g.value and r.group_size == g.providers
            if g.providers == 1:
                assert r.rag == "none" and "only provider" in r.rag_label
            else:
                assert r.rag in ("red", "amber", "green", "similar")
                assert r.rag == "similar" or "its ICB" in r.rag_label


def test_icb_comparator_on_the_page_and_api(site: Site) -> None:
    client = TestClient(create_app(site))
    page = client.get("/ae/funnel/ae_4hr_type1/2025-06.html", params={"comparator": "ICB"})
    assert page.status_code == 200
    assert "Red, amber and green against its ICB" in page.text and 'id="group-table"' in page.text
    body = client.get("/api/v1/ae/funnel", params={"month": "2025-06", "comparator": "ICB"})
    assert body.status_code == 200 and body.json()["meta"]["groups"]
    row = next(r for r in body.json()["rows"] if r["group_size"] > 1)
    code = row["code"]
    series = client.get(f"/api/v1/series/{code}", params={"metric": "ae_4hr_type1",
                                                           "comparator": "ICB"})  # fmt: skip
    comparison = series.json()["meta"]["comparison"]
    assert comparison["month"] == "2025-06" and comparison["comparator"] == row["group"]
    assert comparison["code"] == row["rag"] and "own ICB" in comparison["rule"]
