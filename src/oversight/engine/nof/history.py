"""An organisation's path across quarters: segment, rank, how sure, and runs in a segment.

Persistence must not be fooled by rank noise, so each quarter also says whether the likely
range of rank lies wholly inside the rank block of the organisation's segment (the ranks that
organisations of that segment hold in its trust type): only then is the segment "sure".
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.engine.nof.inputs import available_quarters
from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.errors import UserError
from oversight.frameworks.model import Framework
from oversight.store.schema import Connection


@dataclass(frozen=True)
class QuarterStanding:
    quarter: str
    average_score: float | None
    segment: int | None
    segment_final: int | None
    in_financial_deficit: bool
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    of: int
    segment_sure: bool  # the likely rank range lies within the segment's rank block


@dataclass(frozen=True)
class Run:
    segment: int
    first: str
    last: str
    quarters: int
    sure_quarters: int


@dataclass
class History:
    code: str
    name: str
    standings: list[QuarterStanding]
    runs: list[Run]


def rank_block(result: QuarterResult, trust_type: str, segment: int) -> tuple[int, int] | None:
    """The best and worst ranks held by organisations of a segment in a trust type."""
    ranks = [o.rank for o in result.league_table(trust_type) if o.segment == segment and o.rank]
    return (min(ranks), max(ranks)) if ranks else None


def segment_sure(result: QuarterResult, org: OrgResult) -> bool:
    """The likely rank range lies wholly inside the rank block of the organisation's segment."""
    block = rank_block(result, org.trust_type, org.segment) if org.segment else None
    return bool(
        block
        and org.rank_low is not None
        and org.rank_high is not None
        and block[0] <= org.rank_low
        and org.rank_high <= block[1]
    )


def history(
    con: Connection,
    framework: Framework,
    code: str,
    options: RangeOptions | None = None,
) -> History:
    results = [run_quarter(con, framework, q, options) for q in available_quarters(con)]
    return history_of(results, code)


def history_of(results: list[QuarterResult], code: str) -> History:
    """The same, from results already computed (in quarter order), as a server caches them."""
    code = code.upper()
    standings: list[QuarterStanding] = []
    name = ""
    for result in results:
        org = result.org(code)
        if org is None:
            continue
        name = org.trust_name
        sure = segment_sure(result, org)
        standings.append(
            QuarterStanding(
                result.quarter,
                org.average_score,
                org.segment,
                org.segment_final,
                org.in_financial_deficit,
                org.rank,
                org.rank_low,
                org.rank_high,
                len(result.league_table(org.trust_type)),
                sure,
            )
        )
    if not standings:
        raise UserError(f"No organisation {code!r} in any stored quarter")
    return History(code, name, standings, runs_of(standings))


def runs_of(standings: list[QuarterStanding]) -> list[Run]:
    """Consecutive quarters in the same segment (after the financial override)."""
    runs: list[Run] = []
    for s in standings:
        if s.segment is None:
            continue
        last = runs[-1] if runs else None
        if last is not None and last.segment == s.segment:
            runs[-1] = Run(
                s.segment,
                last.first,
                s.quarter,
                last.quarters + 1,
                last.sure_quarters + int(s.segment_sure),
            )
        else:
            runs.append(Run(s.segment, s.quarter, s.quarter, 1, int(s.segment_sure)))
    return runs
