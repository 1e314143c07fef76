"""Every organisation's likely rank in one league table, in rank order: the data of the
caterpillar plot (a bar for each likely range, a dot for each rank).

The ranks and ranges are the engine's, exactly as the league table shows them (the NOF table
of a stored quarter, the MODELLED public-data table, or the MODELLED ICB table); nothing is
recomputed here, only read and put in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.engine.nof.results import QuarterResult
from oversight.service.icb_pages import kept_icb_quarter
from oversight.service.public_quarter import PublicQuarter
from oversight.service.public_tables import trust_type_id
from oversight.service.site import Site


@dataclass(frozen=True)
class LikelyRank:
    trust_code: str
    trust_name: str
    segment: int | None
    rank: int
    rank_low: int | None  # None: the table has no likely ranges
    rank_high: int | None


@dataclass(frozen=True)
class LikelyRanks:
    quarter: str
    trust_type: str
    trust_type_name: str
    range_method: str  # the engine's name for how the ranges were drawn ("none": no ranges)
    modelled: bool  # from public data, not NHS England's result
    rows: list[LikelyRank]  # best rank first

    @property
    def method_label(self) -> str:
        """The method as the league page names it, e.g. 'exact bootstrap'."""
        if self.range_method == "none":
            return "no likely ranges"
        return f"{self.range_method.replace('_', ' ')} bootstrap"


def from_result(
    result: QuarterResult | None,
    quarter: str,
    trust_type: str,
    trust_type_name: str,
    modelled: bool,
) -> LikelyRanks:
    """A trust type's ranked organisations of one engine result, by rank then name (the league
    table's own order); ``result`` None: a modelled quarter where nobody was ranked."""
    rows = [
        LikelyRank(o.trust_code, o.trust_name, o.segment, o.rank, o.rank_low, o.rank_high)
        for o in (result.league_table(trust_type) if result is not None else [])
        if o.rank is not None
    ]
    method = result.range_method if result is not None else "none"
    return LikelyRanks(quarter, trust_type, trust_type_name, method, modelled, rows)


def nof_likely_ranks(site: Site, quarter: str | None, trust_type: str) -> LikelyRanks:
    """The NOF league table of a stored quarter (any spelling; None: the latest)."""
    q = site.quarter(quarter)
    kind = site.trust_type(trust_type)
    return from_result(site.result(q), q, kind.id, kind.name, modelled=False)


def public_likely_ranks(computed: PublicQuarter, trust_type: str) -> LikelyRanks:
    """The MODELLED public-data table of a covered quarter, as computed once per quarter."""
    t = trust_type_id(computed, trust_type)
    name = next(x.name for x in computed.framework.trust_types if x.id == t)
    return from_result(computed.composite, computed.quarter, t, name, modelled=True)


def icb_likely_ranks(site: Site, quarter: str) -> LikelyRanks:
    """The MODELLED league table of the ICBs in a quarter (the ICB framework's quarters), as
    the ICB list shows it: the result kept for every ICB page of the quarter."""
    q = kept_icb_quarter(site, quarter)
    rows = [
        LikelyRank(
            o.trust_code,
            q.mapping.icbs[o.trust_code].name,
            o.segment_final,
            o.rank,
            o.rank_low,
            o.rank_high,
        )
        for o in q.ranked()
        if o.rank is not None
    ]
    method = q.result.range_method
    return LikelyRanks(q.quarter, "icb", "Integrated care board", method, True, rows)
