"""Engine results reshaped into the API's models. No arithmetic here: every number comes from
the engine (scores, segments, ranks, ranges, history) or from the publication (values, peer
medians and quartiles); this module only selects, labels, filters and orders.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

import oversight.api.consequences_section  # noqa: F401  (registers its section)
import oversight.api.statistics_section  # noqa: F401  (registers its section)
from oversight.api.models import (
    DomainDef,
    DomainResult,
    FrameworkOut,
    LeagueRow,
    LeagueTable,
    Meta,
    MetricDef,
    MetricOrgRow,
    MetricResult,
    MetricView,
    OrgRecord,
    OrgSummary,
    QuarterOut,
    SearchResult,
    SegmentPath,
    SegmentRun,
    Standing,
    TrustTypeOut,
)
from oversight.api.sections import sections_for
from oversight.engine.nof.history import QuarterStanding
from oversight.engine.nof.inputs import QuarterData
from oversight.engine.nof.quarter import RangeOptions
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.errors import Problem
from oversight.frameworks.model import Framework, Metric
from oversight.service import nof as service
from oversight.service.league_query import LeagueQuery, refine
from oversight.service.league_tables import NOF_COLUMNS, nof_facets
from oversight.service.site import Computed, NotFound, Site, quarter_slug


class LeagueSort(StrEnum):
    """Whitelisted sort keys for league tables; a leading '-' sorts descending."""

    rank = "rank"
    rank_desc = "-rank"
    average_score = "average_score"
    average_score_desc = "-average_score"
    segment = "segment"
    segment_desc = "-segment"
    trust_name = "trust_name"
    trust_name_desc = "-trust_name"
    trust_code = "trust_code"
    trust_code_desc = "-trust_code"
    region = "region"
    region_desc = "-region"


def meta(site: Site, result: QuarterResult) -> Meta:
    return Meta(
        framework=f"{result.framework_id} {result.framework_version}",
        framework_digest=result.framework_digest,
        quarter=result.quarter,
        quarter_slug=quarter_slug(result.quarter),
        revisions=dict(result.revisions),
        cut_points=list(result.cut_points.values),
        cut_points_source=result.cut_points.source,
        cut_points_detail=result.cut_points.detail,
        range_method=result.range_method,
        replicates=result.replicates,
        seed=result.seed,
        score_disagreements=result.disagreement_lines(),
    )


def quarters(site: Site) -> list[QuarterOut]:
    out = []
    for q in site.quarters:
        revisions = site.data(q).revisions  # as the engine would use them, without running it
        out.append(
            QuarterOut(
                quarter=q,
                slug=quarter_slug(q),
                trust_types=sorted(revisions),
                revisions=dict(revisions),
            )
        )
    return out


def trust_types(site: Site, quarter: str) -> list[TrustTypeOut]:
    # counts only: ranks do not depend on likely ranges, so the cheap run (no bootstrap) will do
    result = site.result(quarter, RangeOptions(skip=True))
    return [
        TrustTypeOut(id=t.id, name=t.name, organisations=len(result.league_table(t.id)))
        for t in site.framework.trust_types
        if t.id in result.revisions
    ]


def framework_of(result: QuarterResult, site: Site) -> Framework:
    return result.framework or site.framework


def _units(data: QuarterData, m: Metric) -> str:
    label = data.labels.get(m.raw_id or m.id)
    return label.units if label else ""


def metric_def(framework: Framework, data: QuarterData | None, m: Metric) -> MetricDef:
    domains = {d.id: d.name for d in framework.domains}
    label = data.labels.get(m.raw_id or m.id) if data else None
    ids = {m.id, m.raw_id}
    files = sorted({p.file_name for (i, _), p in data.rows.items() if i in ids}) if data else []
    pool = next((p for p in framework.pools if p.id == m.pool), None)
    return MetricDef(
        id=m.id,
        raw_id=m.raw_id,
        name=m.name,
        domain=m.domain,
        domain_name=domains.get(m.domain, m.domain),
        polarity=m.polarity,
        units=_units(data, m) if data else "",
        trust_types=list(m.trust_types),
        weight=m.weight,
        in_average=m.in_average,
        scoring=m.scoring.rule,
        definition=label.description if label else "",
        sub_domain=m.sub_domain or (label.sub_domain if label else ""),
        peer_pool=pool.description if pool else m.pool,
        source_files=files,
        status=m.status,
        notes=m.notes,
    )


def framework_out(site: Site) -> FrameworkOut:
    fw = site.framework
    data = site.computed(site.latest).data if site.quarters else None
    return FrameworkOut(
        id=fw.id,
        version=fw.version,
        name=fw.name,
        digest=site.digest,
        quarters=list(fw.quarters),
        trust_types=[DomainDef(id=t.id, name=t.name) for t in fw.trust_types],
        domains=[DomainDef(id=d.id, name=d.name) for d in fw.domains],
        metrics=[metric_def(fw, data, m) for m in fw.metrics],
    )


def league_row(result: QuarterResult, o: OrgResult) -> LeagueRow:
    # the row's fields are the engine's, read by name; only the table size is added
    return LeagueRow.model_validate(
        {f: getattr(o, f) for f in LeagueRow.model_fields if f != "rank_of"}
        | {"rank_of": len(result.league_table(o.trust_type))}
    )


def league(
    site: Site,
    quarter: str,
    trust_type: str | None = None,
    wanted: LeagueQuery | None = None,
    sort: LeagueSort = LeagueSort.rank,
    limit: int | None = None,
    offset: int = 0,
) -> LeagueTable:
    result = site.result(quarter)
    types = [trust_type] if trust_type else sorted({o.trust_type for o in result.orgs})
    rows = [league_row(result, o) for t in types for o in result.league_table(t)]
    if wanted is not None and not wanted.is_default():
        # filters only: this route's sort keeps its own rule (ties by name)
        rows = refine(rows, replace(wanted, sort=None), nof_facets(site), NOF_COLUMNS)
    key = sort.value.lstrip("-")
    present = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    present.sort(key=lambda r: (getattr(r, key), r.trust_name), reverse=sort.value[0] == "-")
    rows = present + missing  # organisations without the key go last either way
    total = len(rows)
    page = rows[offset : None if limit is None else offset + limit]
    return LeagueTable(
        meta=meta(site, result), total=total, limit=limit or total, offset=offset, rows=page
    )


def _org(result: QuarterResult, code: str) -> OrgResult:
    org = result.org(code.strip().upper())
    if org is None:
        raise NotFound(
            f"No organisation {code!r} in {result.quarter}",
            [Problem("give an ODS code from the league table, e.g. RYY", field="code")],
        )
    return org


def _peers(data: QuarterData, m: Metric, code: str) -> tuple[float | None, ...]:
    row = data.rows.get((m.raw_id, code)) if m.raw_id else None
    if row is None:
        return (None, None, None)
    return (row.median, row.lower_quartile, row.upper_quartile)


def org_record(site: Site, quarter: str, code: str) -> OrgRecord:
    computed: Computed = site.computed(quarter)
    result, data = computed.result, computed.data
    org = _org(result, code)
    framework = framework_of(result, site)
    explained: dict[str, Any] = service.explanation(site, result.quarter, org.trust_code).detail
    domains = {d.id: d.name for d in framework.domains}
    metrics = []
    for e in explained["metrics"]:
        m = framework.metric(e["metric_id"])
        median, lq, uq = _peers(data, m, org.trust_code)
        metrics.append(
            MetricResult(
                metric_id=m.id,
                raw_id=m.raw_id,
                name=m.name,
                domain=m.domain,
                domain_name=domains.get(m.domain, m.domain),
                polarity=m.polarity,
                units=_units(data, m),
                value=e["value"],
                peer_median=median,
                peer_lower_quartile=lq,
                peer_upper_quartile=uq,
                pool=m.pool,
                pool_rank=e["pool_rank"],
                pool_size=e["pool_size"],
                score=e["score"],
                score_2dp=e["score_2dp"],
                published_score=e["published_score"],
                source=e["source"],
                source_text=e["source_text"],
                used_in_average=e["used_in_average"],
                weight=e["weight"],
                note=e["note"],
            )
        )
    results = site.all_results()
    hist = service.history(site, org.trust_code)
    path = SegmentPath(
        metrics_in_average=sum(1 for m in metrics if m.used_in_average),
        average_score=org.average_score,
        average_score_low=org.average_score_low,
        average_score_high=org.average_score_high,
        rounding_dp=framework.aggregation.rounding.dp,
        cut_points=list(result.cut_points.values),
        cut_points_source=result.cut_points.source,
        cut_points_detail=result.cut_points.detail,
        segment_unadjusted=org.segment_unadjusted,
        in_financial_deficit=org.in_financial_deficit,
        floor_segment=framework.financial_override.floor_segment,
        segment=org.segment,
        intensive_support=org.intensive_support,
        segment_final=org.segment_final,
        rank=org.rank,
        rank_low=org.rank_low,
        rank_high=org.rank_high,
        rank_of=explained["rank_of"],
        steps=list(explained["steps"]),
    )
    return OrgRecord(
        meta=meta(site, result),
        trust_code=org.trust_code,
        trust_name=org.trust_name,
        trust_type=org.trust_type,
        trust_type_name=org.trust_type_name,
        subtype=org.subtype,
        region=org.region,
        metrics=metrics,
        domains=[DomainResult(**d) for d in explained["domains"]],
        segment_path=path,
        history=_standings(hist.standings),
        runs=[SegmentRun(**r.__dict__) for r in hist.runs],
        sections=sections_for(org, result, results),
    )


def _standings(standings: list[QuarterStanding]) -> list[Standing]:
    return [Standing(quarter_slug=quarter_slug(s.quarter), **s.__dict__) for s in standings]


def org_history(site: Site, code: str) -> list[Standing]:
    """Every stored quarter the organisation appears in (not just the latest)."""
    results = site.all_results()
    if not any(r.org(code.strip().upper()) for r in results):
        raise NotFound(
            f"No organisation {code!r} in any stored quarter",
            [Problem("give an ODS code from the league table, e.g. RYY", field="code")],
        )
    return _standings(service.history(site, code).standings)


def metric_view(site: Site, quarter: str, metric_id: str, trust_type: str | None) -> MetricView:
    computed = site.computed(quarter)
    result, data = computed.result, computed.data
    framework = framework_of(result, site)
    wanted = metric_id.strip().upper()
    m = next((x for x in framework.metrics if wanted in (x.id, x.raw_id)), None)
    if m is None:
        raise NotFound(
            f"No metric {metric_id!r} in {framework.id} {framework.version}",
            [Problem("give a score ID (OF1xxx) or raw ID (OF0xxx)", field="metric_id")],
        )
    rows = []
    for o in result.orgs:
        if trust_type and o.trust_type != trust_type:
            continue
        s = next((x for x in o.scores if x.metric_id == m.id), None)
        if s is None and (not m.raw_id or data.value(m.raw_id, o.trust_code) is None):
            continue
        median, lq, uq = _peers(data, m, o.trust_code)
        rows.append(
            MetricOrgRow(
                trust_code=o.trust_code,
                trust_name=o.trust_name,
                trust_type=o.trust_type,
                region=o.region,
                value=s.value if s else data.value(m.raw_id or m.id, o.trust_code),
                peer_median=median,
                peer_lower_quartile=lq,
                peer_upper_quartile=uq,
                pool_rank=s.pool_rank if s else None,
                pool_size=s.pool_size if s else None,
                score=s.score if s else None,
                published_score=s.published if s else None,
                source=s.source if s else None,
                segment=o.segment,
            )
        )
    rows.sort(key=lambda r: (r.score is None, r.score or 0.0, r.trust_name))
    return MetricView(
        meta=meta(site, result),
        metric=metric_def(framework, data, m),
        trust_type=trust_type,
        rows=rows,
    )


def scored_metrics(result: QuarterResult) -> set[str]:
    """The metrics some organisation has a score on in the quarter (their pages exist)."""
    return {s.metric_id for o in result.orgs for s in o.scores}


def metric_quarters(site: Site, metric_id: str) -> list[str]:
    return [q for q in site.quarters if metric_id in scored_metrics(site.result(q))]


def org_summary(o: OrgResult) -> OrgSummary:
    return OrgSummary.model_validate(o, from_attributes=True)


def search(site: Site, query: str, quarter: str) -> SearchResult:
    """Organisations whose ODS code or name contains every word of the query (any case)."""
    words = query.casefold().split()
    result = site.result(quarter)
    found = [
        org_summary(o)
        for o in sorted(result.orgs, key=lambda o: o.trust_name)
        if all(w in f"{o.trust_code} {o.trust_name}".casefold() for w in words)
    ]
    # an exact ODS code comes first
    found.sort(key=lambda r: r.trust_code.casefold() != query.strip().casefold())
    return SearchResult(query=query, quarter=result.quarter, total=len(found), rows=found)
