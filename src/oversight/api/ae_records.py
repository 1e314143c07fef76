"""Monthly A&E series, SPC and funnels for the API and the dashboard.

Nothing is computed here: series come from ``engine.ae_series.series`` (today's organisation
with its predecessors weighted in, or as published), SPC from ``service.series.with_spc``
(phased at the collection's declared change points; icons and lines from
``service.spc_summary``) and funnels
from ``engine.funnel.funnel`` on ``engine.ae_sources.month_units``. This module checks names
against what is stored (so unknown ones are 404s), labels and shapes, and caches by key.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, Literal

from oversight.api import ae_funnel_groups
from oversight.api.ae_models import (
    AeMetricOut,
    AeOrg,
    AeOrgList,
    FunnelMeta,
    FunnelRowOut,
    FunnelView,
    IconOut,
    PhaseOut,
    PoolOut,
    RagOut,
    SeriesMeta,
    SeriesPointOut,
    SeriesView,
    TargetLineOut,
)
from oversight.engine.funnel import funnel
from oversight.engine.shapes import Unit
from oversight.engine.sources import ae_sources
from oversight.engine.sources.ae_peer_funnel import against_pools
from oversight.engine.sources.ae_peer_funnel import pools as pooled_groups
from oversight.engine.sources.ae_series import ENGLAND, series
from oversight.engine.sources.ae_successors import final_change
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION, AeMetric, AeMetricSet, SuccessorMap
from oversight.frameworks.ae import ae_metrics as load_metrics
from oversight.frameworks.ae import ae_successors as load_successors
from oversight.frameworks.collections import TargetLine
from oversight.service import spc_summary
from oversight.service.series import with_spc
from oversight.service.site import NotFound, Site
from oversight.stats import spc
from oversight.store.collections_query import current_release_count
from oversight.store.collections_query import organisations as stored_organisations
from oversight.store.collections_query import periods as stored_periods
from oversight.store.schema import Connection

DEFAULT_METRIC = "ae_4hr_all_types"
FUNNEL_METRIC = "ae_4hr_type1"

# What the Making Data Count icons mean, in words (the dashboard shows text, not icons).
VARIATION_TEXT = {
    "common_cause": "Common cause variation: the latest month shows no significant change.",
    "improvement_high": "Special cause variation of an improving nature: the latest month is "
    "significantly high, and higher is better.",
    "improvement_low": "Special cause variation of an improving nature: the latest month is "
    "significantly low, and lower is better.",
    "concern_high": "Special cause variation of a concerning nature: the latest month is "
    "significantly high, and lower is better.",
    "concern_low": "Special cause variation of a concerning nature: the latest month is "
    "significantly low, and higher is better.",
    "neutral_high": "Special cause variation: the latest month is significantly high "
    "(no preferred direction).",
    "neutral_low": "Special cause variation: the latest month is significantly low "
    "(no preferred direction).",
}
TOO_FEW = "No SPC chart: fewer than two months with a value."
ASSURANCE_TEXT = {
    "consistent_pass": "The process will consistently meet the target.",
    "consistent_fail": "The process will consistently fail the target.",
    "inconsistent": "The process may meet or miss the target, by chance.",
    None: "No assurance icon: the metric's definition sets no target.",
}


@cache
def ae_metrics() -> AeMetricSet:
    """The bundled metric definitions, read once (parsing the YAML takes milliseconds)."""
    return load_metrics()


@cache
def ae_successors() -> SuccessorMap:
    return load_successors()


def metric_out(m: AeMetric) -> AeMetricOut:
    return AeMetricOut(
        id=m.id,
        title=m.title,
        description=m.description,
        kind=m.kind,
        higher_is_better=m.higher_is_better,
    )


def metrics() -> list[AeMetricOut]:
    return [metric_out(m) for m in ae_metrics().metrics]


def metric(metric_id: str) -> AeMetric:
    found = ae_metrics().metric(metric_id.strip().casefold())
    if found is None:
        known = ", ".join(m.id for m in ae_metrics().metrics)
        raise NotFound(
            f"Unknown A&E metric {metric_id!r}", [Problem(f"known: {known}", field="metric")]
        )
    return found


def _month(d: date) -> str:
    return f"{d:%Y-%m}"


def _stored(con: Connection) -> list[tuple[Any, ...]]:
    return [
        (o.code, o.name, o.parent, o.first, o.last)
        for o in stored_organisations(con, AE_COLLECTION)
    ]


def predecessors_of(code: str) -> list[str]:
    return sorted(
        c.predecessor for c in ae_successors().changes if any(s.code == code for s in c.successors)
    )


def organisations(site: Site) -> list[AeOrg]:
    """England, the seven regions and every organisation as it is today with A&E data."""

    def build() -> list[AeOrg]:
        rows = site.read(_stored)
        if not rows:
            return []
        defs, smap = ae_metrics(), ae_successors()
        first = _month(min(r[3] for r in rows))
        last = _month(max(r[4] for r in rows))
        out = [AeOrg(code=ENGLAND, name="England", level="england", first_month=first,
                     last_month=last)]  # fmt: skip
        out += [
            AeOrg(code=r.code, name=r.name, level="region", first_month=first, last_month=last)
            for r in sorted(defs.regions, key=lambda r: r.name)
        ]
        for code, name, parent, lo, hi in rows:
            if final_change(smap, code) is not None:
                continue  # merged into another: its months count towards the successor
            region = defs.region_of(parent or "")
            out.append(
                AeOrg(
                    code=code,
                    name=" ".join(str(name or code).split()),
                    level="organisation",
                    region=region.name if region else None,
                    first_month=_month(lo),
                    last_month=_month(hi),
                    predecessors=predecessors_of(code),
                )
            )
        return out

    return site.memo(("ae-orgs",), build)


def find(site: Site, query: str) -> AeOrgList:
    words = query.casefold().split()
    rows = [
        o
        for o in organisations(site)
        if all(w in f"{o.code} {o.name} {o.region or ''}".casefold() for w in words)
    ]
    return AeOrgList(query=query, total=len(rows), rows=rows)


def unit(site: Site, code: str, as_published: bool) -> AeOrg:
    """The stored unit named by ``code`` (any case); 404 if it has no A&E data, or if it is a
    predecessor asked for as today's organisation (the successor is named)."""
    wanted = code.strip().upper()
    for o in organisations(site):
        if o.code == wanted:
            return o
    if as_published:
        for c, name, parent, lo, hi in site.memo(("ae-stored",), lambda: site.read(_stored)):
            if c == wanted:
                region = ae_metrics().region_of(parent or "")
                return AeOrg(code=c, name=" ".join(str(name).split()), level="organisation",
                             region=region.name if region else None, first_month=_month(lo),
                             last_month=_month(hi))  # fmt: skip
    gone = final_change(ae_successors(), wanted)
    hint = "see /api/v1/ae/organisations for the codes stored"
    if gone is not None:
        hint = f"{gone}; ask for the successor, or as published"
    problems = [Problem(hint, field="code")]
    raise NotFound(f"No A&E series for {wanted}", problems)


def _line_out(line: TargetLine) -> TargetLineOut:
    return TargetLineOut(
        kind=line.kind,
        value=line.value,
        label=line.label,
        start=line.start,
        end=line.end,
        source=line.source,
    )


def _icon_out(icon: spc_summary.Icon) -> IconOut:
    return IconOut(
        code=icon.code, label=icon.label, symbol=icon.symbol, text=icon.text, tone=icon.tone
    )


def series_view(
    site: Site,
    code: str,
    metric_id: str,
    as_published: bool,
    limits: Literal["phased", "single"] = "phased",
    comparator: str = ENGLAND,
) -> SeriesView:
    """The series with its XmR chart: limits recalculated at the collection's declared change
    points (``limits="phased"``, Making Data Count's rebasing) or one set over every month;
    the latest month red/amber/green against ``comparator`` (see :func:`funnel_view`)."""
    m = metric(metric_id)
    against_code = ae_funnel_groups.find(comparator).code
    org = unit(site, code, as_published)
    own = as_published and org.level == "organisation"

    def build() -> SeriesView:
        points = site.read(
            lambda con: series(con, ae_metrics(), m.id, org.code, ae_successors(), own)
        )
        months_ = [_month(p.month) for p in points]
        known = [i for i, p in enumerate(points) if p.value is not None]
        direction: spc.Direction = "increase" if m.higher_is_better else "decrease"
        declared = spc_summary.change_points(AE_COLLECTION) if limits == "phased" else []
        drawn = spc_summary.lines(AE_COLLECTION, m.id)
        latest = next((months_[i] for i in reversed(known)), None)
        against = spc_summary.operative_line(drawn, latest) if latest else None
        # an XmR chart needs two points at least (a code that reported once has none)
        charted = with_spc(
            months_,
            [p.value for p in points],
            direction,
            against.value if against else None,
            change_points=[c.month for c in declared],
        )
        chart = charted.chart
        phase_of = {i: int(chart.groups[k]) + 1 for k, i in enumerate(known)} if chart else {}
        rows = [
            SeriesPointOut(
                month=months_[i],
                code=p.code,
                metric=p.metric,
                value=p.value,
                numerator=p.numerator,
                denominator=p.denominator,
                mean=sp.mean,
                lower=sp.lower,
                upper=sp.upper,
                label=sp.label,
                point_type=sp.point_type,
                phase=phase_of.get(i),
            )
            for i, (p, sp) in enumerate(zip(points, charted.points, strict=True))
        ]
        phases = spc_summary.phases(chart, [months_[i] for i in known], declared) if chart else []
        releases = site.read(lambda con: current_release_count(con, AE_COLLECTION))
        preds = [] if own else org.predecessors
        note = (
            "The code's own published rows only."
            if own
            else (
                "Includes the activity of predecessors before each change: " + ", ".join(preds)
                if preds
                else "No predecessors: the code's own published rows."
            )
        )
        level: Literal["england", "region", "organisation"] = org.level
        return SeriesView(
            meta=SeriesMeta(
                code=org.code,
                name=org.name,
                level=level,
                metric=metric_out(m),
                as_published=own,
                predecessors=preds,
                note=note,
                releases=int(releases),
                direction=direction,
                variation=chart.variation if chart else None,
                variation_text=VARIATION_TEXT[chart.variation] if chart else TOO_FEW,
                assurance=chart.assurance if chart else None,
                assurance_text=ASSURANCE_TEXT[chart.assurance if chart else None],
                spc_notes=chart.notes if chart else [],
                special_cause_points=(
                    sum(t != "common_cause" for t in chart.point_types) if chart else 0
                ),
                limits=limits,
                variation_icon=_icon_out(
                    spc_summary.variation_icon(chart.variation if chart else None)
                ),
                assurance_icon=_icon_out(
                    spc_summary.assurance_icon(chart.assurance if chart else None)
                ),
                assurance_against=_line_out(against) if against and chart else None,
                phases=[
                    PhaseOut(
                        number=ph.number,
                        first_month=ph.first,
                        last_month=ph.last,
                        points=ph.points,
                        mean=ph.mean,
                        lower=ph.lower,
                        upper=ph.upper,
                        title=ph.title,
                        reason=ph.reason,
                        trial=ph.trial,
                    )
                    for ph in phases
                ],
                lines=[_line_out(x) for x in drawn],
                comparison=(_comparison(site, m, org, latest, against_code) if latest else None),
                comparator=against_code,
                comparators=list(ae_funnel_groups.catalogue()),
            ),
            rows=rows,
        )

    key: tuple[object, ...] = ("ae-series", org.code, m.id, own, limits)
    return site.memo(key if against_code == ENGLAND else (*key, against_code), build)


def _comparison(
    site: Site, m: AeMetric, org: AeOrg, month: str, comparator: str = ENGLAND
) -> RagOut | None:
    """The organisation's latest month against the comparator on that month's funnel (shares
    only; None for England, a region, a count or a code the funnel does not have)."""
    if m.kind != "share_within" or org.level != "organisation":
        return None
    try:
        view = funnel_view(site, m.id, month, comparator)
    except NotFound:  # no ICB files in the store: the page says so rather than failing
        raise
    except UserError:  # too few providers that month for a funnel: no colour, not an error
        return None
    row = next((r for r in view.rows if r.code == org.code), None)
    if row is None:
        return None
    name = row.group or view.meta.comparator_name  # a group comparator: the group's own name
    return RagOut(
        month=month, comparator=name, code=row.rag, label=row.rag_label,
        rule=view.meta.rag_rule,
    )  # fmt: skip


def months(site: Site) -> list[str]:
    def build() -> list[str]:
        found = site.read(lambda con: stored_periods(con, AE_COLLECTION))
        return [_month(m) for m in found]

    return site.memo(("ae-months",), build)


def comparators() -> list[tuple[str, str]]:
    """What red/amber/green may be judged against: England (every provider pooled), each
    provider's own ICB or size band, or a region (code, name; ``ae_funnel_groups.catalogue``
    says more of each)."""
    return [(c.code, c.name) for c in ae_funnel_groups.catalogue()]


def funnel_view(
    site: Site, metric_id: str, month: str | None, comparator: str = ENGLAND
) -> FunnelView:
    """Every provider's share in a month against a comparator: England (the pooled value of
    every provider) or a region's pooled value, with limits allowing for overdispersion; or
    each provider against its own ICB's or size band's pooled value (the national funnel's
    overdispersion, ``engine.sources.ae_peer_funnel``)."""
    m = metric(metric_id)
    stored = months(site)
    if not stored:
        raise NotFound("The store has no A&E data", [Problem("run `oversight ae ingest FOLDER`")])
    wanted = (month or stored[-1]).strip()
    if wanted not in stored:
        raise NotFound(
            f"No A&E month {wanted!r}",
            [Problem(f"months stored: {stored[0]} to {stored[-1]}", field="month")],
        )
    chosen = ae_funnel_groups.find(comparator)
    centre = chosen.code

    def build() -> FunnelView:
        units = month_panel(site, m.id).get(wanted, [])
        grouped = chosen.kind in ("icb", "peer")
        target = (
            None if chosen.kind in ("england", "icb", "peer") else _pooled(site, m, centre, wanted)
        )
        result = funnel(units, "proportion", "additive", target=target)
        d = result.dispersion
        name = chosen.name if not grouped else ("its ICB" if chosen.kind == "icb" else "its peers")
        pools = {}
        raw = result.rows
        if grouped:
            codes = [u.code for u in units]
            pools = pooled_groups(units, ae_funnel_groups.groups(site, centre, wanted, codes))
            raw = against_pools(result, pools)
        rows = []
        for r in sorted(raw, key=lambda r: r["z_adjusted"]):
            flags = spc_summary.rag(r["flag_95"], r["flag_99.8"], m.higher_is_better, name)
            if grouped and r["group_size"] == 1:
                flags = spc_summary.ALONE
            rows.append(
                FunnelRowOut(
                    **{k.replace("99.8", "99_8"): v for k, v in r.items()},
                    rag=flags.code,
                    rag_label=flags.label,
                )
            )
        return FunnelView(
            meta=FunnelMeta(
                metric=metric_out(m),
                month=wanted,
                months=stored,
                target=result.target,
                adjustment=result.adjustment,
                phi=d.phi,
                tau2=d.tau2,
                units=len(rows),
                above_99_8=sum(r.flag_99_8 == "above" for r in rows),
                below_99_8=sum(r.flag_99_8 == "below" for r in rows),
                rag_rule=spc_summary.rag_rule(name, chosen.kind),
                comparator=centre,
                comparator_name=chosen.name,
                comparator_kind=chosen.kind,
                comparators=list(ae_funnel_groups.catalogue()),
                groups=[
                    PoolOut(name=p.name, providers=len(p.codes), value=p.value)
                    for p in sorted(pools.values(), key=lambda p: p.name)
                ],
            ),
            rows=rows,
            curve=result.curve(60),
        )

    key = ("ae-funnel", m.id, wanted) if centre == ENGLAND else ("ae-funnel", m.id, wanted, centre)
    return site.memo(key, build)


def month_panel(site: Site, metric_id: str) -> dict[str, list[Unit]]:
    """Every month's funnel units of a share, read once per metric and kept (computed ahead
    by the server; a funnel page is then arithmetic on one month)."""

    def build() -> dict[str, list[Unit]]:
        return site.read(lambda con: ae_sources.month_panel(con, metric_id)) or {}

    return site.memo(("ae-month-panel", metric_id), build)


def funnel_metrics() -> list[str]:
    """The metrics a funnel can be drawn for (shares)."""
    return [m.id for m in ae_metrics().metrics if m.kind == "share_within"]


def _pooled(site: Site, m: AeMetric, region: str, month: str) -> float:
    """A region's pooled share in a month (its providers' numerators over denominators)."""
    points = site.read(lambda con: series(con, ae_metrics(), m.id, region))
    value = next((p.value for p in points if _month(p.month) == month), None)
    if value is None:
        raise NotFound(f"No A&E value for {region} in {month}", [Problem("choose England")])
    return float(value)
