"""A source metric split into its parts (cancer type, referral route, diagnostic test), each
with its own rank and interval: every face's, computed once per metric, split and month for
every organisation (:mod:`engine.sources.metric_parts`)."""

from __future__ import annotations

from oversight.engine.sources.metric_parts import MetricParts, Split, metric_parts
from oversight.errors import Problem, UserError
from oversight.frameworks.source_metrics import SourceMetric, source_metrics
from oversight.periods import Month
from oversight.service.site import NotFound, Site


def metric_of(metric_id: str) -> SourceMetric:
    metrics = source_metrics()
    metric = metrics.metric(metric_id.strip().upper())
    if metric is None:
        shares = ", ".join(m.metric_id for m in metrics.metrics if m.kind.startswith("share"))
        raise NotFound(
            f"Unknown metric {metric_id!r}", [Problem(f"shares: {shares}", field="metric")]
        )
    return metric


def all_parts(
    site: Site, metric: SourceMetric, by: Split, month: str | None
) -> tuple[str, dict[str, MetricParts]]:
    """Every organisation's parts of ``metric`` in ``month`` (None: the latest stored), built
    once per metric, split and month; nothing stored for that month is NotFound."""
    key = str(Month.parse(month)) if month else None

    def build() -> tuple[str, dict[str, MetricParts]]:
        return site.read(lambda con: metric_parts(con, metric, by, key))

    try:
        return site.memo(("metric-parts", metric.metric_id, by, key), build)
    except NotFound:
        raise
    except UserError as exc:  # nothing stored for the metric, or not that month: not found
        raise NotFound(exc.summary, exc.problems) from exc


def parts_of(site: Site, code: str, metric_id: str, by: Split, month: str | None) -> MetricParts:
    metric = metric_of(metric_id)
    label, found = all_parts(site, metric, by, month)
    split = found.get(code.strip().upper())
    if split is None:
        raise NotFound(
            f"No {metric.metric_id} for {code.strip().upper()} in {label}",
            [Problem("the organisation reported none that month", field="code")],
        )
    return split
