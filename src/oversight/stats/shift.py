"""Improvement against a series' own SPC: the latest months against the limits of the months
before them (issue 15, item 2, the monthly-series path).

Pure functions. The baseline is the months of the current SPC phase before the window; its XmR
limits (:func:`oversight.stats.spc.xmr_limits`, screened moving ranges as everywhere else) give
the centre line and sigma (the mean moving range / 1.128, a third of the distance from the centre
to a limit). The shift is (mean of the window's months - centre) / sigma: a standardised change
in sigma units of one month's value. Whether it is beyond common-cause variation is decided by
Making Data Count's special-cause rules (:func:`oversight.stats.spc.chart`) on the baseline and
window drawn together with the limits fixed on the baseline: a window month beyond a limit, part
of a run of 7 on one side of the centre, part of a trend of 7, or two of three near a limit.

Scores 1-4 use the position score's rule (``rank_scale``: 1 + 3 (R - 1) / (N - 1), linear in
rank, 1 = best) with tied organisations sharing the mean of their ranks, so reversing every
series' direction gives exactly 5 minus the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from oversight.stats import spc
from oversight.stats.ranks import min_rank, rank_scale

SIGMA_PER_LIMIT = spc.LIMIT_FACTOR / 3.0  # sigma = mean moving range x 2.66 / 3 (= / 1.128)


@dataclass(frozen=True, slots=True)
class Shift:
    """The window's months against the baseline's limits."""

    baseline_points: int
    centre: float
    lower: float
    upper: float
    sigma: float
    window_mean: float
    shift: float | None  # (window mean - centre) / sigma; None when sigma is nil
    improvement: float | None  # the shift signed so that positive is better
    beyond: bool  # a window month is special cause by Making Data Count's rules
    signal: str | None  # the latest special-cause window month's type (..._improvement, ...)
    rule: str | None  # and the rule that flagged it ("Above UCL", "7 Points Below CL" ...)


def judge_shift(
    baseline: Sequence[float], window: Sequence[float], direction: spc.Direction
) -> Shift | None:
    """The shift of ``window`` against ``baseline`` (each in month order); None when the
    baseline has fewer than two months or the window none (no limits, or nothing to judge)."""
    if len(baseline) < 2 or not window:
        return None
    base = np.asarray(baseline, dtype=np.float64)
    latest = np.asarray(window, dtype=np.float64)
    limits = spc.xmr_limits(base)
    sigma = limits.mean_moving_range * SIGMA_PER_LIMIT
    window_mean = float(latest.mean())
    shift = (window_mean - limits.mean) / sigma if sigma > 0 else None
    sign = -1.0 if direction == "decrease" else 1.0
    chart = spc.chart(np.concatenate([base, latest]), direction, fix_after=base.size)
    flagged = [
        (chart.point_types[i], chart.labels[i])
        for i in range(base.size, chart.y.size)
        if chart.point_types[i] != "common_cause"
    ]
    signal, rule = flagged[-1] if flagged else (None, None)
    return Shift(
        int(base.size),
        limits.mean,
        limits.lower,
        limits.upper,
        sigma,
        window_mean,
        shift,
        None if shift is None else sign * shift,
        bool(flagged),
        signal,
        rule,
    )


def improvement_scores(improvement: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 (most improved) .. 4 (most deteriorated) by ``rank_scale`` of the mid-rank of each
    improvement (higher is better) among those held; NaN stays NaN. A provider alone scores
    2.5, as tied providers share the middle (``rank_scale`` would call it best and, with the
    direction reversed, best again)."""
    out = np.full(improvement.shape, np.nan)
    held = ~np.isnan(improvement)
    n = int(held.sum())
    if n == 1:
        out[held] = 2.5
    elif n:
        ranks = rankdata(-improvement[held], method="average")
        out[held] = rank_scale(ranks, n)
    return out


def best_first_ranks(values: NDArray[np.float64], higher_is_better: bool) -> NDArray[np.float64]:
    """Competition ranks (1 = best, ties share the lowest) of the values held; NaN elsewhere."""
    out = np.full(values.shape, np.nan)
    held = ~np.isnan(values)
    if held.any():
        keys = -values[held] if higher_is_better else values[held]
        out[held] = min_rank(keys).astype(np.float64)
    return out
