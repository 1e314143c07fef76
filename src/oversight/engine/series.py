"""An organisation's series of one metric, for SPC: monthly from the source-statistics
collections' metrics (:func:`engine.sources.provided.source_series`, e.g. ae_4hr_type1),
quarterly from the NOF store, or any source registered in :data:`SERIES_SOURCES`."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from oversight.engine.nof.inputs import quarter_sort_key
from oversight.engine.shapes import Series
from oversight.engine.sources.provided import source_series
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.stats.spc import Direction

# name -> function(con, code, metric) giving the series, or None when it is not that source's
SeriesSource = Callable[[duckdb.DuckDBPyConnection, str, str], Series | None]
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


def series(con: duckdb.DuckDBPyConnection, framework: Framework, code: str, metric: str) -> Series:
    code, metric = code.upper(), metric.strip()
    provided = source_series(con, code, metric)
    if provided is not None:
        return provided
    for source in SERIES_SOURCES.values():
        found = source(con, code, metric)
        if found is not None:
            return found
    rows = con.execute(
        """SELECT v.quarter, v.value, v.trust_name, v.metric_description
           FROM nof_value v JOIN current_release r
             ON r.file_id = v.file_id AND r.quarter = v.quarter AND r.kind = 'nof_data'
           WHERE v.trust_code = ? AND v.metric_id = ? AND v.value IS NOT NULL""",
        [code, metric],
    ).fetchall()
    if not rows:
        known = con.execute(
            "SELECT count(*) FROM nof_value WHERE trust_code = ?", [code]
        ).fetchall()
        where = "organisation" if not known[0][0] else "metric"
        raise UserError(
            f"No values of {metric} for {code}",
            [Problem(f"unknown {where}; see `oversight explain {code}` for its metrics")],
        )
    by_quarter = {q: (float(v), name, desc) for q, v, name, desc in rows}
    periods = sorted(by_quarter, key=quarter_sort_key)
    first = by_quarter[periods[0]]
    return Series(
        code,
        first[1],
        metric,
        first[2] or metric,
        periods,
        [by_quarter[p][0] for p in periods],
        direction_of(framework, metric),
        "quarterly",
    )
