"""MODELLED league and metric tables for acute and ambulance trusts from public statistics.

Not NHS England's result: every table says so (``modelled``, ``note``), and every composite
says how many of the national framework's metrics it uses and which are missing.

- :func:`public_league`: the composite by the NOF rules (scores 1-4 by rank within the type,
  equal-weight average rounded half-up, quartile cut-points over acute and ambulance trusts,
  ranks with likely ranges), for trusts with at least the minimum number of metrics; the others
  listed with why.
- :func:`metric_table`: one metric's values with numerator and denominator, a 95% Wilson
  interval for shares, the peer rank and the 1-4 score.
- :func:`published_comparison` (service/public_compare.py): against NHS England's Q3 2025/26.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.errors import Problem
from oversight.frameworks import load_framework
from oversight.frameworks.source_metrics import source_metrics
from oversight.service.public_quarter import (
    MIN_REASON,
    PublicQuarter,
    covered_quarters,
    minimum_metrics,
    public_metric_ids,
    public_quarter,
    resolve_public_quarter,
)
from oversight.service.public_scoring import MODELLED, coverage
from oversight.service.quarters import NotFound
from oversight.stats.intervals import wilson
from oversight.store.schema import Connection

INTERVAL_SHARE = "95% Wilson score interval for the proportion numerator / denominator"
NO_INTERVAL = {
    "ratio": "none: a mean from a total and a count; the publication gives no spread to "
    "estimate its uncertainty from",
    "value": "none: a survey score as published, without its standard error",
}


@dataclass(frozen=True)
class CoverageInfo:
    trust_type: str
    used: list[str]  # raw IDs of the metrics with values this quarter
    unavailable: list[str]  # public metrics for the type with no value this quarter
    missing: list[str]  # every framework metric for the type the composite does not score
    national_total: int
    label: str


@dataclass(frozen=True)
class LeagueRow:
    trust_code: str
    trust_name: str
    metrics_scored: int
    average_score: float | None
    segment: int | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    basis: str = "modelled"


@dataclass(frozen=True)
class LeftOut:
    trust_code: str
    trust_name: str
    metrics_with_values: int
    reason: str


@dataclass(frozen=True)
class PublicLeague:
    quarter: str
    trust_type: str
    trust_type_name: str
    coverage: CoverageInfo
    minimum_metrics: int
    minimum_reason: str
    cut_points: list[float]
    rows: list[LeagueRow]
    left_out: list[LeftOut]
    modelled: bool = True
    note: str = MODELLED


@dataclass(frozen=True)
class MetricRow:
    trust_code: str
    trust_name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None
    ci_high: float | None
    peer_rank: int | None
    peers: int | None
    score: float | None
    basis: str = "modelled"


@dataclass(frozen=True)
class MetricTable:
    quarter: str
    trust_type: str
    metric_id: str  # raw ID (OF0010, OV0001)
    score_id: str  # the public framework's score ID (OF1010, OV1001)
    title: str
    unit: str
    polarity: str
    period: str
    definition: str
    interval: str
    rows: list[MetricRow]
    modelled: bool = True
    note: str = MODELLED


def trust_type_id(computed: PublicQuarter, given: str) -> str:
    for t in computed.framework.trust_types:
        if given.casefold() in {t.id, t.name.casefold(), *(a.casefold() for a in t.aliases)}:
            return t.id
    known = ", ".join(t.id for t in computed.framework.trust_types)
    raise NotFound(
        f"No modelled table for trust type {given!r}",
        [Problem(f"modelled trust types: {known}", field="trust_type")],
    )


def _computed(con: Connection, quarter: str | None, given: PublicQuarter | None) -> PublicQuarter:
    if given is not None:
        return given
    return public_quarter(con, resolve_public_quarter(covered_quarters(con), quarter))


def coverage_info(computed: PublicQuarter, trust_type: str) -> CoverageInfo:
    declared = coverage(load_framework(), computed.framework, trust_type)
    codes = {u.code for u in computed.units_of(trust_type)}
    have = {v.metric_id for v in computed.values if v.trust_code in codes}
    used = [m for m in declared.used if m in have]
    unavailable = [m for m in declared.used if m not in have]
    missing = declared.missing + unavailable
    label = (
        f"modelled on {len(used)} of the national framework's {declared.national_total} metrics "
        f"for this trust type ({', '.join(used) or 'none'}); missing: {', '.join(missing)}"
    )
    return CoverageInfo(trust_type, used, unavailable, missing, declared.national_total, label)


def public_league(
    con: Connection, quarter: str | None, trust_type: str, computed: PublicQuarter | None = None
) -> PublicLeague:
    """The modelled composite league table of one type in a covered quarter (None: latest)."""
    pq = _computed(con, quarter, computed)
    t = trust_type_id(pq, trust_type)
    name = next(x.name for x in pq.framework.trust_types if x.id == t)
    need = minimum_metrics(pq.framework, t)
    rows = []
    if pq.composite is not None:
        rows = [
            LeagueRow(
                o.trust_code,
                o.trust_name,
                len(o.scores),
                o.average_score,
                o.segment,
                o.rank,
                o.rank_low,
                o.rank_high,
            )
            for o in pq.composite.league_table(t)
        ]
    left_out = [
        LeftOut(
            u.code,
            u.name,
            pq.counts.get(u.code, 0),
            f"values for {pq.counts.get(u.code, 0)} of the type's public metrics; "
            f"the composite needs {need}",
        )
        for u in pq.units_of(t)
        if pq.counts.get(u.code, 0) < need
    ]
    cuts = list(pq.composite.cut_points.values) if pq.composite is not None else []
    return PublicLeague(
        pq.quarter, t, name, coverage_info(pq, t), need, MIN_REASON, cuts, rows, left_out
    )


def metric_table(
    con: Connection,
    quarter: str | None,
    trust_type: str,
    metric_id: str,
    computed: PublicQuarter | None = None,
) -> MetricTable:
    """One public metric for one type: every trust's value, interval, peer rank and score."""
    pq = _computed(con, quarter, computed)
    t = trust_type_id(pq, trust_type)
    wanted = metric_id.upper()
    metric = next(
        (m for m in pq.framework.metrics if wanted in (m.id, m.raw_id) and t in m.trust_types),
        None,
    )
    if metric is None:
        listed = ", ".join(public_metric_ids(pq.framework, t))
        raise NotFound(
            f"No modelled {t} metric {metric_id!r}",
            [Problem(f"public metrics for {t}: {listed}", field="metric_id")],
        )
    raw = metric.raw_id or metric.id
    source = source_metrics().metric(raw)
    assert source is not None  # the public framework declares only source metrics
    codes = {u.code for u in pq.units_of(t)}
    values = sorted(
        (v for v in pq.values if v.metric_id == raw and v.trust_code in codes),
        key=lambda v: v.trust_code,
    )
    shares = source.kind in ("share", "share_within")
    rows = []
    for v in values:
        low = high = None
        num, den = v.numerator, v.denominator
        if shares and num is not None and den and 0 <= num <= den:
            lo, hi = wilson(num, den)
            low, high = float(lo[0]) * source.scale, float(hi[0]) * source.scale
        org = pq.every.org(v.trust_code) if pq.every else None
        s = next((x for x in org.scores if x.metric_id == metric.id), None) if org else None
        rows.append(
            MetricRow(
                v.trust_code,
                v.trust_name,
                v.value,
                v.numerator,
                v.denominator,
                low,
                high,
                s.pool_rank if s else None,
                s.pool_size if s else None,
                s.score if s else None,
            )
        )
    rows.sort(key=lambda r: (r.peer_rank is None, r.peer_rank or 0, r.trust_code))
    return MetricTable(
        pq.quarter,
        t,
        raw,
        metric.id,
        source.title,
        source.unit,
        source.polarity,
        values[0].period if values else "",
        source.definition,
        INTERVAL_SHARE if shares else NO_INTERVAL[source.kind],
        rows,
    )
