"""Metrics over any collection's measures: a count (a sum of measures over breakdown values) or
a share within (a denominator minus the exceeding count, over the denominator), for a chosen
unit (all organisations, a region, some codes, weighted rows, the published totals), with a 95%
interval beside every value.

The sums come from one parameterised store query (:func:`store.collections_query.measure_sums`);
this module only turns them into numerators, denominators and values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import pyarrow as pa

from oversight.frameworks.ae import AeMetric, MeasureSum
from oversight.stats.intervals import poisson_count, wilson
from oversight.store.collections_query import MeasureSpec, measure_sums
from oversight.store.schema import Connection


@dataclass(frozen=True)
class SeriesPoint:
    month: date  # the period's first day (a month for monthly collections)
    code: str
    metric: str
    value: float | None
    numerator: float | None
    denominator: float | None
    # 95% interval for the value: Wilson for a share, exact Poisson / Byar for a count
    ci_low: float | None = None
    ci_high: float | None = None


def _spec(part: MeasureSum) -> MeasureSpec:
    return MeasureSpec(tuple(part.measures), tuple(part.breakdowns))


def specs(metric: AeMetric) -> list[MeasureSpec]:
    if metric.kind == "count":
        assert metric.count is not None
        return [_spec(metric.count)]
    assert metric.denominator is not None and metric.exceeding is not None
    return [_spec(metric.denominator), _spec(metric.exceeding)]


def _parts(
    metric: AeMetric, sums: list[float | None]
) -> tuple[float | None, float | None, float | None]:
    """(numerator, denominator, value) from the spec sums, as the metric defines them."""
    if metric.kind == "count":
        return sums[0], None, sums[0]
    den, exc = sums
    num = None if den is None else den - (exc if exc is not None else 0.0)
    value = num / den if num is not None and den is not None and den > 0 else None
    return num, den, value


def metric_points(
    con: Connection,
    collection: str,
    metric: AeMetric,
    code: str,
    *,
    codes: Sequence[str] | None = None,
    parents: Sequence[str] | None = None,
    weights: Sequence[tuple[str, date, float]] | None = None,
    totals: bool = False,
) -> list[SeriesPoint]:
    """The metric per period for one unit (labelled ``code``), without intervals."""
    table = measure_sums(
        con,
        collection,
        specs(metric),
        codes=codes,
        parents=parents,
        weights=weights,
        totals=totals,
    )
    out = []
    for row in table.to_pylist():
        num, den, value = _parts(metric, [row[f"s{i}"] for i in range(len(specs(metric)))])
        out.append(SeriesPoint(row["period"], code, metric.id, value, num, den))
    return out


def metric_table(
    con: Connection, collection: str, metric: AeMetric, totals: bool = False
) -> pa.Table:
    """The metric for every organisation (or total row code) and period: month, code,
    numerator, denominator, value; ordered by code and period."""
    n = len(specs(metric))
    table = measure_sums(con, collection, specs(metric), by_org=True, totals=totals)
    rows = [
        (r["period"], r["org_code"], *_parts(metric, [r[f"s{i}"] for i in range(n)]))
        for r in table.to_pylist()
    ]
    return pa.table(
        {
            "month": pa.array([r[0] for r in rows], pa.date32()),
            "code": pa.array([r[1] for r in rows], pa.string()),
            "numerator": pa.array([r[2] for r in rows], pa.float64()),
            "denominator": pa.array([r[3] for r in rows], pa.float64()),
            "value": pa.array([r[4] for r in rows], pa.float64()),
        }
    )


def with_intervals(points: list[SeriesPoint], metric: AeMetric) -> list[SeriesPoint]:
    """Each point with its 95% interval, kept beside the value it qualifies."""
    if not points:
        return points
    nan = float("nan")
    if metric.kind == "share_within":
        num = [nan if p.numerator is None else p.numerator for p in points]
        den = [nan if not p.denominator else p.denominator for p in points]
        low, high = wilson(num, den)
    else:
        low, high = poisson_count([nan if p.value is None else p.value for p in points])
    return [
        replace(p, ci_low=_finite(lo), ci_high=_finite(hi))
        for p, lo, hi in zip(points, low, high, strict=True)
    ]


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else float(x)
