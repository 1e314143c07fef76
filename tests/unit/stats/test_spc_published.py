"""Phased SPC on the published monthly A&E files (bundled, April 2018 on).

One set of limits over 2018-2026 makes nearly every month of England's 4-hour share "special
cause" (the pandemic and the years after it are different processes). Recalculated at the
change points the collection declares, the signals left are those within a phase: fewer, and
for the median organisation a minority of months.
"""

from __future__ import annotations

import statistics

import duckdb

from oversight.engine.sources.ae_series import ENGLAND, series
from oversight.frameworks.ae import ae_metrics, ae_successors
from oversight.frameworks.collections import collection
from oversight.service.series import SeriesSpc, with_spc
from oversight.store.collections_query import organisations

METRIC = "ae_4hr_all_types"


def charted(con: duckdb.DuckDBPyConnection, code: str, phased: bool) -> SeriesSpc:
    points = series(con, ae_metrics(), METRIC, code, ae_successors())
    cps = [c.month for c in collection("ae_monthly").spc.change_points] if phased else []
    months = [f"{p.month:%Y-%m}" for p in points]
    return with_spc(months, [p.value for p in points], "increase", change_points=cps)


def special(s: SeriesSpc) -> int:
    assert s.chart is not None
    return sum(t != "common_cause" for t in s.chart.point_types)


def test_england_four_hour_special_cause_months(ae_store: duckdb.DuckDBPyConnection) -> None:
    single, phased = charted(ae_store, ENGLAND, False), charted(ae_store, ENGLAND, True)
    assert single.chart is not None and phased.chart is not None
    n = len(single.chart.y)
    assert n >= 90
    assert special(single) >= 0.95 * n  # the issue: nearly every month with one set of limits
    assert special(phased) <= 0.8 * n and special(single) - special(phased) >= 15
    # four phases, none with trial limits (12 points or more each)
    assert len(phased.chart.limits) == 4
    assert min(lim.points_used for lim in phased.chart.limits) >= 12


def test_most_organisations_months_are_common_cause_once_phased(
    ae_store: duckdb.DuckDBPyConnection,
) -> None:
    codes = [o.code for o in organisations(ae_store, "ae_monthly") if o.code != ENGLAND]
    share_single, share_phased = [], []
    for code in codes:
        points = series(ae_store, ae_metrics(), METRIC, code, as_published=True)
        known = sum(p.value is not None for p in points)
        if known < 48:
            continue
        months = [f"{p.month:%Y-%m}" for p in points]
        values = [p.value for p in points]
        cps = [c.month for c in collection("ae_monthly").spc.change_points]
        share_single.append(special(with_spc(months, values, "increase")) / known)
        share_phased.append(
            special(with_spc(months, values, "increase", change_points=cps)) / known
        )
    assert len(share_single) > 100
    assert statistics.median(share_single) > 0.8
    assert statistics.median(share_phased) < 0.6
