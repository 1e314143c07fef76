"""Dashboard pages of the MODELLED public-data tables, each headed "Modelled from public data —
not NHS England's result": an index, a league page per trust type and quarter, a page per
metric, and the comparison with NHS England's published Q3 2025/26 (with a scatter).

Paths: ``public/index.html``, ``public/2025-26-q1/league/acute.html``,
``public/2025-26-q1/metric/acute/OF0010.html``, ``public/2025-26-q3/compare.html``; each with
``.json`` and ``.csv`` twins. A store without source statistics gets an index that says so.
"""

from __future__ import annotations

from pydantic import BaseModel

from oversight.api import public_records
from oversight.api.public_models import (
    CompareRowOut,
    PublicLeagueRow,
    PublicMetricRow,
)
from oversight.service.league_query import LeagueQuery
from oversight.service.league_tables import PUBLIC_COLUMNS, public_facets, refined
from oversight.service.provider_services import codes_with_services
from oversight.service.public_reference import reference_file
from oversight.service.public_scoring import MODELLED
from oversight.service.site import Site, quarter_slug
from oversight.web.league_params import query_string
from oversight.web.pages import Page
from oversight.web.public_charts import compare_scatter

HEADING = "Modelled from public data — not NHS England's result"


class PublicIndexRow(BaseModel):
    quarter: str
    trust_type: str
    trust_type_name: str
    league_table: str
    basis: str = "modelled"


class PublicIndex(BaseModel):
    modelled: bool = True
    note: str = MODELLED
    message: str
    comparison: str | None
    rows: list[PublicIndexRow]


def public_index_path() -> str:
    return "public/index.html"


def public_league_path(quarter: str, trust_type: str) -> str:
    return f"public/{quarter_slug(quarter)}/league/{trust_type}.html"


def public_metric_path(quarter: str, trust_type: str, metric_id: str) -> str:
    return f"public/{quarter_slug(quarter)}/metric/{trust_type}/{metric_id}.html"


def public_compare_path(quarter: str) -> str:
    return f"public/{quarter_slug(quarter)}/compare.html"


def public_index(site: Site) -> Page:
    covered = public_records.covered(site)
    rows = [
        PublicIndexRow(
            quarter=q, trust_type=t, trust_type_name=name, league_table=public_league_path(q, t)
        )
        for q in reversed(covered)
        for t, name in public_records.trust_types(site, q)
    ]
    compared = next((q for q in covered if reference_file(q) is not None), None)
    message = (
        f"Modelled tables for {len(covered)} quarters the stored source statistics cover."
        if covered
        else "The store has no source statistics (cancer, A&E, diagnostics, ambulance, staff "
        "survey), so there are no modelled tables: ingest the collections first."
    )
    model = PublicIndex(
        message=message,
        comparison=public_compare_path(compared) if compared else None,
        rows=rows,
    )
    return Page(
        public_index_path(),
        "public_index.html",
        f"{HEADING}: acute and ambulance tables",
        model,
        rows,
        PublicIndexRow,
        {"heading": HEADING, "index_path": public_index_path()},
    )


def public_league(
    site: Site, quarter: str, trust_type: str, query: LeagueQuery | None = None
) -> Page:
    query = query or LeagueQuery()
    whole = public_records.league(site, quarter, trust_type)
    rows, offered = refined(whole.rows, query, public_facets(site), PUBLIC_COLUMNS)
    view = whole.model_copy(update={"rows": rows})
    metrics = public_records.metric_ids(site, view.quarter, view.trust_type)
    return Page(
        public_league_path(view.quarter, view.trust_type),
        "public_league.html",
        f"{view.trust_type_name}s: modelled league table, {view.quarter}",
        view,
        view.rows,
        PublicLeagueRow,
        {
            "query": query,
            "offered": offered,
            "ranked": len(whole.rows),
            "heading": HEADING,
            "metric_links": [
                (m, public_metric_path(view.quarter, view.trust_type, m)) for m in metrics
            ],
            "quarter_links": [
                (q, public_league_path(q, view.trust_type)) for q in public_records.covered(site)
            ],
            "index_path": public_index_path(),
            "services_codes": codes_with_services(site),
        },
        query="" if query.is_default() else query_string(query),
    )


def public_metric(site: Site, quarter: str, trust_type: str, metric_id: str) -> Page:
    view = public_records.metric(site, quarter, trust_type, metric_id)
    return Page(
        public_metric_path(view.quarter, view.trust_type, view.metric_id),
        "public_metric.html",
        f"{view.title}: modelled, {view.quarter}",
        view,
        view.rows,
        PublicMetricRow,
        {
            "heading": HEADING,
            "index_path": public_index_path(),
            "league_link": public_league_path(view.quarter, view.trust_type),
        },
    )


def public_compare(site: Site, quarter: str) -> Page:
    view = public_records.comparison(site, quarter)
    return Page(
        public_compare_path(view.quarter),
        "public_compare.html",
        f"Modelled against published, {view.quarter}",
        view,
        view.rows,
        CompareRowOut,
        {
            "heading": HEADING,
            "index_path": public_index_path(),
            "scatter": compare_scatter(view, "acute"),
            "league_links": {
                t: public_league_path(view.quarter, t) for t in ("acute", "ambulance")
            },
        },
    )


def public_export_pages(site: Site) -> list[tuple[str, tuple[object, ...]]]:
    """Every modelled page: the index, each covered quarter's leagues and metric pages, and
    the comparison where a reference file is bundled."""
    out: list[tuple[str, tuple[object, ...]]] = [("public_index", ())]
    for q in public_records.covered(site):
        for t, _ in public_records.trust_types(site, q):
            out.append(("public_league", (q, t)))
            out += [("public_metric", (q, t, m)) for m in public_records.metric_ids(site, q, t)]
        if reference_file(q) is not None:
            out.append(("public_compare", (q,)))
    return out
