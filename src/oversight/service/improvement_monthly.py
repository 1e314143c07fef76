"""Improvement from the monthly series, every face's: a trust type's providers, one source metric,
each provider's latest months against its own SPC (:mod:`engine.sources.monthly_improvement`).

The metrics are the source metrics (``source-metrics-2025-26.yaml``) declared for the type whose
collection is monthly (A&E, cancer waiting times, diagnostics, ambulance: not the staff survey).
The peers are the trusts of the type (from the NOF files of the month's quarter, else the staff
survey's groups, as :func:`service.metric_values.trusts_of_type` says); when the store gives
neither, every provider reporting the metric, and the table says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from oversight.engine.sources.monthly_improvement import (
    MonthlyImprovement,
    monthly_improvement,
    window_months,
)
from oversight.engine.sources.monthly_metric import MonthlyValues, monthly_values
from oversight.errors import Problem
from oversight.frameworks.collections import collection
from oversight.frameworks.source_metrics import SourceMetric, source_metrics
from oversight.periods import Month
from oversight.service.metric_values import trusts_of_type
from oversight.service.quarters import NotFound
from oversight.service.site import Site
from oversight.store.collections_query import has_collection_tables, organisations
from oversight.store.schema import Connection

MONTHS = 3  # a quarter's months, as the quarterly path compares quarters


@dataclass(frozen=True, slots=True)
class MonthlyImprovementView:
    trust_type: str
    trust_type_name: str
    collection: str
    collection_title: str
    peers_from: str
    change_points: list[str]
    table: MonthlyImprovement

    @property
    def computed_from(self) -> str:
        t = self.table
        window = t.window[0] if len(t.window) == 1 else f"{t.window[0]} to {t.window[-1]}"
        since = t.baseline_from or "the first month stored"
        return (
            f"Computed from the monthly series ({self.collection_title}): the months "
            f"{window} against the SPC limits of each provider's months from {since} up to "
            "the month before them."
        )


def monthly_metrics(trust_type: str) -> list[SourceMetric]:
    """The source metrics of the type that have a monthly series."""
    return [m for m in source_metrics().for_type(trust_type) if m.period_basis != "survey_year"]


def _metric(trust_type: str, metric_id: str) -> SourceMetric:
    chosen = monthly_metrics(trust_type)
    found = next((m for m in chosen if m.metric_id == metric_id.strip().upper()), None)
    if found is None:
        known = ", ".join(m.metric_id for m in chosen) or "none"
        raise NotFound(
            f"No monthly series of {metric_id!r} for {trust_type}",
            [Problem(f"metrics with a monthly series for {trust_type}: {known}", field="metric")],
        )
    return found


def _build(
    con: Connection,
    type_id: str,
    metric: SourceMetric,
    month: str | None,
    months: int,
    values: MonthlyValues,
) -> tuple[MonthlyImprovement, str]:
    stored = sorted({Month.of(d) for series in values.values() for d in series})
    if not stored:
        raise NotFound(f"No month of {metric.metric_id} is stored", [])
    # the window is consecutive months, every one stored (the bundled A&E files skip some)
    whole = [m for m in stored if set(window_months(m, months)) <= set(stored)]
    if not whole:
        raise NotFound(f"No {months} consecutive months of {metric.metric_id} are stored", [])
    last = Month.parse(month) if month else whole[-1]
    if last not in whole:
        raise NotFound(
            f"{metric.metric_id} has no stored {months} months ending {last}",
            [Problem(f"stored windows end {whole[0]} to {whole[-1]}", field="month")],
        )
    trusts = trusts_of_type(con, type_id, last.quarter, source_metrics())
    if trusts:
        names = {t.code: t.name for t in trusts}
        source = "NOF files" if trusts[0].from_nof else "NHS Staff Survey benchmarking groups"
        peers_from = f"the trusts of the type ({source})"
    else:
        spans = organisations(con, metric.collection)
        names = {o.code: (o.name or o.code).strip() for o in spans}
        peers_from = (
            "every provider reporting the metric (the store holds no NOF file or staff survey "
            "to give trust types)"
        )
    peers = {c: v for c, v in values.items() if c in names}
    points = [c.month for c in collection(metric.collection).spc.change_points]
    return monthly_improvement(metric, peers, names, last, months, points), peers_from


def monthly_improvement_view(
    site: Site, trust_type: str, metric_id: str, month: str | None = None, months: int = MONTHS
) -> MonthlyImprovementView:
    """The type's providers ranked by improvement in ``metric_id`` over the ``months`` months
    ending at ``month`` (None: the latest whose months are all stored), each against its own
    earlier months."""
    kind = site.trust_type(trust_type)
    metric = _metric(kind.id, metric_id)
    key = str(Month.parse(month)) if month else None

    def series(con: Connection) -> MonthlyValues:
        if not has_collection_tables(con):
            raise NotFound(
                "No monthly source statistics are stored", [Problem("run oversight fetch")]
            )
        return monthly_values(con, metric)

    def build() -> MonthlyImprovementView:
        # one store query per metric, whatever the type, month or window asked for
        values: MonthlyValues = site.memo(
            ("monthly-values", metric.metric_id), lambda: site.read(series)
        )
        table, peers_from = site.read(lambda con: _build(con, kind.id, metric, key, months, values))
        declared = collection(metric.collection)
        points = [c.month for c in declared.spc.change_points]
        return MonthlyImprovementView(
            kind.id, kind.name, metric.collection, declared.title, peers_from, points, table
        )

    view: MonthlyImprovementView = site.memo(
        ("improvement-monthly", kind.id, metric.metric_id, key, months), build
    )
    return view


def monthly_improvements_ahead(site: Site) -> list[tuple[str, Callable[[], object]]]:
    """What a server computes ahead for the monthly improvement pages: every trust type's
    every monthly metric at its default window (a page's first open reads each provider's
    whole series and charts it)."""
    view = monthly_improvement_view
    types = sorted({t for m in source_metrics().metrics for t in m.trust_types})
    return [
        (f"monthly improvement {t} {m.metric_id}", partial(view, site, t, m.metric_id))
        for t in types
        for m in monthly_metrics(t)
    ]
