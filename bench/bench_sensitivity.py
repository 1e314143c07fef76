"""Sensitivity benchmark: rank under alternative weightings for a full quarter, every trust type.

Run from the repository root::

    .venv/bin/python bench/bench_sensitivity.py [--draws 1000] [--baseline-draws 50] [--repeat 3]

Two populations:

* real: every trust type in the bundled store (NHS England's Q4 2025/26 files: 61 mental health
  and community trusts, 11 metrics);
* national-size: a synthetic quarter shaped like the whole NOF population (205 trusts in four
  trust types, acute trusts with 30 metrics, 15-25% of scores missing, 20% in deficit), since the
  acute and ambulance files are not bundled.

Oversight: :func:`oversight.engine.nof.sensitivity.sensitivity` (all weightings as matrix products).
Baseline: the straightforward pandas version, one weighting at a time (weighted mean over the
available metrics, half-up rounding, cut-points keeping each segment's share, override,
``groupby(...).rank(method="min")``), run for ``--baseline-draws`` weightings and scaled linearly.
Before timing, the baseline's ranks must equal the engine's for the weightings it runs.
Target: the full quarter, all trust types, 1,000 random weightings, under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import OrgResult
from oversight.engine.nof.sensitivity import Sensitivity, score_matrix, sensitivity
from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.stats import sensitivity as sens
from oversight.store import connect
from oversight.store.releases import store_file

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 10.0


def half_up(x: pd.Series, dp: int = 2) -> pd.Series:
    return np.sign(x) * np.floor(np.abs(x) * 10**dp + 0.5 + 1e-9) / 10**dp


def baseline(
    scores: np.ndarray, weights: np.ndarray, types: list[str], flagged: np.ndarray,
    cuts: tuple[float, ...], floor: int,
) -> np.ndarray:  # fmt: skip
    """Ranks (n, B) one weighting at a time, with pandas."""
    frame = pd.DataFrame(scores)
    out = []
    published = None
    for w in weights:
        have = frame.notna()
        mean = (frame.fillna(0) * w).sum(axis=1) / (have * w).sum(axis=1)
        avg = half_up(mean)
        if published is None:
            published = avg
        seg = pd.Series(1, index=avg.index)
        ordered = avg.sort_values().to_numpy()
        for c in cuts:
            k = int((published <= c).sum())
            cut = (ordered[k - 1] + ordered[k]) / 2
            seg += (avg > cut).astype(int)
        seg = seg.where(~flagged, np.maximum(seg, floor))
        key = seg * 10_000 + (avg * 100).round()
        out.append(key.groupby(pd.Series(types)).rank(method="min").to_numpy())
    return np.array(out).T


def synthetic(
    result_orgs: list[OrgResult], rng: np.random.Generator
) -> tuple[np.ndarray, list[str], np.ndarray]:
    shapes = {"acute": (134, 30), "mhc": (61, 11), "ambulance": (10, 12)}
    m = max(k for _, k in shapes.values())
    rows, types = [], []
    for t, (n, k) in shapes.items():
        block = np.full((n, m), np.nan)
        block[:, :k] = 1 + 3 * rng.random((n, k))
        block[rng.random((n, m)) < rng.uniform(0.15, 0.25)] = np.nan
        rows.append(block)
        types += [t] * n
    return np.vstack(rows), types, rng.random(len(types)) < 0.2


def time_best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def report(ours: float, theirs: float) -> None:
    print(f"  oversight {ours:.3f} s   pandas baseline {theirs:.2f} s (scaled)", end="   ")
    print(f"ratio {theirs / ours:.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--baseline-draws", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    framework = load_framework()
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        for f in sorted((ROOT / "data" / "nhs" / "nof").rglob("*.csv")):
            store_file(con, parse_nof_file(f, framework))
        result = run_quarter(con, framework, "Q4 2025/26", RangeOptions(skip=True))
    print(f"machine: {os.cpu_count()} cores; draws {args.draws}; baseline", end=" ")
    print(f"{args.baseline_draws} weightings, scaled")
    # --- real quarter
    s: Sensitivity = sensitivity(result, args.draws, seed=1)
    t_real = time_best(lambda: sensitivity(result, args.draws, seed=1), args.repeat)
    ids, scores = score_matrix(framework, s.orgs)
    types = [o.trust_type for o in s.orgs]
    flagged = np.array([o.in_financial_deficit for o in s.orgs])
    cuts = result.cut_points.values
    few = s.weightings.weights[: args.baseline_draws]
    check = baseline(scores, few, types, flagged, cuts, 3)
    assert np.array_equal(check, s.ranks[:, : args.baseline_draws]), "baseline disagrees"
    t_base = time_best(lambda: baseline(scores, few, types, flagged, cuts, 3), 1)
    scaled = t_base * s.weightings.weights.shape[0] / few.shape[0]
    n_w = s.weightings.weights.shape[0]
    print(f"real Q4 2025/26 ({len(s.orgs)} trusts, {len(ids)} metrics, {n_w} weightings):")
    report(t_real, scaled)
    # --- national-size synthetic quarter
    rng = np.random.default_rng(2)
    big, big_types, big_flag = synthetic(s.orgs, rng)
    m = big.shape[1]
    domains = [f"d{j % 5}" for j in range(m)]
    metric_ids = [f"M{j:02d}" for j in range(m)]

    def run_big() -> np.ndarray:
        w = sens.weightings(np.ones(m), domains, metric_ids, args.draws, np.random.default_rng(1))
        values = sens.composites(big, w.weights, 2)
        c = sens.shifted_cut_points(values[:, 0], (2.2, 2.5, 2.8), values, "upper")
        segs = sens.segments(values, c, "upper", big_flag, 3)
        groups = np.array([sorted(set(big_types)).index(t) for t in big_types])
        ranks = sens.group_ranks(sens.rank_keys(values, segs, 2), groups)
        sens.summarise(w, ranks, segs)
        return ranks

    ranks = run_big()
    t_big = time_best(run_big, args.repeat)
    w = sens.weightings(np.ones(m), domains, metric_ids, args.draws, np.random.default_rng(1))
    few = w.weights[: args.baseline_draws]
    check = baseline(big, few, big_types, big_flag, (2.2, 2.5, 2.8), 3)
    assert np.array_equal(check, ranks[:, : args.baseline_draws]), "baseline disagrees (national)"
    t_base = time_best(lambda: baseline(big, few, big_types, big_flag, (2.2, 2.5, 2.8), 3), 1)
    scaled = t_base * w.weights.shape[0] / few.shape[0]
    n_w = w.weights.shape[0]
    print(
        f"national-size synthetic ({big.shape[0]} trusts, 4 types, {m} metrics, {n_w} weightings):"
    )
    report(t_big, scaled)
    worst = max(t_real, t_big)
    print(
        f"target: full quarter, all trust types under {TARGET_SECONDS:.0f} s: "
        f"{'met' if worst < TARGET_SECONDS else 'NOT met'} ({worst:.3f} s)"
    )


if __name__ == "__main__":
    main()
