"""A league table's query string (``?region=&icb=&subtype=&segment=&sort=&order=``) read into
a :class:`LeagueQuery`, and the links a page needs to change one part of it (sort by a
column, clear the filters) as plain URLs: the table works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from oversight.errors import Problem
from oversight.service.league_query import BadQuery, LeagueQuery

MAX_LENGTH = 100


def _text(params: QueryParams, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_LENGTH:
        raise BadQuery(
            f"{name} is too long", [Problem(f"at most {MAX_LENGTH} characters", field=name)]
        )
    return value or None


def league_query(params: QueryParams) -> LeagueQuery:
    segment = _text(params, "segment")
    if segment is not None and not segment.isdigit():
        raise BadQuery(
            f"Unknown segment {segment!r}", [Problem("segment must be 1 to 5", field="segment")]
        )
    return LeagueQuery(
        region=_text(params, "region"),
        icb=_text(params, "icb"),
        subtype=_text(params, "subtype"),
        segment=None if segment is None else int(segment),
        sort=_text(params, "sort"),
        order=_text(params, "order") or "asc",
    )


def query_string(query: LeagueQuery, **change: str | int | None) -> str:
    """``?...`` for the query with some parts changed (None drops a part)."""
    parts: dict[str, str | int | None] = {
        "region": query.region,
        "icb": query.icb,
        "subtype": query.subtype,
        "segment": query.segment,
        "sort": query.sort,
        "order": query.order if query.order != "asc" else None,
    }
    parts.update(change)
    kept = {k: v for k, v in parts.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else "?"


def sort_link(query: LeagueQuery, column: str) -> str:
    """Sort by ``column``; a second click on the sorted column turns the order round."""
    flip = query.sort == column and query.order == "asc"
    return query_string(query, sort=column, order="desc" if flip else None)


def aria_sort(query: LeagueQuery, column: str) -> str | None:
    if query.sort != column:
        return None
    return "descending" if query.order == "desc" else "ascending"
