"""Services, not only trusts, for any share among the source metrics (issue 15, item 6): an
organisation's value of a metric split by its collection's breakdown (cancer type, diagnostic
test) or subgroup (referral route), each part ranked among the organisations that have it in
the month, with a 95% Wilson interval. Cancer's 28-day standard by route or by suspected cancer
type, for example, shows which pathway drives a trust's position.

The parts are the metric's own sums (:mod:`engine.sources.nof_metrics`), restricted to one
breakdown or subgroup value each; one parameterised store query gives every organisation's.
Shares are fractions (0-1), not scaled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from oversight.engine.sources.nof_metrics import _spec
from oversight.errors import Problem, UserError
from oversight.frameworks.collections import collection
from oversight.frameworks.source_metrics import SourceMetric
from oversight.periods import Month
from oversight.stats.intervals import wilson
from oversight.stats.ranks import min_rank
from oversight.store.collections_query import MeasureSpec, measure_sums
from oversight.store.schema import Connection

Split = Literal["breakdown", "subgroup"]
WHOLE = "whole"


@dataclass(frozen=True, slots=True)
class PartShare:
    key: str  # a breakdown or subgroup value, or "whole" (the organisation's metric)
    title: str
    numerator: float  # within the standard
    denominator: float
    share: float
    ci_low: float
    ci_high: float
    rank: int  # 1 = the highest share among organisations with this part in the month
    of: int


@dataclass(frozen=True, slots=True)
class MetricParts:
    metric_id: str
    code: str
    month: str
    by: Split
    parts: list[PartShare]  # the whole first, then each part the organisation has


def _keys(metric: SourceMetric, by: Split) -> list[tuple[str, str]]:
    definition = collection(metric.collection)
    split = definition.breakdown if by == "breakdown" else definition.subgroup
    titles = dict(split.values) if split is not None else {}
    assert metric.denominator is not None
    declared = metric.denominator.breakdowns if by == "breakdown" else metric.denominator.subgroups
    # a whole declared as the "all" row (diagnostics) is split by every other value
    keys = [k for k in declared or () if k != "all"] or [k for k in titles if k != "all"]
    return [(k, titles.get(k, k)) for k in keys]


def _restricted(spec: MeasureSpec, by: Split, key: str) -> MeasureSpec:
    return (
        replace(spec, breakdowns=(key,)) if by == "breakdown" else replace(spec, subgroups=(key,))
    )


def metric_parts(
    con: Connection, metric: SourceMetric, by: Split, month: str | None = None
) -> tuple[str, dict[str, MetricParts]]:
    """Every organisation's parts of ``metric`` in ``month`` (None: the latest stored)."""
    if metric.kind not in ("share", "share_within") or metric.denominator is None:
        raise UserError(
            f"{metric.metric_id} is not a share", [Problem("parts need a share", field="metric")]
        )
    definition = collection(metric.collection)
    whole = [_spec(metric.numerator, definition), _spec(metric.denominator, definition)]
    groups = [(WHOLE, f"{metric.title} (all)", whole)]
    for key, title in _keys(metric, by):
        groups.append((key, title, [_restricted(s, by, key) for s in whole]))
    specs = [s for _, _, pair in groups for s in pair]
    table = measure_sums(con, metric.collection, specs, by_org=True).to_pylist()
    months = sorted({r["period"] for r in table})
    if not months:
        raise UserError(f"No {definition.title} data", [Problem("ingest its files first")])
    label = str(Month.parse(month)) if month else str(Month.of(months[-1]))
    rows = [r for r in table if str(Month.of(r["period"])) == label]
    if not rows:
        raise UserError(
            f"No month {label} of {metric.metric_id}",
            [Problem(f"months stored: {Month.of(months[0])} to {Month.of(months[-1])}")],
        )
    out: dict[str, list[PartShare]] = {}
    for g, (key, title, _) in enumerate(groups):
        counts = {}
        for r in rows:
            num, den = r[f"s{2 * g}"], r[f"s{2 * g + 1}"]
            if den is None or den <= 0:
                continue
            within = float(num or 0.0)
            if metric.kind == "share_within":  # the numerator counts those exceeding
                within = float(den) - within
            counts[str(r["org_code"])] = (within, float(den))
        if not counts:
            continue
        codes = list(counts)
        shares = np.array([counts[c][0] / counts[c][1] for c in codes])
        ranks = min_rank(-shares)
        low, high = wilson([counts[c][0] for c in codes], [counts[c][1] for c in codes])
        for i, c in enumerate(codes):
            out.setdefault(c, []).append(
                PartShare(
                    key,
                    title,
                    counts[c][0],
                    counts[c][1],
                    float(shares[i]),
                    float(low[i]),
                    float(high[i]),
                    int(ranks[i]),
                    len(codes),
                )
            )
    return label, {
        c: MetricParts(metric.metric_id, c, label, by, parts)
        for c, parts in out.items()
        if parts[0].key == WHOLE
    }
