"""Comparable peers: the official quarter re-ranked within a declared peer group.

Every rank-scored metric the official run ranked within the trust type (pool
``own_trust_type``, score computed from raw values) is re-ranked within the organisation's peer
group: its rank among peers is 1 + the number of peers placed before it in the official pool
ranking (which already breaks display ties by the publisher's rank), so the peer score is
``best + (worst - best)(R - 1)/(N - 1)`` over the N peers with a value. With ``wider_pools``,
metrics ranked in a pool wider than the trust type (several trust types, or providers beyond
the store, whose pool rank is recovered from the published scores) are narrowed to the peers
the same way. Threshold, matrix and published scores, and the below-standard scores of
standard-then-rank metrics, keep their official scores. The average, the segment (national
cut-points of the quarter, the financial override, segment 5) and the rank within the peer group
follow as in the official run. Shown beside the official result, never instead of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from oversight.engine.nof.aggregate import used_scores, weighted_mean
from oversight.engine.nof.metric_scores import MetricScore
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.engine.nof.segments import apply_override, segment_of
from oversight.frameworks.model import Framework, PeerGrouping, RankScale, ThresholdThenRank
from oversight.stats.ranks import min_rank
from oversight.stats.rounding import half_up


@dataclass(frozen=True)
class PeerRow:
    trust_code: str
    trust_name: str
    peer_group: str
    group_size: int
    official_average: float | None
    official_segment: int | None  # after the financial override, as the official rank uses
    official_rank: int | None  # within the trust type
    average_score: float | None  # against the peer group
    segment: int | None
    segment_final: int | None
    rank: int | None  # within the peer group
    rescored_metrics: int  # metric scores re-ranked within the peer group

    @property
    def segment_changed(self) -> bool:
        return self.segment != self.official_segment


@dataclass(frozen=True)
class PeerTable:
    quarter: str
    trust_type: str
    grouping: str
    grouping_name: str
    wider_pools: bool  # metrics ranked in pools wider than the trust type re-ranked too
    cut_points: tuple[float, ...]
    rows: list[PeerRow]  # by peer group, then peer rank

    @property
    def changed(self) -> list[PeerRow]:
        """Organisations whose segment differs from the official one."""
        return [r for r in self.rows if r.segment_changed]


def group_key(grouping: PeerGrouping) -> Callable[[OrgResult], str]:
    """The peer group an organisation belongs to under the grouping."""
    if grouping.by == "subtype":
        return lambda o: o.subtype
    if grouping.by == "region":
        return lambda o: o.region
    return lambda o: o.trust_type_name


def _rerankable(
    framework: Framework, s: MetricScore, wider_pools: bool = False
) -> RankScale | ThresholdThenRank | None:
    """The rule of a score the official run ranked within the trust type from raw values (or,
    with ``wider_pools``, ranked in any pool, its rank known or recovered)."""
    if s.pool_rank is None or s.pool_size is None:
        return None
    if wider_pools and s.source != "published":
        metric = framework.metric(s.metric_id) if _declared(framework, s.metric_id) else None
        if metric is None or not isinstance(metric.scoring, RankScale | ThresholdThenRank):
            return None
        return metric.scoring
    if s.source != "computed":
        return None
    if not _declared(framework, s.metric_id):
        return None
    metric = framework.metric(s.metric_id)
    rule = metric.scoring
    if not isinstance(rule, RankScale | ThresholdThenRank):
        return None
    return rule if framework.pool(metric.pool).kind == "own_trust_type" else None


def _declared(framework: Framework, metric_id: str) -> bool:
    return any(m.id == metric_id for m in framework.metrics)


def peer_scores(
    framework: Framework, quarter: str, peers: list[OrgResult], wider_pools: bool = False
) -> dict[str, list[MetricScore]]:
    """Each peer's metric scores with the re-rankable ones re-ranked among the peers."""
    ranked: dict[str, list[MetricScore]] = defaultdict(list)
    for o in peers:
        for s in o.scores:
            if _rerankable(framework, s, wider_pools) is not None:
                ranked[s.metric_id].append(s)
    new: dict[tuple[str, str], MetricScore] = {}
    for metric_id, group in ranked.items():
        rule = _rerankable(framework, group[0], wider_pools)
        assert rule is not None
        n = len(group)
        rounded = quarter in framework.metric(metric_id).rounded_before_aggregation_in
        for s in group:
            r = 1 + sum((p.pool_rank or 0) < (s.pool_rank or 0) for p in group)
            score = (
                float(rule.best + (rule.worst - rule.best) * (r - 1) / (n - 1))
                if n > 1
                else rule.best
            )
            new[(metric_id, s.org)] = MetricScore(
                s.metric_id,
                s.org,
                s.value,
                score,
                half_up(score) if rounded else score,
                s.published,
                "computed",
                r,
                n,
                "ranked within the peer group",
            )
    return {
        o.trust_code: [new.get((s.metric_id, o.trust_code), s) for s in o.scores] for o in peers
    }


def peer_table(
    framework: Framework,
    result: QuarterResult,
    trust_type: str,
    grouping: PeerGrouping,
    wider_pools: bool = False,
) -> PeerTable:
    """The trust type's league table re-ranked within each peer group of ``grouping``."""
    applied = result.framework or framework
    key = group_key(grouping)
    members = [o for o in result.orgs if o.trust_type == trust_type]
    groups: dict[str, list[OrgResult]] = defaultdict(list)
    for o in members:
        groups[key(o)].append(o)
    rule = applied.segmentation
    floor = applied.financial_override.floor_segment
    scale = 10**applied.aggregation.rounding.dp
    rows: list[PeerRow] = []
    for name, peers in sorted(groups.items()):
        scores = peer_scores(applied, result.quarter, peers, wider_pools)
        placed: list[tuple[OrgResult, float | None, int | None, int | None, int]] = []
        for o in peers:
            own = scores[o.trust_code]
            average = weighted_mean(applied, used_scores(applied, own))
            segment = final = None
            if average is not None and result.cut_points.values:
                segment = apply_override(
                    segment_of(average, result.cut_points.values, rule.boundary),
                    o.in_financial_deficit,
                    floor,
                )
                final = applied.intensive_support.segment if o.intensive_support else segment
            changed = sum(a is not b for a, b in zip(own, o.scores, strict=True))
            placed.append((o, average, segment, final, changed))
        held = [p for p in placed if p[1] is not None and p[2] is not None]
        keys = [(p[2] or 0) * 100 * scale + round((p[1] or 0) * scale) for p in held]
        ranks = {p[0].trust_code: int(r) for p, r in zip(held, min_rank(keys), strict=True)}
        for o, average, segment, final, changed in placed:
            rows.append(
                PeerRow(
                    o.trust_code,
                    o.trust_name,
                    name,
                    len(peers),
                    o.average_score,
                    o.segment,
                    o.rank,
                    average,
                    segment,
                    final,
                    ranks.get(o.trust_code),
                    changed,
                )
            )
    rows.sort(key=lambda r: (r.peer_group, r.rank is None, r.rank or 0, r.trust_name))
    return PeerTable(
        result.quarter,
        trust_type,
        grouping.id,
        grouping.name,
        wider_pools,
        result.cut_points.values,
        rows,
    )
