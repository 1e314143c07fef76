"""A provider's services page (issue 15, item 6, "Services, not only trusts"): every split the
stored source statistics give of its activity (A&E 4 hours by department type, cancer standards
by suspected cancer type and by referral route, diagnostics 6-week waits by test), each part with
its share, 95% interval, count and rank among the providers with that part, and a line naming
the parts furthest below and above the peer median, so a reader sees which service drives the
trust's position. The numbers are :func:`service.metric_parts.all_parts`'s, unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from oversight.engine.sources.metric_parts import WHOLE, MetricParts, PartShare, Split
from oversight.errors import Problem, UserError
from oversight.frameworks.source_metrics import SourceMetric
from oversight.periods import Month
from oversight.service.metric_parts import all_parts, metric_of
from oversight.service.site import NotFound, Site
from oversight.store.collections_query import org_name, periods
from oversight.store.schema import Connection

# fewer patients than this in a part: its share is shown, but it is neither compared nor named
TOO_FEW = 20


@dataclass(frozen=True, slots=True)
class SplitDef:
    key: str  # the split's stable name in the page, the JSON and the CSV
    title: str
    metric_id: str
    by: Split


SPLITS = (
    SplitDef(
        "ae_department_type", "A&E: within 4 hours, by department type", "OF0013", "breakdown"
    ),
    SplitDef(
        "cancer_fds_type",
        "Cancer: 28-day faster diagnosis, by suspected cancer",
        "OF0010",
        "breakdown",
    ),
    SplitDef(
        "cancer_fds_route",
        "Cancer: 28-day faster diagnosis, by referral route",
        "OF0010",
        "subgroup",
    ),
    SplitDef(
        "cancer_62day_type",
        "Cancer: 62 days to first treatment, by cancer type",
        "OF0011",
        "breakdown",
    ),
    SplitDef(
        "cancer_62day_route",
        "Cancer: 62 days to first treatment, by referral route",
        "OF0011",
        "subgroup",
    ),
    SplitDef(
        "diagnostics_test", "Diagnostics: waiting 6 weeks or more, by test", "OV0003", "breakdown"
    ),
)


@dataclass(frozen=True, slots=True)
class PartView:
    key: str  # a breakdown or subgroup value, or "whole" (the provider's metric)
    title: str
    numerator: float
    denominator: float  # the patients (attendances, referrals, waiting) behind the share
    share: float  # 0-1
    ci_low: float  # 95% Wilson interval of the share (there is no interval of the rank)
    ci_high: float
    rank: int  # 1 = the highest share among providers with this part in the month
    of: int
    peer_median: float  # the median share of the providers with this part
    too_few: bool  # fewer than TOO_FEW patients: not compared


@dataclass(frozen=True, slots=True)
class SplitView:
    key: str
    title: str
    metric_id: str
    by: Split
    polarity: str  # higher_is_better or lower_is_better
    month: str
    parts: list[PartView]  # the whole first
    below: PartView | None  # the part furthest on the worse side of its peer median
    above: PartView | None  # ... furthest on the better side
    drives: str  # one sentence naming them


@dataclass(frozen=True, slots=True)
class ProviderServices:
    code: str
    name: str | None
    month: str | None  # the month asked for; None: each split's latest
    months: list[str]  # every month any split has stored, newest first (the selector's)
    splits: list[SplitView]


def _better(metric: SourceMetric, part: PartView) -> float:
    """How far the part is on the better side of its peer median, in share points."""
    gap = part.share - part.peer_median
    return gap if metric.polarity == "higher_is_better" else -gap


def _sentence(below: PartView | None, above: PartView | None) -> str:
    def said(p: PartView) -> str:
        median_pct = 100 * p.peer_median
        return f"{p.title} ({100 * p.share:.1f}% against a peer median of {median_pct:.1f}%)"

    if below is None and above is None:
        return "No part has enough patients to compare with its peers."
    words = []
    if below is not None:
        words.append(f"furthest on the worse side of its peers: {said(below)}")
    if above is not None:
        words.append(f"furthest on the better side: {said(above)}")
    text = "; ".join(words) + "."
    return text[0].upper() + text[1:]


def _view(
    spec: SplitDef, metric: SourceMetric, mine: MetricParts, everyone: dict[str, MetricParts]
) -> SplitView:
    shares: dict[str, list[float]] = {}
    for theirs in everyone.values():
        for q in theirs.parts:
            shares.setdefault(q.key, []).append(q.share)

    def view(p: PartShare) -> PartView:
        return PartView(
            p.key,
            p.title,
            p.numerator,
            p.denominator,
            p.share,
            p.ci_low,
            p.ci_high,
            p.rank,
            p.of,
            float(median(shares[p.key])),
            p.denominator < TOO_FEW,
        )

    parts = [view(p) for p in mine.parts]
    compared = [p for p in parts if p.key != WHOLE and not p.too_few]
    ordered = sorted(compared, key=lambda p: _better(metric, p))
    below = ordered[0] if ordered and _better(metric, ordered[0]) < 0 else None
    above = ordered[-1] if ordered and _better(metric, ordered[-1]) > 0 else None
    return SplitView(
        spec.key,
        spec.title,
        metric.metric_id,
        spec.by,
        metric.polarity,
        mine.month,
        parts,
        below,
        above,
        _sentence(below, above),
    )


def _months(site: Site) -> list[str]:
    collections = sorted({metric_of(s.metric_id).collection for s in SPLITS})

    def stored(con: Connection) -> set[str]:
        return {str(Month.of(p)) for c in collections for p in periods(con, c)}

    def read() -> list[str]:
        return sorted(site.read(stored), reverse=True)

    return site.memo(("provider-services-months",), read)


def provider_services(site: Site, code: str, month: str | None = None) -> ProviderServices:
    """``code``'s splits in ``month`` (None: each split's latest stored month). A month no split
    has stored, or a code with no part in any split, is NotFound."""
    code = code.strip().upper()
    label = str(Month.parse(month)) if month else None
    months = _months(site)
    if label is not None and label not in months:
        raise NotFound(
            f"No source statistics for {label}",
            [Problem(f"months stored: {', '.join(months) or 'none'}", field="month")],
        )
    views = []
    for spec in SPLITS:
        metric = metric_of(spec.metric_id)
        try:
            _, everyone = all_parts(site, metric, spec.by, label)
        except UserError:  # this statistic is not stored, or not for that month
            continue
        mine = everyone.get(code)
        if mine is not None and len(mine.parts) > 1:
            views.append(_view(spec, metric, mine, everyone))
    if not views:
        raise NotFound(
            f"No services of {code}" + (f" in {label}" if label else ""),
            [Problem("no split of its activity is stored for it", field="code")],
        )
    collections = sorted({metric_of(v.metric_id).collection for v in views})

    def named(con: Connection) -> str | None:  # A&E publishes names in capitals: others first
        names = [n for c in collections if (n := org_name(con, c, code))]
        return next((n for n in names if not n.isupper()), names[0] if names else None)

    name = site.read(named)
    return ProviderServices(code, name, label, months, views)


def codes_with_services(site: Site) -> frozenset[str]:
    """Every code with a part in some split's latest stored month (who gets a link)."""

    def build() -> frozenset[str]:
        found: set[str] = set()
        for spec in SPLITS:
            try:
                _, everyone = all_parts(site, metric_of(spec.metric_id), spec.by, None)
            except UserError:
                continue
            found |= {c for c, m in everyone.items() if len(m.parts) > 1}
        return frozenset(found)

    return site.memo(("provider-services-codes",), build)
