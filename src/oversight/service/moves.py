"""Is the move real? Every face's view of moves between consecutive stored quarters.

A quarter's moves are from the stored quarter before it; the first stored quarter has none.
``calibrated`` uses the empirical-Bayes calibrated bootstrap instead of the publisher's. Moves
are computed once per (quarter, calibrated) and kept in the site's memo.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.engine.nof.moves import (
    Move,
    MoveSummary,
    TypeDistributions,
    moves_between,
    quarter_distributions,
    summarise,
)
from oversight.engine.nof.results import QuarterResult
from oversight.errors import Problem
from oversight.service.quarters import NotFound
from oversight.service.site import Site


@dataclass(frozen=True)
class QuarterMoves:
    before: str
    after: str
    real_at: float
    calibrated: bool
    moves: list[Move]
    summary: list[MoveSummary]


def previous_quarter(site: Site, quarter: str) -> str | None:
    stored = site.quarters
    at = stored.index(quarter)
    return stored[at - 1] if at > 0 else None


def quarter_moves(
    site: Site,
    quarter: str | None,
    calibrated: bool = False,
    trust_type: str | None = None,
) -> QuarterMoves:
    """The moves into ``quarter`` (any spelling; None the latest) from the stored one before."""
    after = site.quarter(quarter)
    before = previous_quarter(site, after)
    if before is None:
        raise NotFound(
            f"No quarter stored before {after}: there are no moves into it",
            [Problem(f"quarters stored: {', '.join(site.quarters)}", field="quarter")],
        )

    def lookup(result: QuarterResult, trust_type: str) -> TypeDistributions | None:
        key = ("move-distributions", result.quarter, trust_type, calibrated)
        found: TypeDistributions | None = site.memo(
            key, lambda: quarter_distributions(result, trust_type, calibrated)
        )
        return found

    moves: list[Move] = site.memo(
        ("moves", after, calibrated),
        lambda: moves_between(site.result(before), site.result(after), calibrated, lookup),
    )
    if trust_type is not None:
        kind = site.trust_type(trust_type).id
        moves = [m for m in moves if m.trust_type == kind]
    return QuarterMoves(
        before,
        after,
        site.framework.moves.real_at,
        calibrated,
        moves,
        summarise(moves),
    )


def organisation_moves(site: Site, code: str, calibrated: bool = False) -> dict[str, Move]:
    """One organisation's move into each stored quarter (by that quarter), where it has one."""
    code = code.upper()
    out: dict[str, Move] = {}
    for quarter in site.quarters[1:]:
        found = quarter_moves(site, quarter, calibrated)
        move = next((m for m in found.moves if m.trust_code == code), None)
        if move is not None:
            out[quarter] = move
    return out


def moves_context(site: Site, code: str) -> dict[str, object]:
    """What a page's "is the move real?" partial shows: the organisation's moves, the threshold."""
    return {
        "moves": list(organisation_moves(site, code).values()),
        "moves_real_at": site.framework.moves.real_at,
    }


def league_moves_context(site: Site, quarter: str, trust_type: str) -> dict[str, object]:
    """What a league table's moves partial shows: the trust type's counts of real and noise
    moves into the quarter and the moves called real (nothing for the first stored quarter)."""
    if previous_quarter(site, site.quarter(quarter)) is None:
        return {}
    found = quarter_moves(site, quarter, trust_type=trust_type)
    real = [m for m in found.moves if m.rank_real or m.segment_real]
    summary = next((s for s in found.summary if s.trust_type == trust_type), None)
    return {"moves_summary": summary, "moves_real": real, "moves_real_at": found.real_at}
