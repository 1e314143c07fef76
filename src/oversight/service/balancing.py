"""Balancing-measure alerts (issue 15, item 5): an organisation whose headline metric improves
while a measure that gaming it would worsen gets worse, each beyond common-cause variation.

The pairs and the rule are declared in ``definitions/balancing-measures.yaml``
(:mod:`oversight.frameworks.balancing`). Each metric's monthly series comes from
:func:`engine.sources.monthly_metric.monthly_values`; its XmR chart from
:func:`service.series.with_spc`, drawn on the months up to the month judged only and phased at
the collection's declared change points. Faces render the results and compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oversight.engine.sources.monthly_metric import MonthlyValues, monthly_values
from oversight.frameworks.balancing import (
    BalancingPair,
    BalancingSet,
    balancing_measures,
    metric_of,
)
from oversight.frameworks.collections import collection
from oversight.frameworks.source_metrics import SourceMetric, source_metrics
from oversight.periods import Month
from oversight.service.series import with_spc
from oversight.service.site import Site
from oversight.stats.spc import Direction
from oversight.store.collections_query import org_name
from oversight.store.schema import Connection

IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"


@dataclass(frozen=True, slots=True)
class Judgement:
    """One organisation's headline and balancing points in the month judged."""

    headline_value: float
    headline_point: str  # common_cause, special_cause_improvement, ..._concern
    headline_label: str  # the Making Data Count rule that fired ("Above UCL" ...)
    balancing_value: float
    balancing_point: str
    balancing_label: str

    @property
    def alert(self) -> bool:
        return self.headline_point == IMPROVEMENT and self.balancing_point == CONCERN


def _latest_point(
    months: Sequence[str], values: Sequence[float], direction: Direction, rebase: Sequence[str]
) -> tuple[str, str] | None:
    charted = with_spc(months, values, direction, change_points=rebase)
    last = charted.points[-1] if charted.points else None
    if last is None or last.point_type is None or last.label is None:
        return None
    return last.point_type, last.label


def judge(
    month: str,
    headline: dict[str, float],
    balancing: dict[str, float],
    directions: tuple[Direction, Direction],
    change_points: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> Judgement | None:
    """The two series ("YYYY-MM" -> value) judged at ``month`` on charts of their months up to
    it; None when either has no value that month or too few months to chart."""
    found = []
    for series, direction, rebase in zip(
        (headline, balancing), directions, change_points, strict=True
    ):
        if month not in series:
            return None
        months = sorted(m for m in series if m <= month)
        point = _latest_point(months, [series[m] for m in months], direction, rebase)
        if point is None:
            return None
        found.append((series[month], *point))
    (hv, hp, hl), (bv, bp, bl) = found
    return Judgement(hv, hp, hl, bv, bp, bl)


@dataclass(frozen=True, slots=True)
class BalancingAlert:
    code: str
    name: str
    month: str
    headline: str
    headline_title: str
    headline_value: float
    headline_label: str
    balancing: str
    balancing_title: str
    balancing_value: float
    balancing_label: str
    why: str


@dataclass(frozen=True, slots=True)
class PairResult:
    """One declared pair in one month: how many organisations were judged, and the alerts."""

    pair: BalancingPair
    headline_title: str
    balancing_title: str
    month: str | None  # None: neither metric has any stored month
    judged: int
    alerts: list[BalancingAlert]


@dataclass(frozen=True, slots=True)
class BalancingReport:
    rule: str
    pairs: list[PairResult]

    @property
    def alerts(self) -> list[BalancingAlert]:
        return [a for p in self.pairs for a in p.alerts]


def _by_month(values: MonthlyValues) -> dict[str, dict[str, float]]:
    return {
        code: {str(Month.of(d)): v for d, v in series.items()} for code, series in values.items()
    }


def _direction(metric: SourceMetric) -> Direction:
    return "increase" if metric.polarity == "higher_is_better" else "decrease"


def _rebase(metric: SourceMetric) -> list[str]:
    return [c.month for c in collection(metric.collection).spc.change_points]


def pair_result(
    con: Connection,
    pair: BalancingPair,
    month: str | None,
    codes: list[str] | None = None,
) -> PairResult:
    """Judge every organisation with both metrics in ``month`` (None: the headline's latest)."""
    metrics = source_metrics()
    head, bal = metric_of(metrics, pair.headline), metric_of(metrics, pair.balancing)
    hs = _by_month(monthly_values(con, head, codes))
    bs = _by_month(monthly_values(con, bal, codes))
    stored = {m for series in hs.values() for m in series}
    wanted = str(Month.parse(month)) if month else (max(stored) if stored else None)
    alerts, judged = [], 0
    for code in sorted(set(hs) & set(bs)):
        if wanted is None:
            break
        j = judge(
            str(wanted),
            hs[code],
            bs[code],
            (_direction(head), _direction(bal)),
            (_rebase(head), _rebase(bal)),
        )
        if j is None:
            continue
        judged += 1
        if j.alert:
            name = org_name(con, head.collection, code) or code
            alerts.append(
                BalancingAlert(
                    code,
                    name.strip(),
                    str(wanted),
                    head.metric_id,
                    head.title,
                    j.headline_value,
                    j.headline_label,
                    bal.metric_id,
                    bal.title,
                    j.balancing_value,
                    j.balancing_label,
                    pair.why,
                )
            )
    return PairResult(
        pair, head.title, bal.title, None if wanted is None else str(wanted), judged, alerts
    )


def balancing_report(
    con: Connection,
    month: str | None = None,
    codes: list[str] | None = None,
    declared: BalancingSet | None = None,
) -> BalancingReport:
    """Every declared pair judged in ``month`` (None: each pair's latest month)."""
    chosen = declared or balancing_measures()
    return BalancingReport(chosen.rule, [pair_result(con, p, month, codes) for p in chosen.pairs])


def balancing_alerts(site: Site, month: str | None = None) -> BalancingReport:
    """Every face's report (computed once per month and store)."""
    key = str(Month.parse(month)) if month else None

    def build() -> BalancingReport:
        return site.read(lambda con: balancing_report(con, key))

    report: BalancingReport = site.memo(("balancing", key), build)
    return report
