"""The filter facets of each kind of league table, and its sortable columns.

A NOF row keeps the region its publication gives (what the table shows); the modelled acute and
ambulance rows, which carry none, take the ODS region. The ICB of a trust is always ODS's
(through successions). An ICB row is its own ICB.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from oversight.service.league_query import (
    Facets,
    FilterOptions,
    LeagueQuery,
    Placement,
    options,
    placements,
    refine,
)
from oversight.service.site import Site

R = TypeVar("R")

NOF_COLUMNS = (
    "rank",
    "trust_name",
    "trust_code",
    "region",
    "subtype",
    "segment",
    "average_score",
    "rank_low",
    "in_financial_deficit",
)
PUBLIC_COLUMNS = (
    "rank",
    "trust_name",
    "trust_code",
    "rank_low",
    "metrics_scored",
    "average_score",
    "segment",
)
ICB_COLUMNS = (
    "rank",
    "icb_name",
    "icb_code",
    "region",
    "segment",
    "average_score",
    "trusts",
    "metrics_scored",
)
_NOWHERE = Placement("", "", "")


def trust_placements(site: Site) -> dict[str, Placement]:
    """Each trust's ODS region and ICB, read once per store state."""
    return site.memo(("trust-placements",), lambda: site.read(placements))


def nof_facets(site: Site) -> Callable[[Any], Facets]:
    place = trust_placements(site)

    def facets(row: Any) -> Facets:
        p = place.get(row.trust_code, _NOWHERE)
        final = row.segment_final if row.segment_final is not None else row.segment
        return Facets(row.region or p.region, p.icb_code, p.icb_name, row.subtype, final)

    return facets


def public_facets(site: Site) -> Callable[[Any], Facets]:
    place = trust_placements(site)

    def facets(row: Any) -> Facets:
        p = place.get(row.trust_code, _NOWHERE)
        return Facets(p.region, p.icb_code, p.icb_name, "", row.segment)

    return facets


def icb_facets(row: Any) -> Facets:
    return Facets(row.region, row.icb_code, row.icb_name, "", row.segment)


def refined(
    rows: Sequence[R], query: LeagueQuery, facets: Callable[[Any], Facets], columns: Sequence[str]
) -> tuple[list[R], FilterOptions]:
    """The rows a query keeps and the filter options of the whole table (for the form)."""
    return refine(rows, query, facets, columns), options(rows, facets, columns)
