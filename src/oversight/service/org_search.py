"""One search over every organisation the site shows: the NOF trusts of the latest quarter,
the modelled acute and ambulance trusts of the public-data tables, and the integrated care
boards. By ODS code or name, case-insensitive, any part: every word of the query must occur in
the code or the name. An exact code comes first, then names in order.

A trust in both the NOF tables and a modelled table is listed once, as a NOF trust (its page has
the most). Each result says which kind of page shows it; the faces turn that into a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from oversight.errors import UserError
from oversight.service.icb_pages import league_records
from oversight.service.icb_values import DEFAULT_QUARTER
from oversight.service.icbs import has_icb_data
from oversight.service.league_query import Placement
from oversight.service.league_tables import trust_placements
from oversight.service.public_quarter import PublicQuarter, covered_quarters, public_quarter
from oversight.service.public_tables import PublicLeague, public_league
from oversight.service.site import Site
from oversight.store.schema import Connection

NOF, PUBLIC, ICB = "nof", "public", "icb"


@dataclass(frozen=True)
class Found:
    kind: str  # NOF (organisation page), PUBLIC (modelled league of trust_type), ICB
    code: str
    name: str
    trust_type: str  # "icb" for an ICB
    type_name: str
    region: str
    quarter: str
    segment: int | None
    rank: int | None


def _nof(site: Site) -> list[Found]:
    if not site.quarters:
        return []
    result = site.result(site.latest)
    return [
        Found(NOF, o.trust_code, o.trust_name, o.trust_type, o.trust_type_name, o.region,
              result.quarter, o.segment_final, o.rank)
        for o in result.orgs
    ]  # fmt: skip


def _computed(site: Site, quarter: str) -> PublicQuarter:
    # the same memo key as the public pages use, so a quarter is computed once for both
    return site.memo(
        ("public-quarter", quarter), lambda: site.read(lambda con: public_quarter(con, quarter))
    )


def _region(place: dict[str, Placement], code: str) -> str:
    p = place.get(code)
    return "" if p is None else p.region


def _league(
    con: Connection, quarter: str, trust_type: str, computed: PublicQuarter
) -> PublicLeague:
    return public_league(con, quarter, trust_type, computed)


def _public(site: Site) -> list[Found]:
    """Each modelled type's trusts from the latest covered quarter that ranks some of them."""
    covered = site.memo(("public-covered",), lambda: site.read(covered_quarters))
    place = trust_placements(site)
    out: list[Found] = []
    for t in ("acute", "ambulance"):
        for q in reversed(covered):
            pq = _computed(site, q)
            league = site.read(partial(_league, quarter=q, trust_type=t, computed=pq))
            if not league.rows:
                continue
            out += [
                Found(PUBLIC, r.trust_code, r.trust_name, t, league.trust_type_name,
                      _region(place, r.trust_code), league.quarter, r.segment, r.rank)
                for r in league.rows
            ]  # fmt: skip
            out += [
                Found(PUBLIC, r.trust_code, r.trust_name, t, league.trust_type_name,
                      _region(place, r.trust_code), league.quarter, None, None)
                for r in league.left_out
            ]  # fmt: skip
            break
    return out


def _icbs(site: Site) -> list[Found]:
    if not site.read(has_icb_data):
        return []
    rows = site.read(lambda con: league_records(con, DEFAULT_QUARTER))
    return [
        Found(ICB, r["icb_code"], r["icb_name"], "icb", "Integrated care board", r["region"],
              r["quarter"], r["segment"], r["rank"])
        for r in rows
    ]  # fmt: skip


def _safely(part: Callable[[Site], list[Found]], site: Site) -> list[Found]:
    """A part the store cannot give (no source statistics for it) finds nothing."""
    try:
        return part(site)
    except UserError:
        return []


def candidates(site: Site) -> list[Found]:
    """Everything the search can find, gathered once per store state."""

    def gather() -> list[Found]:
        seen: set[str] = set()
        out = []
        for f in _safely(_nof, site) + _safely(_public, site) + _safely(_icbs, site):
            if f.code not in seen:
                seen.add(f.code)
                out.append(f)
        return sorted(out, key=lambda f: f.name.casefold())

    return site.memo(("search-candidates",), gather)


def find(found: list[Found], query: str) -> list[Found]:
    words = query.casefold().split()
    hits = [f for f in found if all(w in f"{f.code} {f.name}".casefold() for w in words)]
    exact = query.strip().casefold()
    return sorted(hits, key=lambda f: f.code.casefold() != exact)  # stable: names stay in order


def search_all(site: Site, query: str) -> list[Found]:
    return find(candidates(site), query)
