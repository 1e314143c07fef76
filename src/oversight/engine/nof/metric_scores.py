"""Step 1: every organisation's score on every metric, and where each score came from.

A score is *computed* from raw values when the metric's comparison pool is wholly in the store;
otherwise the *published* score is used, unrounded where the pool size can be recovered (see
:mod:`oversight.engine.nof.reconstruct`). Each score records which it was, so nobody has to guess.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from oversight.engine.nof.inputs import QuarterData
from oversight.engine.nof.reconstruct import infer_pool
from oversight.frameworks.model import (
    Framework,
    Matrix,
    Metric,
    PublishedOnly,
    RankScale,
    Thresholds,
    ThresholdThenRank,
)
from oversight.stats.rounding import half_up

Source = Literal["computed", "published_unrounded", "published"]


@dataclass(frozen=True)
class MetricScore:
    metric_id: str
    org: str
    value: float | None  # the raw value, as published
    score: float  # unrounded score
    used: float  # the score that enters the averages (see rounded_before_aggregation_in)
    published: float | None  # NHS England's published 2-dp score
    source: Source
    pool_rank: int | None = None
    pool_size: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PoolInfo:
    """How one metric's pool was resolved for one group of organisations in a quarter."""

    metric_id: str
    group: str  # the trust types ranked together
    pool: str
    computed: bool
    size_in_store: int | None
    size_inferred: int | None
    note: str = ""
    # where scores computed from the file's raw values disagree with the file's own published
    # scores (beyond 2-dp rounding): (organisation, computed, published)
    disagreements: tuple[tuple[str, float, float], ...] = ()
    # True when the computed scores were used anyway (the run asked for computed scores)
    used_computed: bool = False


Scores = dict[tuple[str, str], MetricScore]


def score_quarter(
    framework: Framework, data: QuarterData, prefer_computed: bool = False
) -> tuple[Scores, list[PoolInfo]]:
    """Every organisation's score on every metric. Where the raw values in the store give scores
    that disagree with the published ones, the publication wins unless ``prefer_computed``;
    either way the disagreement is recorded in the pool's :class:`PoolInfo`."""
    scores: Scores = {}
    pools: list[PoolInfo] = []
    # matrix rules read other metrics' scores, so they go last
    ordered = sorted(framework.metrics, key=lambda m: isinstance(m.scoring, Matrix))
    for metric in ordered:
        rule = metric.scoring
        if isinstance(rule, RankScale | ThresholdThenRank):
            pools += _score_ranked(framework, metric, data, scores, prefer_computed)
        elif isinstance(rule, Thresholds):
            _score_thresholds(metric, rule, data, scores)
        elif isinstance(rule, Matrix):
            _score_matrix(metric, rule, data, scores)
        else:
            assert isinstance(rule, PublishedOnly)
            for org in data.orgs:
                _take_published(metric, data, org, scores, "no raw value is published")
    for key, s in list(scores.items()):
        if data.quarter in framework.metric(s.metric_id).rounded_before_aggregation_in:
            scores[key] = _replace_used(s, half_up(s.score))
    return scores, pools


def _replace_used(s: MetricScore, used: float) -> MetricScore:
    note = (s.note + "; " if s.note else "") + "aggregated rounded to 2 dp, as published"
    return MetricScore(
        s.metric_id,
        s.org,
        s.value,
        s.score,
        used,
        s.published,
        s.source,
        s.pool_rank,
        s.pool_size,
        note,
    )


def _take_published(
    metric: Metric,
    data: QuarterData,
    org: str,
    scores: Scores,
    why: str,
    rank: int | None = None,
    size: int | None = None,
    unrounded: float | None = None,
) -> None:
    published = data.value(metric.id, org)
    if published is None:
        return
    raw = data.value(metric.raw_id, org) if metric.raw_id else None
    if unrounded is not None:
        scores[(metric.id, org)] = MetricScore(
            metric.id,
            org,
            raw,
            unrounded,
            unrounded,
            published,
            "published_unrounded",
            rank,
            size,
            why,
        )
    else:
        scores[(metric.id, org)] = MetricScore(
            metric.id, org, raw, published, published, published, "published", rank, size, why
        )


def _score_thresholds(metric: Metric, rule: Thresholds, data: QuarterData, scores: Scores) -> None:
    for org in data.orgs:
        raw = data.value(metric.raw_id, org) if metric.raw_id else None
        if raw is None:
            _take_published(metric, data, org, scores, "no raw value")
            continue
        score = next(
            b.score
            for b in rule.bands
            if (b.min is None or raw >= b.min) and (b.max is None or raw <= b.max)
        )
        scores[(metric.id, org)] = MetricScore(
            metric.id, org, raw, score, score, data.value(metric.id, org), "computed"
        )


def _score_matrix(metric: Metric, rule: Matrix, data: QuarterData, scores: Scores) -> None:
    for org in data.orgs:
        row, col = scores.get((rule.rows, org)), scores.get((rule.columns, org))
        if row is None or col is None:
            _take_published(metric, data, org, scores, f"{rule.rows} or {rule.columns} missing")
            continue
        score = rule.table[int(row.score) - 1][int(col.score) - 1]
        scores[(metric.id, org)] = MetricScore(
            metric.id,
            org,
            None,
            score,
            score,
            data.value(metric.id, org),
            "computed",
            note=f"{rule.rows} = {row.score:g}, {rule.columns} = {col.score:g}",
        )


# --- rank-based rules ---------------------------------------------------------------------------


def _type_names(framework: Framework, ids: list[str]) -> str:
    """Trust types in words ('acute trusts, ambulance trusts'), for explanations."""
    names = {t.id: t.name.lower() + "s" for t in framework.trust_types}
    return ", ".join(names.get(i, i) for i in ids)


def _groups(
    framework: Framework, metric: Metric, data: QuarterData
) -> list[tuple[str, list[str], bool, str]]:
    """(label, trust types ranked together, computable?, why) for each group of the metric."""
    pool = framework.pool(metric.pool)
    present = [
        t
        for t in sorted(data.trust_types)
        if any(
            data.value(metric.raw_id or "", o) is not None or data.value(metric.id, o) is not None
            for o in data.orgs_of_type(t)
        )
    ]
    if pool.kind == "own_trust_type":
        return [(t, [t], True, "ranked within its trust type") for t in present]
    if pool.kind == "trust_types":
        missing = [t for t in pool.trust_types if t not in data.trust_types]
        if not missing:
            return [
                (
                    "+".join(pool.trust_types),
                    list(pool.trust_types),
                    True,
                    f"ranked across {_type_names(framework, pool.trust_types)}",
                )
            ]
        why = (
            f"its pool ({_type_names(framework, pool.trust_types)}) needs "
            f"{_type_names(framework, missing)} data for {data.quarter}"
        )
        return [(t, [t], False, why) for t in present]
    why = "its pool includes providers outside the published trust types"
    return [(t, [t], False, why) for t in present]


def _score_ranked(
    framework: Framework,
    metric: Metric,
    data: QuarterData,
    scores: Scores,
    prefer_computed: bool = False,
) -> list[PoolInfo]:
    """Rank-based metrics, group by group (a group is the trust types ranked together).

    Where the pool is in the store the scores are computed; if they then disagree with the
    publication (beyond its 2-dp rounding), the pool or polarity declared for the metric is not
    the one the publisher used, so the publication's scores are taken instead and the pool is
    reported as disagreeing. Elsewhere the published scores are used, unrounded where the pool
    size can be recovered from them.
    """
    rule = metric.scoring
    assert isinstance(rule, RankScale | ThresholdThenRank)
    info = []
    for label, types, computable, why in _groups(framework, metric, data):
        orgs = [o for t in types for o in data.orgs_of_type(t)]
        members = _pool_members(framework, metric, data, orgs)
        inferred = infer_type_pool(metric, rule, data, members)
        size = None
        fallback = why
        disagree: tuple[tuple[str, float, float], ...] = ()
        used_computed = False
        if computable:
            trial: Scores = {}
            size = _compute_ranked(metric, rule, data, members, trial)
            off = [
                s
                for s in trial.values()
                if s.published is not None and abs(s.score - s.published) > 0.005 + 1e-9
            ]
            disagree = tuple(
                (x.org, x.score, x.published)
                for x in sorted(off, key=lambda x: x.org)
                if x.published is not None
            )
            if off and prefer_computed:
                scores.update(trial)
                used_computed = True
                why = (
                    f"scores computed over its pool (N = {size}) disagree with the "
                    f"publication for {len(off)} organisations, e.g. {off[0].org}; the computed "
                    "scores are used, as asked"
                )
            elif off:
                computable = False
                why = fallback = (
                    f"scores computed over its pool (N = {size}) disagree with the "
                    f"publication for {len(off)} organisations, e.g. {off[0].org}; the "
                    "publication's scores are used"
                )
            else:
                scores.update(trial)
                fallback = "raw value tied at published precision with another trust type's"
        for o in orgs:
            if (metric.id, o) in scores:
                continue
            if o not in members:
                _take_published(metric, data, o, scores, "subtype excluded from its pool")
                continue
            fit = inferred.get(o)
            if fit is None:
                failing = (
                    isinstance(rule, ThresholdThenRank)
                    and data.value(metric.id, o) == rule.fail_score
                )
                _take_published(
                    metric, data, o, scores, "below the standard" if failing else fallback
                )
            else:
                r, n, unrounded = fit
                _take_published(
                    metric,
                    data,
                    o,
                    scores,
                    fallback + f"; unrounded from rank {r} of {n} (inferred)",
                    r,
                    n,
                    unrounded,
                )
        n_inferred = next((n for _, n, _ in inferred.values()), None)
        info.append(
            PoolInfo(
                metric.id,
                label,
                metric.pool,
                computable,
                size,
                n_inferred,
                why,
                disagree,
                used_computed,
            )
        )
    return info


def _pool_members(
    framework: Framework, metric: Metric, data: QuarterData, orgs: list[str]
) -> list[str]:
    """The organisations ranked in the metric's pool: subtypes the pool excludes are left out."""
    excluded = set(framework.pool(metric.pool).exclude_subtypes)
    if not excluded:
        return orgs
    types = {t.id: t for t in framework.trust_types}
    kept = []
    for o in orgs:
        org = data.orgs[o]
        trust_type = types.get(org.trust_type)
        subtype = None if trust_type is None else trust_type.subtype_by_name(org.subtype)
        if subtype is None or subtype.id not in excluded:
            kept.append(o)
    return kept


def _passes(rule: RankScale | ThresholdThenRank, metric: Metric, value: float) -> bool:
    if isinstance(rule, RankScale):
        return True
    if metric.polarity == "higher_is_better":
        return value >= rule.standard
    return value <= rule.standard


def _compute_ranked(
    metric: Metric,
    rule: RankScale | ThresholdThenRank,
    data: QuarterData,
    orgs: list[str],
    scores: Scores,
) -> int:
    """Rank the pool on raw values; returns the pool size N."""
    sign = -1.0 if metric.polarity == "higher_is_better" else 1.0
    members = {}
    for o in orgs:
        raw = data.value(metric.raw_id or "", o)
        if raw is None:
            continue
        if not _passes(rule, metric, raw):
            assert isinstance(rule, ThresholdThenRank)
            scores[(metric.id, o)] = MetricScore(
                metric.id,
                o,
                raw,
                rule.fail_score,
                rule.fail_score,
                data.value(metric.id, o),
                "computed",
                note=f"below the {rule.standard:g} standard",
            )
            continue
        members[o] = sign * raw
    n = len(members)
    # Values are published to 2 dp; the publisher ranked unrounded values. Within one trust type
    # its published rank breaks display ties; across trust types nothing can, so those scores
    # are left to the publication.
    ties: dict[float, list[str]] = defaultdict(list)
    for o, key in members.items():
        ties[key].append(o)
    start = 1
    for key in sorted(ties):
        group = ties[key]
        type_ranks = {o: _type_rank(data, metric, o) for o in group}
        same_type = len({data.orgs[o].trust_type for o in group}) == 1
        if len(group) == 1 or len(set(type_ranks.values())) == 1:
            ranks = {o: start for o in group}
        elif same_type:
            # an organisation with no published rank (a what-if value) ties the best of them
            known = [r for r in type_ranks.values() if r is not None]
            low = min(known)
            ranks = {o: start + int((type_ranks[o] or low) - low) for o in group}
        else:
            ranks = {}
        for o, r in ranks.items():
            score = (
                float(rule.best + (rule.worst - rule.best) * (r - 1) / (n - 1))
                if n > 1
                else rule.best
            )
            scores[(metric.id, o)] = MetricScore(
                metric.id,
                o,
                data.value(metric.raw_id or "", o),
                score,
                score,
                data.value(metric.id, o),
                "computed",
                r,
                n,
            )
        start += len(group)
    return n


def _type_rank(data: QuarterData, metric: Metric, org: str) -> float | None:
    row = data.rows.get((metric.raw_id or "", org))
    return None if row is None else row.rank


def infer_type_pool(
    metric: Metric, rule: RankScale | ThresholdThenRank, data: QuarterData, orgs: list[str]
) -> dict[str, tuple[int, int, float]]:
    """Per organisation (rank R, pool size N, unrounded score) recovered from published scores."""
    by_type: dict[str, dict[str, float]] = defaultdict(dict)
    for o in orgs:
        published = data.value(metric.id, o)
        if published is None:
            continue
        if isinstance(rule, ThresholdThenRank):
            raw = data.value(metric.raw_id or "", o)
            failing = (
                (not _passes(rule, metric, raw))
                if raw is not None
                else published == rule.fail_score
            )
            if failing:
                continue
        by_type[data.orgs[o].trust_type][o] = published
    out = {}
    for published_scores in by_type.values():
        type_ranks = {o: _type_rank(data, metric, o) for o in published_scores}
        fit = infer_pool(published_scores, type_ranks, rule.best, rule.worst)
        if fit is None:
            continue
        step = (rule.worst - rule.best) / (fit.n - 1)
        for o, r in fit.ranks.items():
            out[o] = (r, fit.n, rule.best + step * (r - 1))
    return out
