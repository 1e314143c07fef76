"""ICB pages: the league table of the 42 ICBs in a quarter, and one ICB with its trusts (each
linking to its organisation page). Modelled; providers-in-the-ICB; Oversight's thresholds."""

from __future__ import annotations

from typing import Any

from oversight.api.icb_models import IcbContribution, IcbRecord, IcbRow, IcbTable
from oversight.api.likely_ranks_models import likely_ranks_out
from oversight.service.icb_pages import kept_icb_record, kept_league_page
from oversight.service.icb_values import DEFAULT_QUARTER, icb_framework, icb_quarter_of
from oversight.service.icbs import has_icb_data
from oversight.service.league_query import LeagueQuery
from oversight.service.league_tables import ICB_COLUMNS, icb_facets, refined
from oversight.service.likely_ranks import icb_likely_ranks
from oversight.service.site import Site, quarter_slug
from oversight.web.league_params import query_string
from oversight.web.likely_ranks_charts import caterpillar
from oversight.web.pages import Page, relative


def icbs_path(quarter: str) -> str:
    return f"icbs/{quarter_slug(quarter)}.html"


def icb_path(quarter: str, code: str) -> str:
    return f"icbs/{quarter_slug(quarter)}/{code}.html"


def _quarter(given: str) -> str:
    return str(icb_quarter_of(given, icb_framework()))


def icbs(site: Site, quarter: str, query: LeagueQuery | None = None) -> Page:
    q = _quarter(quarter)
    query = query or LeagueQuery()
    whole = IcbTable.model_validate(kept_league_page(site, q))
    rows, offered = refined(whole.icbs, query, icb_facets, ICB_COLUMNS)
    table = whole.model_copy(update={"icbs": rows})
    likely = likely_ranks_out(icb_likely_ranks(site, q))  # every ICB, whatever the filters
    return Page(
        icbs_path(q),
        "icbs.html",
        f"Integrated care boards: league table, {q} (modelled)",
        table,
        table.icbs,
        IcbRow,
        {
            "all_quarters": icb_framework().quarters,
            "query": query,
            "offered": offered,
            "ranked": len(whole.icbs),
            "likely": likely,
            "chart": caterpillar(likely, lambda code: relative(icbs_path(q), icb_path(q, code))),
        },
        query="" if query.is_default() else query_string(query),
    )


def icb(site: Site, quarter: str, code: str) -> Page:
    q = _quarter(quarter)
    record = IcbRecord.model_validate(kept_icb_record(site, q, code))
    return Page(
        icb_path(q, record.icb_code),
        "icb.html",
        f"{record.icb_name} ({record.icb_code}), {q} (modelled)",
        record,
        record.contributions,
        IcbContribution,
        {"metric_ids": [m.metric_id for m in record.metrics]},
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """The ICB league table and every ICB's page for the default quarter, when the store holds
    the ODS/ONS reference files (a store without them has no ICB pages)."""
    if not site.read(has_icb_data):
        return []
    table = IcbTable.model_validate(kept_league_page(site, DEFAULT_QUARTER))
    return [("icbs", (DEFAULT_QUARTER,))] + [
        ("icb", (DEFAULT_QUARTER, r.icb_code)) for r in table.icbs
    ]
