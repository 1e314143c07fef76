"""History across the four published quarters of 2025/26."""

from __future__ import annotations

import csv

import duckdb

from oversight.engine.nof.history import history, rank_block, runs_of
from oversight.engine.nof.quarter import run_quarter
from oversight.frameworks import Framework
from tests.conftest import MH_DATA


def _published(metric: str) -> dict[tuple[str, str], float]:
    with MH_DATA.open(encoding="utf-8-sig") as fh:
        return {
            (r["Quarter"], r["Trust_code"]): float(r["Value"])
            for r in csv.DictReader(fh)
            if r["Metric_ID"] == metric
        }


def test_history_follows_the_published_segments(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    published = _published("OF5000")
    for code in ("RWR", "RY2", "RYY"):
        h = history(store, framework, code)
        assert [s.quarter for s in h.standings] == [
            "Q1 2025/26",
            "Q2 2025/26",
            "Q3 2025/26",
            "Q4 2025/26",
        ]
        assert all(s.segment == published[(s.quarter, code)] for s in h.standings)
        assert sum(r.quarters for r in h.runs) == 4
        assert all(a.segment != b.segment for a, b in zip(h.runs, h.runs[1:], strict=False))


def test_a_segment_is_sure_only_inside_its_rank_block(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    result = run_quarter(store, framework, "Q4 2025/26")
    h = history(store, framework, "RYY")
    q4 = h.standings[-1]
    block = rank_block(result, "mental_health_community", q4.segment or 0)
    assert block is not None
    inside = block[0] <= (q4.rank_low or 0) and (q4.rank_high or 999) <= block[1]
    assert q4.segment_sure == inside
    runs = runs_of(h.standings)
    assert runs[-1].sure_quarters <= runs[-1].quarters
