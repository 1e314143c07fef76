"""A source metric (``source-metrics-2025-26.yaml``) for every organisation and single month:
the monthly series SPC needs, where :mod:`engine.sources.nof_metrics` sums a quarter's months.

Numerators, denominators and values are made exactly as for a quarter (the same specs and the
same value rule), from one parameterised store query.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from oversight.engine.sources.nof_metrics import _spec, _value
from oversight.frameworks.collections import collection
from oversight.frameworks.source_metrics import SourceMetric
from oversight.store.collections_query import measure_sums
from oversight.store.schema import Connection

# organisation code -> {month's first day: value}
MonthlyValues = dict[str, dict[date, float]]


def monthly_values(
    con: Connection, metric: SourceMetric, codes: list[str] | None = None
) -> MonthlyValues:
    """Each organisation's value of ``metric`` in each month it reported the metric's base (its
    denominator, else its numerator) and the value is defined."""
    definition = collection(metric.collection)
    specs = [_spec(metric.numerator, definition)]
    if metric.denominator is not None:
        specs.append(_spec(metric.denominator, definition))
    table = measure_sums(con, metric.collection, specs, by_org=True, codes=codes)
    columns = [table.column(f"s{i}").to_pylist() for i in range(len(specs))]
    out: MonthlyValues = defaultdict(dict)
    periods = table.column("period").to_pylist()
    orgs = table.column("org_code").to_pylist()
    for row, (period, code) in enumerate(zip(periods, orgs, strict=True)):
        if columns[-1][row] is None:
            continue
        num = columns[0][row]
        den = columns[1][row] if len(specs) > 1 else None
        value = _value(metric, None if num is None else float(num), den)
        if value is not None:
            out[code][period] = value
    return dict(out)
