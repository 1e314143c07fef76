"""ICB metric values from their trusts' source statistics, and the ICB league table.

Each metric is computed for every reporting organisation (engine/sources/nof_metrics.py), then
summed over the trusts ODS places in each ICB (a closed trust's activity counted in its
successor's ICB): numerators and denominators are summed and the share, or mean, recomputed from
the sums. Survey scores have no numerator; they are averaged weighted by each trust's responses
(the survey's ``<id>_responses`` base), numerator = sum(score x responses), denominator =
sum(responses). Organisations that are not NHS trusts in the ODS file (independent-sector
providers, ICB-level rows) are not counted. The ICBs are then scored by the NOF engine under the
ICB framework file (icb-2026-27.yaml) like any other units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.engine.sources.nof_metrics import MetricValue, compute
from oversight.errors import Problem, UserError
from oversight.frameworks.loader import load_framework
from oversight.frameworks.model import Framework
from oversight.frameworks.source_metrics import Part, SourceMetric, SourceMetricSet, source_metrics
from oversight.periods import PeriodError, Quarter
from oversight.service.icbs import IcbMap, icb_map
from oversight.service.metric_values import MetricValueRow
from oversight.service.public_scoring import Unit, score
from oversight.service.quarters import NotFound
from oversight.store.schema import Connection

ICB_FRAMEWORK = "icb-2026-27"
ICB_TYPE = "icb"
# the latest quarter in which the bundled statistics give every ICB metric (cancer to July 2025)
DEFAULT_QUARTER = "Q1 2025/26"


@dataclass(frozen=True)
class Contribution:
    """One trust's part in its ICB's value of a metric."""

    icb: str
    trust_code: str  # the code that reported (a predecessor's code where it still reported)
    trust_name: str
    metric_id: str
    value: float | None
    numerator: float | None
    denominator: float | None  # for survey scores: the responses


@dataclass
class IcbQuarter:
    quarter: str
    framework: Framework
    mapping: IcbMap
    values: list[MetricValueRow]  # one per ICB and metric (trust_code = the ICB's code)
    contributions: list[Contribution]
    result: QuarterResult

    def org(self, code: str) -> OrgResult | None:
        return next((o for o in self.result.orgs if o.trust_code == code), None)

    def ranked(self) -> list[OrgResult]:
        return sorted(
            self.result.orgs,
            key=lambda o: (o.rank is None, o.rank or 0, o.trust_code),
        )


def responses_metric(metric: SourceMetric) -> SourceMetric:
    """The survey metric's base: its responses, on the same survey year."""
    part = Part(measures=[f"{m}_responses" for m in metric.numerator.measures])
    return metric.model_copy(update={"numerator": part, "metric_id": metric.metric_id})


def contributions(
    con: Connection, metric: SourceMetric, quarter: Quarter, ms: SourceMetricSet, imap: IcbMap
) -> list[Contribution]:
    """Every ODS trust's value of ``metric`` with the numerator and denominator it adds."""
    values: list[MetricValue] = compute(con, metric, quarter, ms)
    weights: dict[str, float | None] = {}
    if metric.kind == "value":
        base = compute(con, responses_metric(metric), quarter, ms)
        weights = {v.trust_code: v.value for v in base}
    out = []
    for v in values:
        icb = imap.icb_of(v.trust_code)
        if icb is None or v.value is None:
            continue
        num, den = v.numerator, v.denominator
        if metric.kind == "value":
            w = weights.get(v.trust_code)
            num, den = (None, None) if not w else (v.value * w, w)
        name = imap.names.get(v.trust_code, v.trust_code)
        out.append(Contribution(icb, v.trust_code, name, metric.metric_id, v.value, num, den))
    return out


def _icb_value(metric: SourceMetric, num: float, den: float) -> float | None:
    if den <= 0:
        return None
    if metric.kind in ("share", "share_within"):
        return num / den * metric.scale  # share_within's numerator is already "within"
    return num / den  # ratio: a mean; value: the response-weighted mean


def icb_values(
    con: Connection,
    framework: Framework,
    quarter: Quarter,
    imap: IcbMap,
    ms: SourceMetricSet | None = None,
) -> tuple[list[MetricValueRow], list[Contribution]]:
    """One value per ICB and framework metric, from its trusts' summed numerators/denominators."""
    ms = ms or source_metrics()
    rows: list[MetricValueRow] = []
    parts: list[Contribution] = []
    not_public = {n.metric_id for n in ms.not_computable}
    for m in framework.metrics:
        metric = ms.metric(m.raw_id or m.id)
        if metric is None and (m.raw_id or m.id) in not_public:
            continue  # declared for the policy (e.g. OF0079), with no public values
        if metric is None:
            raise UserError(
                f"ICB metric {m.id} has no source metric {m.raw_id}",
                [Problem("declare it in source-metrics-2025-26.yaml")],
            )
        found = [c for c in contributions(con, metric, quarter, ms, imap) if c.denominator]
        parts += found
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for c in found:
            sums[c.icb][0] += c.numerator or 0.0
            sums[c.icb][1] += c.denominator or 0.0
        label = f"{quarter} (sum of the ICB's trusts)"
        for icb, (num, den) in sorted(sums.items()):
            value = _icb_value(metric, num, den)
            source = f"{metric.collection}: {sum(c.icb == icb for c in found)} trusts summed"
            rows.append(
                MetricValueRow(
                    icb, imap.icbs[icb].name, metric.metric_id, value, num, den, label, source, True
                )
            )
    return rows, parts


@cache
def icb_framework() -> Framework:
    """The bundled ICB framework, read once (a server asks for it on every ICB page)."""
    return load_framework(ICB_FRAMEWORK)


def units(imap: IcbMap) -> list[Unit]:
    return [Unit(i.code, i.name, i.region, ICB_TYPE) for i in imap.icbs.values()]


def icb_quarter_of(given: str, framework: Framework | None = None) -> Quarter:
    """A quarter of the ICB framework from any spelling; NotFound otherwise."""
    fw = framework or load_framework(ICB_FRAMEWORK)
    try:
        q = Quarter.parse(given)
    except PeriodError as exc:
        raise NotFound(f"No ICB results for quarter {given!r}", exc.problems) from None
    if str(q) not in fw.quarters:
        raise NotFound(
            f"The ICB framework does not cover {q}",
            [Problem(f"quarters: {', '.join(fw.quarters)}")],
        )
    return q


def icb_quarter(
    con: Connection, quarter: str | Quarter, framework: Framework | None = None
) -> IcbQuarter:
    """The 42 ICBs scored, segmented and ranked for a quarter (modelled, providers-in-the-ICB)."""
    fw = framework or load_framework(ICB_FRAMEWORK)
    q = quarter if isinstance(quarter, Quarter) else icb_quarter_of(quarter, fw)
    if str(q) not in fw.quarters:
        raise NotFound(
            f"The ICB framework does not cover {q}",
            [Problem(f"quarters: {', '.join(fw.quarters)}")],
        )
    imap = icb_map(con)
    values, parts = icb_values(con, fw, q, imap)
    result = score(fw, str(q), units(imap), values)
    return IcbQuarter(str(q), fw, imap, values, parts, result)
