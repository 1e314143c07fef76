"""The caterpillar plot's data: every ranked organisation of a league table, best first, with
the very ranks and likely ranges the league table shows (NOF and MODELLED), and the plot drawn
from them (one labelled point per organisation, in the same order)."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from oversight.api import records
from oversight.api.likely_ranks_models import likely_ranks_out
from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.service.likely_ranks import LikelyRanks, nof_likely_ranks, public_likely_ranks
from oversight.service.public_quarter import public_quarter
from oversight.service.public_tables import public_league
from oversight.service.site import Site
from oversight.store import connect
from oversight.store.collections import store_releases
from oversight.web.likely_ranks_charts import caterpillar, point_label
from tests.unit.test_public_tables import FILES, NHS

MH = "mental_health_community"


@pytest.fixture(scope="module")
def site(national_store: Path) -> Site:
    return Site(national_store)


def test_rows_are_the_league_tables_in_rank_order(site: Site) -> None:
    for q in site.quarters:
        found = nof_likely_ranks(site, q, MH)
        league = records.league(site, q, MH).rows
        assert [(r.trust_code, r.rank, r.rank_low, r.rank_high, r.segment) for r in found.rows] == [
            (r.trust_code, r.rank, r.rank_low, r.rank_high, r.segment) for r in league
        ]
        ranks = [r.rank for r in found.rows]
        assert ranks == sorted(ranks) and len(found.rows) == 61
        assert all(
            r.rank_low is not None
            and r.rank_high is not None
            and r.rank_low <= r.rank <= r.rank_high
            for r in found.rows
        )
        assert not found.modelled
        assert (
            found.method_label
            == f"{records.league(site, q, MH).meta.range_method.replace('_', ' ')} bootstrap"
        )


def test_any_spelling_of_quarter_and_type_gives_the_same_table(site: Site) -> None:
    a = nof_likely_ranks(site, "2025-26-q4", MH)
    b = nof_likely_ranks(site, "Q4 2025/26", "Mental health and community trust")
    assert a == b and a.quarter == "Q4 2025/26"


def test_method_label_names_no_ranges_plainly() -> None:
    none = LikelyRanks("Q1 2025/26", "acute", "Acute trust", "none", False, [])
    assert none.method_label == "no likely ranges"


def test_the_plot_draws_one_labelled_point_per_organisation_in_order(site: Site) -> None:
    view = likely_ranks_out(nof_likely_ranks(site, None, MH))
    svg = str(caterpillar(view, lambda code: f"#org-{code}"))
    codes = re.findall(r'class="ov-cat-point" href="#org-([A-Z0-9]+)"', svg)
    assert codes == [r.trust_code for r in view.rows]
    first = view.rows[0]
    assert f'aria-label="{escape(point_label(first, 61))}"' in svg
    assert "rank 1 of 61, likely" in point_label(first, 61)
    # every bar spans its likely range on one scale: its length over the range is one constant
    bars = re.findall(
        r'<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#\w+" '
        r'stroke-width="4"',
        svg,
    )
    assert len(bars) == len(view.rows)
    scales = {
        round((float(b) - float(a)) / (r.rank_high - r.rank_low), 1)
        for (a, b), r in zip(bars, view.rows, strict=True)
        if r.rank_low is not None and r.rank_high is not None and r.rank_high > r.rank_low
    }
    assert len(scales) == 1


def test_an_empty_table_draws_nothing(site: Site) -> None:
    view = likely_ranks_out(nof_likely_ranks(site, None, MH))
    assert str(caterpillar(view.model_copy(update={"rows": []}), str)) == ""


def test_modelled_rows_are_the_modelled_league_tables(tmp_path: Path) -> None:
    con = connect(tmp_path / "p.duckdb")
    try:
        for cid, pattern in FILES:
            definition = collection(cid)
            read = reader_for(definition)
            store_releases(con, [read(p, definition) for p in sorted(NHS.glob(pattern))])
        pq = public_quarter(con, "Q1 2025/26")
        found = public_likely_ranks(pq, "ambulance")
        league = public_league(con, "Q1 2025/26", "ambulance", pq)
    finally:
        con.close()
    assert found.modelled and found.rows
    assert [(r.trust_code, r.rank, r.rank_low, r.rank_high, r.segment) for r in found.rows] == [
        (r.trust_code, r.rank, r.rank_low, r.rank_high, r.segment) for r in league.rows
    ]
    assert all(r.modelled for r in likely_ranks_out(found).rows)
