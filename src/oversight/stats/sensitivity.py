"""Sensitivity of a composite score to its weights (OECD/JRC handbook, uncertainty analysis).

The composite is a weighted mean of metric scores over the metrics an organisation has. Under
each alternative weighting every organisation's composite is recomputed, rounded, segmented
and ranked within its group, all weightings at once as matrix products:

* domain-equal: every domain carries the same total weight, shared equally by its metrics;
* leave one metric out: each metric's weight set to 0 in turn;
* random weights: metric weights drawn from a flat (or concentrated) Dirichlet distribution,
  seeded, so a run is reproducible.

Segment cut-points follow the scores: each cut-point keeps the share of organisations it had
under the published weights (national cut-points are quartiles of the scores, so they would
move with the weights); the financial override is re-applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oversight.stats.ranks import min_rank_rows
from oversight.stats.rounding import half_up

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Weightings:
    labels: list[str]
    kinds: list[str]  # published, domain_equal, leave_one_out, dirichlet
    weights: FloatArray  # (B, m)


def weightings(
    base: FloatArray,
    domains: list[str],
    metric_ids: list[str],
    draws: int,
    rng: np.random.Generator,
    concentration: float = 1.0,
) -> Weightings:
    """The published weights first, then domain-equal, leave-one-out and Dirichlet draws."""
    m = base.size
    labels, kinds, rows = ["published"], ["published"], [base]
    names = sorted(set(domains))
    per_domain = {d: sum(1 for x in domains if x == d) for d in names}
    rows.append(np.array([1.0 / (len(names) * per_domain[d]) for d in domains]) * m)
    labels.append("domain-equal")
    kinds.append("domain_equal")
    for j in range(m):
        w = base.copy()
        w[j] = 0.0
        rows.append(w)
        labels.append(f"without {metric_ids[j]}")
        kinds.append("leave_one_out")
    if draws:
        random = rng.dirichlet(np.full(m, concentration), size=draws) * m
        rows.extend(random)
        labels.extend(f"random {i + 1}" for i in range(draws))
        kinds.extend(["dirichlet"] * draws)
    return Weightings(labels, kinds, np.vstack(rows))


def composites(scores: FloatArray, weights: FloatArray, dp: int) -> FloatArray:
    """(n, B) weighted means of each organisation's available scores, rounded half-up.

    ``scores`` is (n, m) with NaN where an organisation has no score on a metric. An
    organisation left with no weight (all its metrics weighted 0) gets NaN.
    """
    have = ~np.isnan(scores)
    filled = np.where(have, scores, 0.0)
    total = filled @ weights.T
    weight = have.astype(np.float64) @ weights.T
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(weight > 1e-12, total / weight, np.nan)
    return half_up(mean, dp)


def shifted_cut_points(
    published: FloatArray, cuts: tuple[float, ...], alternative: FloatArray, boundary: str
) -> FloatArray:
    """(len(cuts), B): cut-points keeping the share of organisations at or below each cut.

    ``published`` are the n composites under the published weights; ``alternative`` the
    (n, B) composites under each weighting.
    """
    ok = ~np.isnan(published)
    base = published[ok]
    ordered = np.sort(np.where(np.isnan(alternative[ok]), np.inf, alternative[ok]), axis=0)
    out = np.empty((len(cuts), alternative.shape[1]))
    for c, cut in enumerate(cuts):
        at_or_below = int((base <= cut).sum() if boundary == "upper" else (base < cut).sum())
        if at_or_below == 0:
            out[c] = ordered[0] - 1.0
        elif at_or_below >= base.size:
            out[c] = ordered[-1] + 1.0
        else:
            # midway between the last organisation kept below and the first above
            out[c] = (ordered[at_or_below - 1] + ordered[at_or_below]) / 2
    return out


def segments(
    values: FloatArray,
    cuts: FloatArray,
    boundary: str,
    flagged: NDArray[np.bool_],
    floor_segment: int,
) -> IntArray:
    """(n, B) segments: 1 + cut-points exceeded, then the financial override."""
    beyond = (
        values[None, :, :] > cuts[:, None, :]
        if boundary == "upper"
        else (values[None, :, :] >= cuts[:, None, :])
    )
    seg = 1 + beyond.sum(axis=0)
    out: IntArray = np.where(flagged[:, None], np.maximum(seg, floor_segment), seg).astype(np.int64)
    return out


def rank_keys(values: FloatArray, segs: IntArray, dp: int) -> IntArray:
    """Integer keys ordering by segment, then composite (smaller is better); -1 for none."""
    scale = 10**dp
    filled = np.where(np.isnan(values), 0.0, values)
    keys: IntArray = segs * (100 * scale) + np.rint(filled * scale).astype(np.int64)
    return np.where(np.isnan(values), -1, keys)


def group_ranks(keys: IntArray, groups: IntArray) -> FloatArray:
    """(n, B) competition ranks (ties share the lowest) within each group, every column.

    Keys of -1 (no composite) get NaN ranks and are not counted.
    """
    out = np.full(keys.shape, np.nan)
    big = int(keys.max()) + 1 if keys.size else 0
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        block = keys[rows]
        missing = block < 0
        ranks = min_rank_rows(np.where(missing, big, block).T).T.astype(np.float64)
        out[rows] = np.where(missing, np.nan, ranks)
    return out


@dataclass(frozen=True)
class Summary:
    rank_published: FloatArray
    rank_domain_equal: FloatArray
    rank_median: FloatArray  # over every alternative weighting
    rank_p05: FloatArray
    rank_p95: FloatArray
    loo_min: FloatArray  # best and worst rank leaving one metric out
    loo_max: FloatArray
    loo_most: list[str]  # the metric whose removal moves the rank most
    segment_published: IntArray
    segment_changed: FloatArray  # share of alternative weightings giving another segment


def summarise(w: Weightings, ranks: FloatArray, segs: IntArray) -> Summary:
    kinds = np.array(w.kinds)
    alt = kinds != "published"
    loo = np.flatnonzero(kinds == "leave_one_out")
    alt_ranks = ranks[:, alt]
    with np.errstate(invalid="ignore"):
        p05, median, p95 = np.nanpercentile(alt_ranks, [5, 50, 95], axis=1)
    published = ranks[:, 0]
    moves = np.abs(ranks[:, loo] - published[:, None])
    most = [
        w.labels[loo[int(np.nanargmax(row))]].removeprefix("without ")
        if loo.size and np.isfinite(row).any() and np.nanmax(row) > 0
        else ""
        for row in moves
    ]
    return Summary(
        rank_published=published,
        rank_domain_equal=ranks[:, int(np.flatnonzero(kinds == "domain_equal")[0])],
        rank_median=median,
        rank_p05=p05,
        rank_p95=p95,
        loo_min=np.nanmin(ranks[:, loo], axis=1) if loo.size else published,
        loo_max=np.nanmax(ranks[:, loo], axis=1) if loo.size else published,
        loo_most=most,
        segment_published=segs[:, 0],
        segment_changed=(segs[:, alt] != segs[:, [0]]).mean(axis=1),
    )
