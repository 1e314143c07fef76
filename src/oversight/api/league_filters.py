"""The filter and sort parameters every league-table route of the API takes (region, ICB,
subtype, segment, sort, order), and their refusal: a value the table does not have is an unknown
name (404 naming the parameter), as an unknown trust type is; the schema's limits give 422.

Filtering itself is the service layer's (:mod:`oversight.service.league_query`), the same for
the pages, their twins and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query

from oversight.service.league_query import BadQuery, Facets, LeagueQuery, refine
from oversight.service.site import NotFound

R = TypeVar("R")

RegionQ = Annotated[str | None, Query(max_length=80, description="NHS region")]
IcbQ = Annotated[str | None, Query(max_length=10, description="ODS code of an ICB, e.g. QMJ")]
SubtypeQ = Annotated[str | None, Query(max_length=80, description="trust subtype")]
SegmentQ = Annotated[int | None, Query(ge=1, le=5, description="final segment")]
OrderQ = Annotated[str, Query(max_length=4, description="asc (default) or desc")]


def sort_param(columns: Sequence[str]) -> Any:
    """A ``sort`` parameter naming one of the table's columns (default: its rank order)."""
    return Query(max_length=40, description="a column: " + ", ".join(columns))


def wanted(
    region: str | None,
    icb: str | None,
    subtype: str | None,
    segment: int | None,
    sort: str | None = None,
    order: str = "asc",
) -> LeagueQuery:
    return LeagueQuery(region, icb, subtype, segment, sort, order)


def refined_or_404(
    rows: Sequence[R], query: LeagueQuery, facets: Callable[[Any], Facets], columns: Sequence[str]
) -> list[R]:
    """The rows the query keeps, in its order; an unknown value is a 404 naming the parameter."""
    try:
        return refine(rows, query, facets, columns)
    except BadQuery as exc:
        raise NotFound(exc.summary, exc.problems) from exc
