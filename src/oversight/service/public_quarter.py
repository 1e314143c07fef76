"""One quarter of the MODELLED public-data tables: the computed values of every acute and
ambulance trust, and two runs of the NOF engine on them under the public framework file.

- ``every``: every trust with at least one value, likely ranges skipped. Its metric scores are
  the per-metric tables' peer ranks and 1-4 scores (each metric's pool is every trust of the type
  that has the value, as the NOF ranks a metric among the trusts that report it).
- ``composite``: only trusts with values for at least :data:`MIN_SHARE` of their type's public
  metrics, so a composite never rests on one or two measures. The others are listed with why.

Which quarters the collections cover is read off the store's periods: a quarter is covered when
the basis periods of at least one of the public metrics (its three months, its last month, or
its survey year) are all stored.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from oversight.engine.nof.quarter import RangeOptions
from oversight.engine.nof.results import QuarterResult
from oversight.engine.sources.nof_metrics import basis
from oversight.errors import Problem
from oversight.frameworks import Framework, load_framework
from oversight.frameworks.source_metrics import SourceMetricSet, source_metrics
from oversight.periods import PeriodError, Quarter
from oversight.service.metric_values import MetricValueRow, metric_values, trusts_of_type
from oversight.service.public_scoring import Unit, score
from oversight.service.quarters import NotFound
from oversight.store.collections_query import has_collection_tables, periods
from oversight.store.schema import Connection

PUBLIC_FRAMEWORK = "public-acute-ambulance-2025-26"
MIN_SHARE = 0.5
MIN_REASON = (
    "a trust needs values for at least half of its type's public metrics to have a modelled "
    "composite: an average of fewer says more about which statistics are missing than about "
    "the trust"
)


def public_framework() -> Framework:
    return load_framework(PUBLIC_FRAMEWORK)


def public_metric_ids(framework: Framework, trust_type: str) -> list[str]:
    """The raw IDs (OF0010, OV0001 ...) of the public metrics for a type, in file order."""
    return [m.raw_id or m.id for m in framework.metrics if trust_type in m.trust_types]


def minimum_metrics(framework: Framework, trust_type: str) -> int:
    return max(1, math.ceil(MIN_SHARE * len(public_metric_ids(framework, trust_type))))


def covered_quarters(con: Connection, metric_set: SourceMetricSet | None = None) -> list[str]:
    """The public framework's quarters for which the store holds some public metric's whole
    basis (oldest first); empty when the store has no source statistics."""
    if not has_collection_tables(con):
        return []
    ms = metric_set or source_metrics()
    framework = public_framework()
    wanted = {i for t in framework.trust_types for i in public_metric_ids(framework, t.id)}
    metrics = [m for m in ms.metrics if m.metric_id in wanted]
    stored = {c: set(periods(con, c)) for c in {m.collection for m in metrics}}
    out = []
    for label in framework.quarters:
        q = Quarter.parse(label)
        for m in metrics:
            b = basis(m, q, ms)
            if b.missing is None and b.periods and set(b.periods) <= stored[m.collection]:
                out.append(str(q))
                break
    return out


def resolve_public_quarter(covered: list[str], given: str | None) -> str:
    """A covered quarter from any spelling (None: the latest); NotFound naming the covered."""
    if not covered:
        raise NotFound(
            "The store has no source statistics for the modelled tables",
            [Problem("ingest the collections first (`oversight ingest` of the bundled data/nhs)")],
        )
    if given is None or not given.strip():
        return covered[-1]
    listed = Problem(f"quarters the collections cover: {', '.join(covered)}", field="quarter")
    try:
        wanted = Quarter.parse(given)
    except PeriodError as exc:
        problems = [*exc.problems, listed]
        raise NotFound(f"No modelled table for quarter {given!r}", problems) from None
    if str(wanted) not in covered:
        raise NotFound(f"No modelled table for quarter {given!r}", [listed])
    return str(wanted)


@dataclass(frozen=True)
class PublicQuarter:
    quarter: str
    framework: Framework
    units: list[Unit]
    values: list[MetricValueRow]  # computed values only
    every: QuarterResult | None  # None: no trust has a value
    composite: QuarterResult | None  # None: no trust of any type reaches the minimum
    counts: dict[str, int] = field(default_factory=dict)  # code -> public metrics with a value

    def units_of(self, trust_type: str) -> list[Unit]:
        return [u for u in self.units if u.trust_type == trust_type]


def _with_population(framework: Framework, types: list[str]) -> Framework:
    """The framework with its segmentation population narrowed to the types present (a type
    with no eligible trust cannot be part of the cut-points)."""
    seg = framework.segmentation.model_copy(update={"population": types})
    return framework.model_copy(update={"segmentation": seg})


def _run(
    framework: Framework,
    quarter: str,
    units: list[Unit],
    values: list[MetricValueRow],
    options: RangeOptions | None,
) -> QuarterResult | None:
    """The engine on some units, segmented over the types among them (None: no units)."""
    types = [t.id for t in framework.trust_types if any(u.trust_type == t.id for u in units)]
    if not types:
        return None
    return score(_with_population(framework, types), quarter, units, values, options)


def public_quarter(con: Connection, quarter: str) -> PublicQuarter:
    """Compute one covered quarter (``quarter`` as resolved by :func:`resolve_public_quarter`)."""
    framework = public_framework()
    national = load_framework()
    ms = source_metrics()
    q = Quarter.parse(quarter)
    units: list[Unit] = []
    values: list[MetricValueRow] = []
    for t in framework.trust_types:
        ids = set(public_metric_ids(framework, t.id))
        units += [Unit(x.code, x.name, "", t.id) for x in trusts_of_type(con, t.id, q, ms)]
        values += [
            v
            for v in metric_values(con, national, t.id, q, ms)
            if v.computed and v.value is not None and v.metric_id in ids
        ]
    counts = Counter(v.trust_code for v in values)
    scored = [u for u in units if counts[u.code] > 0]
    every = _run(framework, str(q), scored, values, RangeOptions(skip=True))
    eligible = [u for u in scored if counts[u.code] >= minimum_metrics(framework, u.trust_type)]
    composite = _run(framework, str(q), eligible, values, None)
    return PublicQuarter(str(q), framework, units, values, every, composite, dict(counts))
