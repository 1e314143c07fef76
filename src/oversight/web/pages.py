"""Every dashboard page as data: its path, template, JSON twin and CSV rows.

Pages live at paths that end in ``.html`` with ``.json`` and ``.csv`` twins beside them
(``2025-26-q4/org/RYY.html``, ``...RYY.json``, ``...RYY.csv``), the same whether served live
or written out by ``oversight publish``, so links between pages are relative and a published
site works from any folder of any web server.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from oversight.api import records
from oversight.api.models import (
    LeagueRow,
    MetricOrgRow,
    MetricResult,
    OrgRecord,
    OrgSummary,
    QuarterOut,
    TrustTypeOut,
)
from oversight.service import nof as nof_service
from oversight.service.icb_values import DEFAULT_QUARTER
from oversight.service.league_query import LeagueQuery
from oversight.service.league_tables import NOF_COLUMNS, nof_facets, refined
from oversight.service.moves import league_moves_context, moves_context
from oversight.service.org_neighbours import neighbours
from oversight.service.provider_services import codes_with_services
from oversight.service.site import Site, quarter_slug
from oversight.service.updated import data_updated, updated_label
from oversight.web.league_params import query_string


class HomeRow(BaseModel):
    quarter: str
    quarter_slug: str
    trust_type: str
    trust_type_name: str
    organisations: int
    league_table: str


class Home(BaseModel):
    latest: str
    framework: str
    quarters: list[QuarterOut]
    trust_types: list[TrustTypeOut]
    tables: list[HomeRow]
    data_updated: str | None = None  # the latest ingest time, UTC


@dataclass
class Page:
    path: str  # relative to the site root, ends in .html
    template: str
    title: str
    model: BaseModel  # the JSON twin
    rows: Sequence[BaseModel]  # the CSV twin
    row_model: type[BaseModel]
    context: dict[str, Any] = field(default_factory=dict)
    query: str = ""  # "?..." the twins repeat (a filtered table's JSON is filtered too)

    def twin(self, ext: str) -> str:
        return self.path.removesuffix(".html") + "." + ext + self.query


def relative(from_page: str, target: str) -> str:
    """A link from one page to another path of the site, relative (works in any folder)."""
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(target, start)


def league_path(quarter: str, trust_type: str) -> str:
    return f"{quarter_slug(quarter)}/league/{trust_type}.html"


def org_path(quarter: str, code: str) -> str:
    return f"{quarter_slug(quarter)}/org/{code}.html"


def metric_path(quarter: str, metric_id: str) -> str:
    return f"{quarter_slug(quarter)}/metric/{metric_id}.html"


def home(site: Site) -> Page:
    latest = site.latest
    tables = []
    for q in reversed(site.quarters):
        for t in records.trust_types(site, q):
            tables.append(
                HomeRow(
                    quarter=q,
                    quarter_slug=quarter_slug(q),
                    trust_type=t.id,
                    trust_type_name=t.name,
                    organisations=t.organisations,
                    league_table=league_path(q, t.id),
                )
            )
    fw = site.framework
    model = Home(
        latest=latest,
        framework=f"{fw.name} ({fw.id} {fw.version})",
        quarters=records.quarters(site),
        trust_types=records.trust_types(site, latest),
        tables=tables,
        data_updated=updated_label(data_updated(site)),
    )
    return Page("index.html", "home.html", "NHS oversight league tables", model, tables, HomeRow)


def league(site: Site, quarter: str, trust_type: str, query: LeagueQuery | None = None) -> Page:
    t = site.trust_type(trust_type)
    query = query or LeagueQuery()
    table = records.league(site, quarter, t.id)
    rows, offered = refined(table.rows, query, nof_facets(site), NOF_COLUMNS)
    shown = table.model_copy(update={"rows": rows, "total": len(rows), "limit": len(rows)})
    return Page(
        league_path(quarter, t.id),
        "league.html",
        f"{t.name}s: league table, {quarter}",
        shown,
        rows,
        LeagueRow,
        {
            "trust_type": t,
            "all_quarters": site.quarters,
            "query": query,
            "offered": offered,
            "ranked": table.total,
            "sparks": {r.trust_code: score_history(site, r.trust_code) for r in rows},
            **league_moves_context(site, quarter, t.id),
        },
        query="" if query.is_default() else query_string(query),
    )


def score_history(site: Site, code: str) -> list[tuple[str, float | None]]:
    """An organisation's average score in each stored quarter it appears in, oldest first."""
    return [(s.quarter, s.average_score) for s in nof_service.history(site, code).standings]


def organisation(site: Site, quarter: str, code: str) -> Page:
    record = records.org_record(site, quarter, code)
    return Page(
        org_path(quarter, record.trust_code),
        "organisation.html",
        f"{record.trust_name} ({record.trust_code}), {quarter}",
        record,
        record.metrics,
        MetricResult,
        {
            "all_quarters": [s.quarter for s in record.history],
            **icb_context(site, record),
            **moves_context(site, code),
            "has_services": record.trust_code in codes_with_services(site),
        },
    )


def icb_context(site: Site, record: OrgRecord) -> dict[str, Any]:
    """The organisation's ICB and its other trusts, linked to their pages where this quarter
    has one (the others are on the ICB's page, with their modelled results)."""
    found = neighbours(site, record.trust_code)
    if found is None:
        return {"icb": None}
    here = {o.trust_code for o in site.result(record.meta.quarter).orgs}
    linked = {c: org_path(record.meta.quarter, c) for c, _ in found.others if c in here}
    return {"icb": found, "icb_quarter": DEFAULT_QUARTER, "linked": linked}


def metric(site: Site, quarter: str, metric_id: str) -> Page:
    view = records.metric_view(site, quarter, metric_id, None)
    values = [r.value for r in view.rows if r.value is not None]
    peers = [
        v
        for r in view.rows
        for v in (r.peer_lower_quartile, r.peer_upper_quartile)
        if v is not None
    ]
    span = values + peers
    return Page(
        metric_path(quarter, view.metric.id),
        "metric.html",
        f"{view.metric.name} ({view.metric.id}), {quarter}",
        view,
        view.rows,
        MetricOrgRow,
        {
            "lowest": min(span, default=0.0),
            "highest": max(span, default=0.0),
            "all_quarters": records.metric_quarters(site, view.metric.id),
        },
    )


def search(site: Site, query: str) -> Page:
    found = records.search(site, query, site.latest)
    return Page(
        "search.html",
        "search.html",
        f"Search: {query}" if query else "Find an organisation",
        found,
        found.rows,
        OrgSummary,
        {"query": query},
    )


def all_pages(site: Site) -> list[tuple[str, Any]]:
    """Every page of the site as (kind, arguments), for the static export."""
    out: list[tuple[str, Any]] = [("home", ()), ("search", ("",))]
    for q in site.quarters:
        result = site.result(q)
        for t in sorted({o.trust_type for o in result.orgs}):
            out.append(("league", (q, t)))
        for o in result.orgs:
            out.append(("organisation", (q, o.trust_code)))
        out += [("metric", (q, m)) for m in sorted(records.scored_metrics(result))]
    return out


BUILDERS: dict[str, Callable[..., Page]] = {
    "home": home,
    "league": league,
    "organisation": organisation,
    "metric": metric,
    "search": search,
}
