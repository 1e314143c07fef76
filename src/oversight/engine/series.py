"""An organisation's series of one metric, for SPC: monthly from the source-statistics
collections' metrics (:func:`engine.sources.provided.source_series`, e.g. ae_4hr_type1),
quarterly from the NOF store, or any source registered in :data:`SERIES_SOURCES`."""

from __future__ import annotations

from collections.abc import Callable

from oversight.engine.shapes import Series
from oversight.engine.sources.provided import source_series
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.stats.spc import Direction
from oversight.store import nof as nof_store
from oversight.store.schema import Connection

# name -> function(con, code, metric) giving the series, or None when it is not that source's
SeriesSource = Callable[[Connection, str, str], Series | None]
SERIES_SOURCES: dict[str, SeriesSource] = {}


def direction_of(framework: Framework, metric: str) -> Direction:
    """Improvement direction: from the framework's polarity for raw values; scores and
    segments are better when lower (1 is best)."""
    for m in framework.metrics:
        if m.raw_id == metric:
            return "increase" if m.polarity == "higher_is_better" else "decrease"
        if m.id == metric:
            return "decrease"
    if metric.startswith(("OF1", "OF4", "OF5")):
        return "decrease"
    return "neutral"


def series(con: Connection, framework: Framework, code: str, metric: str) -> Series:
    code, metric = code.upper(), metric.strip()
    provided = source_series(con, code, metric)
    if provided is not None:
        return provided
    for source in SERIES_SOURCES.values():
        found = source(con, code, metric)
        if found is not None:
            return found
    points = nof_store.metric_series(con, code, metric)
    if not points:
        where = "metric" if nof_store.has_organisation(con, code) else "organisation"
        raise UserError(
            f"No values of {metric} for {code}",
            [Problem(f"unknown {where}; see `oversight explain {code}` for its metrics")],
        )
    # earliest quarter first; where a quarter has more than one row, the last one read counts
    by_quarter = {p.quarter: (p.value, p.trust_name, p.metric_description) for p in points}
    periods = list(by_quarter)
    first = by_quarter[periods[0]]
    return Series(
        code,
        first[1] or "",
        metric,
        first[2] or metric,
        periods,
        [by_quarter[p][0] for p in periods],
        direction_of(framework, metric),
        "quarterly",
    )
