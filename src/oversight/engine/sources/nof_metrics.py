"""NOF metrics computed from source statistics for one quarter, as declared in
``source-metrics-2025-26.yaml``: each organisation's value with its numerator, denominator, the
period it covers and the files it came from.

The sums come from one parameterised store query per metric (:func:`measure_sums`); this module
chooses the periods (the quarter's months, its latest month, or the survey year the framework
names for the quarter) and turns the sums into values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from oversight.frameworks.collections import CollectionDef, collection
from oversight.frameworks.source_metrics import Part, SourceMetric, SourceMetricSet
from oversight.periods import MONTH_NAMES, Quarter
from oversight.store.collections_query import MeasureSpec, measure_sums, releases
from oversight.store.schema import Connection


@dataclass(frozen=True)
class MetricValue:
    trust_code: str
    metric_id: str
    value: float | None
    numerator: float | None
    denominator: float | None
    period: str  # what the value covers: "Oct-Dec 2025", "December 2025", "2024 survey"
    source: str  # the collection and the files of the releases used


@dataclass(frozen=True)
class Basis:
    periods: tuple[date, ...]
    label: str
    missing: str | None = None  # why no value can be computed for this quarter, if so


def basis(metric: SourceMetric, quarter: Quarter, metric_set: SourceMetricSet) -> Basis:
    months = quarter.months
    if metric.period_basis == "quarter_months":
        first, last = months[0], months[-1]
        label = f"{MONTH_NAMES[first.month - 1][:3]}-{MONTH_NAMES[last.month - 1][:3]} {last.year}"
        return Basis(tuple(m.first_day for m in months), label)
    if metric.period_basis == "latest_month":
        return Basis((months[-1].first_day,), months[-1].name)
    year = metric_set.survey_year_for_quarter.get(str(quarter))
    if year is None:
        return Basis((), "", f"the framework names no survey year for {quarter}")
    return Basis((date(year, 1, 1),), f"{year} survey")


def _everything(definition: CollectionDef, which: str) -> tuple[str, ...]:
    split = definition.breakdown if which == "breakdown" else definition.subgroup
    keys = set(split.values) if split is not None else set()
    return tuple(sorted(keys | {"all"}))


def _spec(part: Part, definition: CollectionDef) -> MeasureSpec:
    return MeasureSpec(
        tuple(part.measures),
        tuple(part.breakdowns) if part.breakdowns else _everything(definition, "breakdown"),
        tuple(part.subgroups) if part.subgroups else _everything(definition, "subgroup"),
    )


def _value(metric: SourceMetric, num: float | None, den: float | None) -> float | None:
    if num is None:
        return None
    if metric.kind == "value":
        return num
    if den is None or den <= 0:
        return None
    if metric.kind == "share_within":
        return (1 - num / den) * metric.scale
    return num / den * metric.scale


def compute(
    con: Connection,
    metric: SourceMetric,
    quarter: Quarter,
    metric_set: SourceMetricSet,
    codes: list[str] | None = None,
) -> list[MetricValue]:
    """Every organisation's value of ``metric`` in ``quarter`` (those in ``codes`` if given).

    An organisation counts only if it reported in every period of the basis (a quarter with a
    month missing has no value, rather than a value for part of the quarter).
    """
    chosen = basis(metric, quarter, metric_set)
    if chosen.missing or not chosen.periods:
        return []
    definition = collection(metric.collection)
    specs = [_spec(metric.numerator, definition)]
    if metric.denominator is not None:
        specs.append(_spec(metric.denominator, definition))
    table = measure_sums(con, metric.collection, specs, by_org=True, codes=codes)
    wanted = set(chosen.periods)
    sums: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(specs))
    seen: dict[str, set[date]] = defaultdict(set)
    columns = [table.column(f"s{i}").to_pylist() for i in range(len(specs))]
    for row, (period, code) in enumerate(
        zip(table.column("period").to_pylist(), table.column("org_code").to_pylist(), strict=True)
    ):
        # a period counts only where the metric's own base (denominator, else numerator) was
        # reported: rows of the collection's other measures do not make a month complete
        base = columns[-1][row]
        if period not in wanted or base is None:
            continue
        seen[code].add(period)
        for i, col in enumerate(columns):
            if col[row] is not None:
                sums[code][i] = (sums[code][i] or 0.0) + float(col[row])
    files = sorted(
        {r.file_name for r in releases(con, metric.collection) if r.current and r.period in wanted}
    )
    source = f"{definition.title}: {', '.join(files)}"
    out = []
    for code in sorted(sums):
        if seen[code] != wanted:
            continue
        num = sums[code][0]
        den = sums[code][1] if len(specs) > 1 else None
        if metric.kind == "share_within" and den is not None:
            num_out: float | None = den - (num or 0.0)  # within = all - exceeding
        else:
            num_out = num
        out.append(
            MetricValue(
                code, metric.metric_id, _value(metric, num, den), num_out, den, chosen.label, source
            )
        )
    return out
