"""Step 2: domain scores and the average metric score (weighted mean, rounded half-up)."""

from __future__ import annotations

from collections import defaultdict

from oversight.engine.nof.metric_scores import MetricScore
from oversight.frameworks.model import Framework
from oversight.stats.rounding import half_up


def used_scores(framework: Framework, scores: list[MetricScore]) -> list[MetricScore]:
    """The scores that enter the average, in framework order (finance parts are excluded)."""
    order = {m.id: i for i, m in enumerate(framework.metrics)}
    kept = [s for s in scores if framework.metric(s.metric_id).in_average]
    return sorted(kept, key=lambda s: order[s.metric_id])


def weighted_mean(framework: Framework, scores: list[MetricScore]) -> float | None:
    total = weight = 0.0
    for s in scores:
        w = framework.metric(s.metric_id).weight
        total += w * s.used
        weight += w
    if weight == 0:
        return None
    return half_up(total / weight, framework.aggregation.rounding.dp)


def domain_scores(framework: Framework, scores: list[MetricScore]) -> dict[str, float | None]:
    by_domain: dict[str, list[MetricScore]] = defaultdict(list)
    for s in used_scores(framework, scores):
        by_domain[framework.metric(s.metric_id).domain].append(s)
    return {d.id: weighted_mean(framework, by_domain.get(d.id, [])) for d in framework.domains}
