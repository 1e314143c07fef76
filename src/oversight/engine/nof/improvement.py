"""Improvement beside position: each organisation against its own previous quarters.

For every metric an organisation is scored on in the quarter, its change is that quarter's score
minus the mean of its scores in the framework's ``improvement.previous`` stored quarters before
it, standardised against the changes of its trust type's peers and scored 1-4 at
``improvement.cut_points`` (1 = most improved). The organisation's improvement score is the mean
of its metric improvement scores (like the average metric score), ranked within the trust type.
Its overall change is its average metric score against its own earlier mean, standardised
against the peers' the same way; beyond ``beyond_noise_at`` peer spreads it is called more than
common-cause variation. Shown beside the official position, never instead of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oversight.engine.nof.aggregate import used_scores
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.model import Framework
from oversight.stats.improvement import changes, row_means, scored, standardised
from oversight.stats.ranks import min_rank
from oversight.stats.rounding import half_up


@dataclass(frozen=True)
class MetricImprovement:
    metric_id: str
    latest: float | None
    earlier_mean: float | None
    change: float | None  # negative: better
    z: float | None
    score: int | None  # 1 (most improved) .. 4


@dataclass(frozen=True)
class OrgImprovement:
    trust_code: str
    trust_name: str
    position_rank: int | None  # the official rank, beside
    improvement_score: float | None  # mean of the metric improvement scores
    improvement_rank: int | None
    average_change: float | None  # average metric score against its own earlier mean
    average_z: float | None
    beyond_noise: bool | None
    metrics: list[MetricImprovement]


@dataclass(frozen=True)
class ImprovementTable:
    quarter: str
    earlier: list[str]
    trust_type: str
    beyond_noise_at: float
    rows: list[OrgImprovement]  # by improvement rank

    def most_improved(self, n: int = 3) -> list[OrgImprovement]:
        held = [r for r in self.rows if r.average_z is not None]
        return sorted(held, key=lambda r: r.average_z or 0.0)[:n]

    def most_deteriorated(self, n: int = 3) -> list[OrgImprovement]:
        held = [r for r in self.rows if r.average_z is not None]
        return sorted(held, key=lambda r: -(r.average_z or 0.0))[:n]


def _num(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def _column(
    results: list[QuarterResult], codes: list[str], value: dict[str, dict[str, float]]
) -> NDArray[np.float64]:
    """(orgs, quarters) of ``value[quarter][code]``, NaN where missing."""
    return np.array(
        [[value.get(r.quarter, {}).get(c, np.nan) for r in results] for c in codes], dtype=float
    ).reshape(len(codes), len(results))


def improvement(
    framework: Framework, results: list[QuarterResult], trust_type: str
) -> ImprovementTable:
    """``results`` in quarter order, the last the quarter scored; earlier ones per the rule."""
    rule = framework.improvement
    latest, earlier = results[-1], results[:-1][-rule.previous :]
    table = latest.league_table(trust_type)
    codes = [o.trust_code for o in table]
    if not codes:
        return ImprovementTable(
            latest.quarter, [r.quarter for r in earlier], trust_type, rule.beyond_noise_at, []
        )
    metric_ids: list[str] = []
    for o in table:
        metric_ids += [s.metric_id for s in used_scores(framework, o.scores)]
    metric_ids = sorted(set(metric_ids))
    scores: dict[str, dict[str, dict[str, float]]] = {m: {} for m in metric_ids}
    averages: dict[str, dict[str, float]] = {}
    for r in [*earlier, latest]:
        for o in r.league_table(trust_type):
            if o.average_score is not None:
                averages.setdefault(r.quarter, {})[o.trust_code] = o.average_score
            for s in used_scores(framework, o.scores):
                if s.metric_id in scores:
                    scores[s.metric_id].setdefault(r.quarter, {})[o.trust_code] = s.used
    # per metric, (orgs,) arrays: latest, earlier mean, change, z, improvement score
    per_metric: dict[str, tuple[NDArray[np.float64], ...]] = {}
    for m in metric_ids:
        grid = _column([*earlier, latest], codes, scores[m])
        change = changes(grid[:, -1], grid[:, :-1])
        z = standardised(change)
        per_metric[m] = (
            grid[:, -1],
            row_means(grid[:, :-1]),
            change,
            z,
            scored(z, rule.cut_points),
        )
    grid = _column([*earlier, latest], codes, averages)
    average_change = changes(grid[:, -1], grid[:, :-1])
    average_z = standardised(average_change)
    metric_scores = np.array([per_metric[m][4] for m in metric_ids]).reshape(-1, len(codes))
    mean_score = half_up(row_means(metric_scores.T), framework.aggregation.rounding.dp)
    ranked = ~np.isnan(mean_score)
    ranks = np.zeros(len(codes), dtype=np.int64)
    ranks[ranked] = min_rank(mean_score[ranked])
    rows = []
    for i, o in enumerate(table):
        rows.append(
            OrgImprovement(
                o.trust_code,
                o.trust_name,
                o.rank,
                _num(mean_score[i]),
                int(ranks[i]) if ranked[i] else None,
                _num(average_change[i]),
                _num(average_z[i]),
                None if np.isnan(average_z[i]) else bool(abs(average_z[i]) >= rule.beyond_noise_at),
                [
                    MetricImprovement(
                        m,
                        _num(per_metric[m][0][i]),
                        _num(per_metric[m][1][i]),
                        _num(per_metric[m][2][i]),
                        _num(per_metric[m][3][i]),
                        None if np.isnan(per_metric[m][4][i]) else int(per_metric[m][4][i]),
                    )
                    for m in metric_ids
                ],
            )
        )
    rows.sort(key=lambda r: (r.improvement_rank is None, r.improvement_rank or 0, r.trust_name))
    return ImprovementTable(
        latest.quarter, [r.quarter for r in earlier], trust_type, rule.beyond_noise_at, rows
    )
