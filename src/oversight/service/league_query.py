"""Filtering and sorting a league table by what a visitor asks in the query string.

Every league table (the NOF table of a trust type, the modelled acute and ambulance tables, the
ICB table) is filtered by region, ICB, subtype and segment and sorted by any of its columns, the
same way for the page, its JSON and CSV twins and the API. A trust's region and ICB come from
the ODS reference files (:func:`oversight.service.icbs.icb_map`); where the store has none, or
ODS does not place a trust, its own record's region is used and it has no ICB.

Values are checked against what the table offers: an unknown region, ICB, subtype, segment or
sort column is refused (:class:`BadQuery`, a 422 naming the parameter), never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from oversight.errors import Problem, UserError
from oversight.service.icbs import IcbMap, has_icb_data, icb_map
from oversight.store.schema import Connection

R = TypeVar("R")
ORDERS = ("asc", "desc")


class BadQuery(UserError):
    """A filter or sort value the table does not offer (a 422, naming the parameter)."""


@dataclass(frozen=True)
class LeagueQuery:
    region: str | None = None
    icb: str | None = None
    subtype: str | None = None
    segment: int | None = None
    sort: str | None = None  # a column name; None keeps the table's own (rank) order
    order: str = "asc"

    def is_default(self) -> bool:
        return self == LeagueQuery()

    def key(self) -> tuple[Any, ...]:
        """The query normalised for a cache key (case-insensitive filters)."""
        return (
            (self.region or "").casefold(),
            (self.icb or "").upper(),
            (self.subtype or "").casefold(),
            self.segment,
            self.sort,
            self.order,
        )


@dataclass(frozen=True)
class Facets:
    """What a row is filtered on."""

    region: str = ""
    icb_code: str = ""
    icb_name: str = ""
    subtype: str = ""
    segment: int | None = None


@dataclass(frozen=True)
class Placement:
    region: str
    icb_code: str
    icb_name: str


@dataclass
class FilterOptions:
    """The values a table's filter form offers (those its rows have)."""

    regions: list[str] = field(default_factory=list)
    icbs: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    subtypes: list[str] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def placements(con: Connection) -> dict[str, Placement]:
    """Each ODS trust's region and ICB (empty when the store has no ODS/ONS files)."""
    if not has_icb_data(con):
        return {}
    return placements_of(icb_map(con))


def placements_of(mapping: IcbMap) -> dict[str, Placement]:
    out = {}
    for code, t in mapping.trusts.items():
        icb = mapping.icbs.get(t.icb)
        if icb is not None:
            out[code] = Placement(icb.region, icb.code, icb.name)
    return out


def options(
    rows: Sequence[R], facets: Callable[[R], Facets], columns: Sequence[str]
) -> FilterOptions:
    seen = [facets(r) for r in rows]
    return FilterOptions(
        regions=sorted({f.region for f in seen if f.region}),
        icbs=sorted({(f.icb_code, f.icb_name) for f in seen if f.icb_code}, key=lambda x: x[1]),
        subtypes=sorted({f.subtype for f in seen if f.subtype}),
        segments=sorted({f.segment for f in seen if f.segment is not None}),
        columns=list(columns),
    )


def _check(name: str, given: str, allowed: Sequence[str]) -> None:
    shown = ", ".join(allowed) if allowed else "none"
    raise BadQuery(
        f"Unknown {name} {given!r}",
        [Problem(f"{name} must be one this table has: {shown}", field=name)],
    )


def validate(query: LeagueQuery, offered: FilterOptions) -> None:
    """Refuse a value the table does not offer, naming the parameter."""
    if query.region and query.region.casefold() not in {r.casefold() for r in offered.regions}:
        _check("region", query.region, offered.regions)
    codes = {c for c, _ in offered.icbs}
    if query.icb and query.icb.upper() not in codes:
        _check("icb", query.icb, sorted(codes))
    if query.subtype and query.subtype.casefold() not in {s.casefold() for s in offered.subtypes}:
        _check("subtype", query.subtype, offered.subtypes)
    if query.segment is not None and not 1 <= query.segment <= 5:
        _check("segment", str(query.segment), ["1", "2", "3", "4", "5"])
    if query.sort is not None and query.sort not in offered.columns:
        _check("sort", query.sort, offered.columns)
    if query.order not in ORDERS:
        _check("order", query.order, ORDERS)


def _keep(f: Facets, q: LeagueQuery) -> bool:
    return (
        (not q.region or f.region.casefold() == q.region.casefold())
        and (not q.icb or f.icb_code == q.icb.upper())
        and (not q.subtype or f.subtype.casefold() == q.subtype.casefold())
        and (q.segment is None or f.segment == q.segment)
    )


def _sort_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def refine(
    rows: Sequence[R],
    query: LeagueQuery,
    facets: Callable[[R], Facets],
    columns: Sequence[str],
    value: Callable[[R, str], Any] = getattr,
) -> list[R]:
    """The rows the query keeps, in the order it asks for (validated first).

    Sorting is stable over the table's own order, so ties keep their rank order; rows without
    a value in the sort column go last whichever the order."""
    validate(query, options(rows, facets, columns))
    kept = [r for r in rows if _keep(facets(r), query)]
    if query.sort is None:
        return list(reversed(kept)) if query.order == "desc" else kept
    col = query.sort
    present = [r for r in kept if value(r, col) is not None]
    missing = [r for r in kept if value(r, col) is None]
    present.sort(key=lambda r: _sort_key(value(r, col)), reverse=query.order == "desc")
    return present + missing
