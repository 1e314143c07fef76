"""Rank probabilities from the likely-range bootstrap, and sensitivity to weights, on the
bundled Q4 2025/26 files."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.sensitivity import sensitivity
from oversight.frameworks import Framework

Q4 = "Q4 2025/26"


def test_exact_probabilities_agree_with_monte_carlo(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    exact = run_quarter(store, framework, Q4, RangeOptions(method="exact"))
    mc = run_quarter(
        store, framework, Q4, RangeOptions(method="monte_carlo", replicates=20_000, seed=7)
    )
    worst = 0.0
    for a, b in zip(exact.orgs, mc.orgs, strict=True):
        assert a.segment_probabilities is not None and b.segment_probabilities is not None
        assert sum(a.segment_probabilities) == pytest.approx(1.0, abs=1e-9)
        # the override puts flagged trusts in segment 3 or worse in every replicate
        if a.in_financial_deficit:
            assert sum(a.segment_probabilities[:2]) == 0.0
        diffs = np.abs(np.subtract(a.segment_probabilities, b.segment_probabilities))
        worst = max(
            worst,
            float(diffs.max()),
            abs((a.top_decile_probability or 0) - (b.top_decile_probability or 0)),
            abs((a.bottom_decile_probability or 0) - (b.bottom_decile_probability or 0)),
        )
        assert a.segment_certainty == a.segment_probabilities[(a.segment or 1) - 1]
    # Monte-Carlo standard error at 20,000 replicates is at most 0.0035; 0.02 is ~6 of them
    assert worst < 0.02
    # the expected number in the top decile (ranks 1-7 of 61) is 7, plus replicate ties at
    # rank 7 (equal rounded averages share the lowest rank), which are rare
    total = sum(o.top_decile_probability or 0 for o in exact.orgs)
    assert 7.0 - 1e-9 <= total < 7.5


def test_calibrated_probabilities_are_less_certain(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    plain = run_quarter(store, framework, Q4, RangeOptions(method="exact"))
    cal = run_quarter(store, framework, Q4, RangeOptions(method="exact", calibrate=True))
    width = [o.rank_high - o.rank_low for o in plain.orgs if o.rank_low and o.rank_high]
    cal_width = [o.rank_high - o.rank_low for o in cal.orgs if o.rank_low and o.rank_high]
    assert np.mean(cal_width) > np.mean(width)
    # ranks and segments themselves are unchanged: calibration only touches the ranges
    assert [o.rank for o in plain.orgs] == [o.rank for o in cal.orgs]


def test_sensitivity_reproduces_published_and_is_seeded(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    result = run_quarter(store, framework, Q4, RangeOptions(skip=True))
    a = sensitivity(result, draws=300, seed=11)
    b = sensitivity(result, draws=300, seed=11)
    c = sensitivity(result, draws=300, seed=12)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    assert not np.array_equal(a.ranks, c.ranks)
    # the published weights give the published ranks and segments
    assert [int(r) for r in a.ranks[:, 0]] == [o.rank for o in a.orgs]
    assert [int(s) for s in a.segments[:, 0]] == [o.segment for o in a.orgs]
    n_metrics = len(a.metric_ids)
    assert len(a.weightings.labels) == 1 + 1 + n_metrics + 300
    # each weighting keeps the share of organisations in each segment (cut-points follow scores)
    counts = np.array(
        [np.bincount(a.segments[:, j], minlength=5) for j in range(a.segments.shape[1])]
    )
    unflagged = ~np.array([o.in_financial_deficit for o in a.orgs])
    assert unflagged.any()
    for row in a.rows():
        assert row["rank_p05"] <= row["rank_median"] <= row["rank_p95"]
        assert row["rank_loo_min"] <= row["rank"] <= row["rank_loo_max"]
    # the override only lifts flagged organisations to segment 3, so the number in segment 4 is
    # what the shifted cut-points keep under every weighting, except that composites are
    # rounded to 2 dp: organisations tied exactly at a shifted cut-point all go to the worse
    # segment (boundary 'lower'), so a weighting can only add to segment 4, and most add none
    assert framework.segmentation.boundary == "lower"
    assert counts.shape == (a.segments.shape[1], 5)
    assert (counts[:, 4] >= counts[0, 4]).all(), sorted(set(counts[:, 4].tolist()))
    assert (counts[:, 4] == counts[0, 4]).mean() > 0.5
    # and the weightings do move organisations: otherwise this test would show nothing
    assert (a.segments != a.segments[:, :1]).any()
