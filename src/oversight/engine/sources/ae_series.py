"""Monthly A&E metrics (ae-metrics-v1.yaml) for a provider, today's organisation, a region or
England: the units A&E defines, computed by the generic :mod:`engine.sources.measures`.

A provider's series as published sums its own rows; today's organisation weights in its
predecessors' rows by the successor mapping (:mod:`engine.sources.ae_successors`); a region
sums the providers whose published parent organisation stands for it; England sums every
provider. A share's numerator is its denominator minus the exceeding count (e.g. attendances
minus those over 4 hours).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pyarrow as pa

from oversight.engine.sources.ae_successors import final_change, weights_for
from oversight.engine.sources.measures import (
    SeriesPoint,
    metric_points,
    metric_table,
    with_intervals,
)
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION, AeMetric, AeMetricSet, SuccessorMap
from oversight.store.collections_query import org_periods, parent_orgs
from oversight.store.schema import Connection

ENGLAND = "ENGLAND"
Level = Literal["provider", "organisation", "region", "england"]
__all__ = ["ENGLAND", "SeriesPoint", "england_check", "series", "with_intervals"]


def provider_metric_table(con: Connection, metric: AeMetric) -> pa.Table:
    """The metric for every provider and month as published (current releases)."""
    return metric_table(con, AE_COLLECTION, metric)


def published_england_table(con: Connection, metric: AeMetric) -> pa.Table:
    """The metric from the England total row as published, where a month has one."""
    points = metric_points(con, AE_COLLECTION, metric, ENGLAND, totals=True)
    return pa.table(
        {
            "month": pa.array([p.month for p in points], pa.date32()),
            "code": pa.array([p.code for p in points], pa.string()),
            "numerator": pa.array([p.numerator for p in points], pa.float64()),
            "denominator": pa.array([p.denominator for p in points], pa.float64()),
            "value": pa.array([p.value for p in points], pa.float64()),
        }
    )


def series(
    con: Connection,
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
    collection = metrics.collection
    if code == ENGLAND:
        points = metric_points(con, collection, metric, code)
    elif region is not None:
        members = [p for p in parent_orgs(con, collection) if metrics.region_of(p) == region]
        points = metric_points(con, collection, metric, code, parents=members or ["-"])
    elif as_published or smap is None:
        points = metric_points(con, collection, metric, code, codes=[code])
    else:
        points = _organisation_points(con, collection, metric, code, smap)
    if not points:
        raise UserError(
            f"No A&E data for {code}",
            [Problem("is the code right, and has `oversight ae ingest FOLDER` been run?")],
        )
    return with_intervals(points, metric)


def _organisation_points(
    con: Connection, collection: str, metric: AeMetric, code: str, smap: SuccessorMap
) -> list[SeriesPoint]:
    """Today's organisation: its own rows and its predecessors', weighted by the mapping."""
    gone = final_change(smap, code)
    if gone is not None:
        raise UserError(
            f"{code} is not an organisation today",
            [Problem(f"{gone}: ask for the successor, or use --as-published for {code}'s rows")],
        )
    reported = org_periods(con, collection, sorted(_codes_of_interest(smap, code)))
    weights = weights_for(smap, code, reported)
    return metric_points(con, collection, metric, code, weights=weights)


def _codes_of_interest(smap: SuccessorMap, code: str) -> set[str]:
    return {code} | {c.predecessor for c in smap.changes}


def england_check(
    con: Connection, metric: AeMetric, tolerance: float = 0.0
) -> list[tuple[date, float | None, float | None]]:
    """Months where the providers' England figure differs from the published total row's."""
    computed = {p.month: p.value for p in metric_points(con, AE_COLLECTION, metric, "E")}
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
