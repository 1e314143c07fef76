"""Improvement from the monthly series: every provider of a type against its own SPC, for one
source metric (issue 15, item 2; the method is in :mod:`oversight.stats.shift`).

The window is the ``months`` months ending at the month judged; the baseline is the provider's
months of the current SPC phase before the window (the phase begins at the latest change point
the collection declares at or before the window's first month). A provider needs every window
month and at least ``min_baseline`` baseline months to be judged. Its position is the peer rank
of the mean of its window months (1 = best by the metric's polarity), beside the improvement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from oversight.engine.sources.monthly_metric import MonthlyValues
from oversight.frameworks.source_metrics import SourceMetric
from oversight.periods import Month
from oversight.stats.shift import Shift, best_first_ranks, improvement_scores, judge_shift

MIN_BASELINE = 12  # Making Data Count: limits from fewer points are trial limits


@dataclass(frozen=True, slots=True)
class ProviderImprovement:
    code: str
    name: str
    window_mean: float
    centre: float
    lower: float
    upper: float
    baseline_points: int
    shift: float | None  # (window mean - centre) / sigma, in the metric's own direction
    improvement: float | None  # the shift signed so that positive is better
    improvement_score: float | None  # 1 (most improved) .. 4
    improvement_rank: int | None
    position_rank: int | None  # peer rank of the window mean, 1 = best
    beyond_noise: bool
    signal: str | None  # special_cause_improvement / _concern of the latest flagged month
    rule: str | None


@dataclass(frozen=True, slots=True)
class MonthlyImprovement:
    metric_id: str
    title: str
    unit: str
    polarity: str
    window: list[str]  # the months judged, "YYYY-MM"
    baseline_from: str | None  # the current phase's first month (None: the series' start)
    rows: list[ProviderImprovement]  # by improvement rank, then name

    def most_improved(self, n: int = 3) -> list[ProviderImprovement]:
        held = [r for r in self.rows if r.improvement is not None]
        return sorted(held, key=lambda r: -(r.improvement or 0.0))[:n]

    def most_deteriorated(self, n: int = 3) -> list[ProviderImprovement]:
        held = [r for r in self.rows if r.improvement is not None]
        return sorted(held, key=lambda r: r.improvement or 0.0)[:n]


def window_months(last: Month, months: int) -> list[Month]:
    return [last.plus(-k) for k in range(months - 1, -1, -1)]


def phase_start(change_points: Sequence[str], first: Month) -> str | None:
    """The latest declared change point ("YYYY-MM") at or before the window's first month."""
    held = [c for c in sorted(change_points) if c <= str(first)]
    return held[-1] if held else None


def _judged(
    series: dict[str, float], window: list[str], start: str | None, direction: str
) -> Shift | None:
    if any(m not in series for m in window):
        return None
    base = [m for m in sorted(series) if m < window[0] and (start is None or m >= start)]
    if len(base) < MIN_BASELINE:
        return None
    return judge_shift(
        [series[m] for m in base],
        [series[m] for m in window],
        "increase" if direction == "higher_is_better" else "decrease",
    )


def monthly_improvement(
    metric: SourceMetric,
    values: MonthlyValues,
    names: dict[str, str],
    last: Month,
    months: int,
    change_points: Sequence[str],
) -> MonthlyImprovement:
    """``values`` for the peers (code -> {month's first day: value}); ``names`` code -> name."""
    window = window_months(last, months)
    wanted = [str(m) for m in window]
    start = phase_start(change_points, window[0])
    judged: list[tuple[str, Shift]] = []
    for code in sorted(values):
        series = {str(Month.of(d)): v for d, v in values[code].items()}
        found = _judged(series, wanted, start, metric.polarity)
        if found is not None:
            judged.append((code, found))
    improvement = np.array(
        [np.nan if s.improvement is None else s.improvement for _, s in judged], dtype=float
    )
    scores = improvement_scores(improvement)
    ranks = best_first_ranks(improvement, higher_is_better=True)
    positions = best_first_ranks(
        np.array([s.window_mean for _, s in judged], dtype=float),
        metric.polarity == "higher_is_better",
    )
    rows = [
        ProviderImprovement(
            code,
            names.get(code, code),
            s.window_mean,
            s.centre,
            s.lower,
            s.upper,
            s.baseline_points,
            s.shift,
            s.improvement,
            None if np.isnan(scores[i]) else round(float(scores[i]), 4),
            None if np.isnan(ranks[i]) else int(ranks[i]),
            None if np.isnan(positions[i]) else int(positions[i]),
            s.beyond,
            s.signal,
            s.rule,
        )
        for i, (code, s) in enumerate(judged)
    ]
    rows.sort(key=lambda r: (r.improvement_rank is None, r.improvement_rank or 0, r.name))
    return MonthlyImprovement(
        metric.metric_id, metric.title, metric.unit, metric.polarity, wanted, start, rows
    )
