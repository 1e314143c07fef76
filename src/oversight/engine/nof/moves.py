"""Is the move real? Moves of segment and rank between consecutive quarters, and how sure.

Each quarter's bootstrap (the one its likely ranges come from: same method, replicates, seed
and, when asked, the calibrated version) gives every organisation a probability of each rank and
each segment in its trust type. The quarters are resampled independently, so the probability
that an observed move is real is the share of (earlier, later) replicate pairs that move the
same way (:mod:`oversight.stats.moves`). A move is called real when that probability reaches the
framework's ``moves.real_at``. Only organisations ranked in both quarters have moves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oversight.engine.nof.aggregate import used_scores
from oversight.engine.nof.likely_ranges import (
    Distributions,
    RangeInputs,
    calibrated,
    distributions,
    seed_for,
)
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.model import Framework
from oversight.stats.moves import observed_direction_probability


@dataclass(frozen=True)
class TypeDistributions:
    """One quarter's bootstrap distributions for one trust type's ranked organisations."""

    codes: list[str]
    rank: NDArray[np.float64]  # (n, n)
    segment: NDArray[np.float64]  # (n, segments)

    def row(self, code: str) -> int | None:
        return self.codes.index(code) if code in self.codes else None


def range_inputs(
    framework: Framework, result: QuarterResult, group: list[OrgResult]
) -> RangeInputs:
    """The likely-range bootstrap inputs of a ranked group, as the engine built them."""
    used = [used_scores(framework, o.scores) for o in group]
    return RangeInputs(
        scores=[np.array([s.used for s in u]) for u in used],
        weights=[np.array([framework.metric(s.metric_id).weight for s in u]) for u in used],
        flagged=np.array([o.in_financial_deficit for o in group]),
        cut_points=result.cut_points.values,
        boundary=framework.segmentation.boundary,
        floor_segment=framework.financial_override.floor_segment,
        dp=framework.aggregation.rounding.dp,
    )


def quarter_distributions(
    result: QuarterResult, trust_type: str, calibrate: bool = False
) -> TypeDistributions | None:
    """The rank and segment distributions of a trust type in a quarter (None: no bootstrap)."""
    framework = result.framework
    group = result.league_table(trust_type)
    if framework is None or not group or not result.replicates or not result.cut_points.values:
        return None
    # the engine bootstraps a trust type's organisations in code order: the same order and
    # seed give the same draws as the likely ranges
    group = sorted(group, key=lambda o: o.trust_code)
    inputs = range_inputs(framework, result, group)
    if calibrate and len(group) > 1:
        inputs = calibrated(inputs)
    found: Distributions = distributions(
        inputs,
        result.range_method,
        result.replicates,
        seed_for(result.seed, result.quarter, trust_type),
    )
    return TypeDistributions([o.trust_code for o in group], found.rank, found.segment)


@dataclass(frozen=True)
class Move:
    """One organisation's move from one quarter to the next (negative = better)."""

    trust_code: str
    trust_name: str
    trust_type: str
    before: str
    after: str
    segment_before: int
    segment_after: int
    rank_before: int
    rank_after: int
    segment_probability: float | None  # P(segment moved the observed way); None: no move
    rank_probability: float | None
    real_at: float
    # the likely ranges of rank in each quarter, for the slope chart beside the move
    rank_range_before: tuple[int, int] | None = None
    rank_range_after: tuple[int, int] | None = None

    @property
    def segment_change(self) -> int:
        return self.segment_after - self.segment_before

    @property
    def rank_change(self) -> int:
        return self.rank_after - self.rank_before

    @property
    def segment_real(self) -> bool | None:
        p = self.segment_probability
        return None if p is None else p >= self.real_at

    @property
    def rank_real(self) -> bool | None:
        p = self.rank_probability
        return None if p is None else p >= self.real_at


def _likely(org: OrgResult) -> tuple[int, int] | None:
    if org.rank_low is None or org.rank_high is None:
        return None
    return (org.rank_low, org.rank_high)


def _probability(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


Lookup = Callable[[QuarterResult, str], TypeDistributions | None]


def moves_between(
    before: QuarterResult,
    after: QuarterResult,
    calibrate: bool = False,
    lookup: Lookup | None = None,
) -> list[Move]:
    """Every organisation ranked in both quarters, with its move and how sure it is.

    ``lookup`` returns a quarter's distributions for a trust type (a cache, so a quarter shared
    by two pairs is bootstrapped once); by default they are computed here."""

    def found(result: QuarterResult, trust_type: str) -> TypeDistributions | None:
        if lookup is not None:
            return lookup(result, trust_type)
        return quarter_distributions(result, trust_type, calibrate)

    framework = after.framework
    real_at = framework.moves.real_at if framework is not None else 0.95
    out: list[Move] = []
    for trust_type in sorted({o.trust_type for o in after.orgs if o.rank is not None}):
        first = {o.trust_code: o for o in before.league_table(trust_type)}
        pairs = [(first[o.trust_code], o) for o in after.league_table(trust_type)]
        pairs = [(a, b) for a, b in pairs if b.trust_code in first]
        if not pairs:
            continue
        d1, d2 = found(before, trust_type), found(after, trust_type)
        seg_p = rank_p = np.full(len(pairs), np.nan)
        if d1 is not None and d2 is not None:
            rows1 = [d1.row(a.trust_code) for a, _ in pairs]
            rows2 = [d2.row(b.trust_code) for _, b in pairs]
            i1 = np.array([r for r in rows1 if r is not None])
            i2 = np.array([r for r in rows2 if r is not None])
            seg_change = np.array([(b.segment or 0) - (a.segment or 0) for a, b in pairs])
            rank_change = np.array([(b.rank or 0) - (a.rank or 0) for a, b in pairs])
            seg_p = observed_direction_probability(d1.segment[i1], d2.segment[i2], seg_change)
            rank_p = observed_direction_probability(d1.rank[i1], d2.rank[i2], rank_change)
        for k, (a, b) in enumerate(pairs):
            out.append(
                Move(
                    b.trust_code,
                    b.trust_name,
                    trust_type,
                    before.quarter,
                    after.quarter,
                    a.segment or 0,
                    b.segment or 0,
                    a.rank or 0,
                    b.rank or 0,
                    _probability(seg_p[k]),
                    _probability(rank_p[k]),
                    real_at,
                    _likely(a),
                    _likely(b),
                )
            )
    return out


@dataclass(frozen=True)
class MoveSummary:
    """A quarter's moves counted: real, not distinguishable from noise, none."""

    before: str
    after: str
    trust_type: str
    organisations: int
    segment: dict[str, int]  # keys: real, noise, unchanged
    rank: dict[str, int]


def _tally(moves: list[tuple[int, float | None]], real_at: float) -> dict[str, int]:
    """(change, probability) pairs counted; a move without a probability (no bootstrap was
    run) is not shown to be real, so it counts as noise."""
    counts = Counter(
        "unchanged" if change == 0 else ("real" if p is not None and p >= real_at else "noise")
        for change, p in moves
    )
    return {k: counts.get(k, 0) for k in ("real", "noise", "unchanged")}


def summarise(moves: list[Move]) -> list[MoveSummary]:
    """One summary per trust type, then one for all of them ("all")."""
    out: list[MoveSummary] = []
    if not moves:
        return out
    types = sorted({m.trust_type for m in moves})
    for trust_type in [*types, "all"]:
        chosen = [m for m in moves if trust_type in ("all", m.trust_type)]
        real_at = chosen[0].real_at
        out.append(
            MoveSummary(
                chosen[0].before,
                chosen[0].after,
                trust_type,
                len(chosen),
                _tally([(m.segment_change, m.segment_probability) for m in chosen], real_at),
                _tally([(m.rank_change, m.rank_probability) for m in chosen], real_at),
            )
        )
    return out
