"""Monthly A&E metrics, computed in DuckDB SQL from their definitions (ae-metrics-v1.yaml).

Every series is one query over the current release (``ae_value_current``): the rows that
count towards the unit (a provider as published, today's organisation with its predecessors
weighted in, a region, or England) are selected, and the metric's sums are taken with
``FILTER`` clauses built from the definition. A share's numerator is its denominator minus the
exceeding count (e.g. attendances minus those over 4 hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import duckdb
import pyarrow as pa

from oversight.engine.sources.ae_successors import final_change, weights_for
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AeMetric, AeMetricSet, MeasureSum, SuccessorMap
from oversight.stats.intervals import poisson_count, wilson

ENGLAND = "ENGLAND"
Level = Literal["provider", "organisation", "region", "england"]


@dataclass(frozen=True)
class SeriesPoint:
    month: date
    code: str
    metric: str
    value: float | None
    numerator: float | None
    denominator: float | None
    # 95% interval for the value: Wilson for a share, exact Poisson / Byar for a count
    ci_low: float | None = None
    ci_high: float | None = None


def _in(values: list[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _sum(part: MeasureSum) -> str:
    return (
        f"sum(value::DOUBLE * weight) FILTER (WHERE measure IN {_in(list(part.measures))} "
        f"AND department_type IN {_in(list(part.department_types))})"
    )


def metric_columns(metric: AeMetric) -> str:
    """SELECT expressions ``numerator, denominator, value`` for a metric over weighted rows."""
    if metric.kind == "count":
        assert metric.count is not None
        return f"{_sum(metric.count)} AS numerator, NULL::DOUBLE AS denominator, numerator AS value"
    assert metric.denominator is not None and metric.exceeding is not None
    den, exc = _sum(metric.denominator), _sum(metric.exceeding)
    return (
        f"{den} - coalesce({exc}, 0) AS numerator, {den} AS denominator, "
        "CASE WHEN denominator > 0 THEN numerator / denominator END AS value"
    )


def _grouped(source: str, metric: AeMetric, unit: str) -> str:
    return (
        f"SELECT month, {unit} AS code, {metric_columns(metric)} FROM ({source}) "
        "GROUP BY ALL ORDER BY code, month"
    )


def provider_metric_table(con: duckdb.DuckDBPyConnection, metric: AeMetric) -> pa.Table:
    """The metric for every provider and month as published (current releases)."""
    source = "SELECT *, 1.0::DOUBLE AS weight FROM ae_value_current"
    return con.sql(_grouped(source, metric, "org_code")).to_arrow_table()


def published_england_table(con: duckdb.DuckDBPyConnection, metric: AeMetric) -> pa.Table:
    """The metric from the England total row as published, where a month has one."""
    source = "SELECT *, 1.0::DOUBLE AS weight FROM ae_published_total_current"
    return con.sql(_grouped(source, metric, f"'{ENGLAND}'")).to_arrow_table()


def series(
    con: duckdb.DuckDBPyConnection,
    metrics: AeMetricSet,
    metric_id: str,
    code: str,
    smap: SuccessorMap | None = None,
    as_published: bool = False,
) -> list[SeriesPoint]:
    """The monthly series of ``code``: a provider (today's organisation, its predecessors
    weighted in, unless ``as_published``), a region code (Y56 ...) or ENGLAND."""
    metric = metrics.metric(metric_id)
    if metric is None:
        known = ", ".join(m.id for m in metrics.metrics)
        raise UserError(f"Unknown A&E metric {metric_id!r}", [Problem(f"known: {known}")])
    code = code.strip().upper()
    region = next((r for r in metrics.regions if r.code == code), None)
    if code == ENGLAND:
        source = "SELECT *, 1.0::DOUBLE AS weight FROM ae_value_current"
    elif region is not None:
        names = [
            p for (p,) in con.execute("SELECT DISTINCT parent_org FROM ae_value_current").fetchall()
        ]
        members = [p for p in names if metrics.region_of(p) == region]
        source = (
            "SELECT *, 1.0::DOUBLE AS weight FROM ae_value_current "
            f"WHERE parent_org IN {_in(members or ['-'])}"
        )
    else:
        source = _organisation_source(con, code, smap, as_published)
    rows = con.execute(_grouped(source, metric, f"'{code}'")).fetchall()
    if not rows:
        raise UserError(
            f"No A&E data for {code}",
            [Problem("is the code right, and has `oversight ae ingest FOLDER` been run?")],
        )
    return with_intervals([SeriesPoint(m, c, metric.id, v, n, d) for m, c, n, d, v in rows], metric)


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


def _organisation_source(
    con: duckdb.DuckDBPyConnection, code: str, smap: SuccessorMap | None, as_published: bool
) -> str:
    own = f"SELECT *, 1.0::DOUBLE AS weight FROM ae_value_current WHERE org_code IN {_in([code])}"
    if as_published or smap is None:
        return own
    gone = final_change(smap, code)
    if gone is not None:
        raise UserError(
            f"{code} is not an organisation today",
            [Problem(f"{gone}: ask for the successor, or use --as-published for {code}'s rows")],
        )
    reported = con.execute(
        "SELECT DISTINCT org_code, month FROM ae_value_current WHERE org_code IN "
        + _in(sorted(_codes_of_interest(smap, code)))
    ).fetchall()
    weights = weights_for(smap, code, reported)
    table = pa.table(
        {
            "w_code": [c for c, _, _ in weights],
            "w_month": pa.array([m for _, m, _ in weights], pa.date32()),
            "weight": pa.array([w for _, _, w in weights], pa.float64()),
        }
    )
    con.register("ae_series_weights", table)
    return (
        "SELECT v.*, w.weight FROM ae_value_current v JOIN ae_series_weights w "
        "ON v.org_code = w.w_code AND v.month = w.w_month"
    )


def _codes_of_interest(smap: SuccessorMap, code: str) -> set[str]:
    return {code} | {c.predecessor for c in smap.changes}


def england_check(
    con: duckdb.DuckDBPyConnection, metric: AeMetric, tolerance: float = 0.0
) -> list[tuple[date, float | None, float | None]]:
    """Months where the providers' England figure differs from the published total row's."""
    computed = {
        m: v
        for m, _, _, _, v in con.execute(
            _grouped("SELECT *, 1.0::DOUBLE AS weight FROM ae_value_current", metric, "'E'")
        ).fetchall()
    }
    published = published_england_table(con, metric).to_pylist()
    out = []
    for row in published:
        ours = computed.get(row["month"])
        theirs = row["value"]
        if ours is None or theirs is None:
            if ours != theirs:
                out.append((row["month"], ours, theirs))
        elif abs(ours - theirs) > tolerance:
            out.append((row["month"], ours, theirs))
    return out
