"""Split a capital envelope across organisations by the policy's formula, to the penny.

Each organisation's weight is its segment weight times its finance-segment weight (the best
financial management earns more). Shares are proportional to weight, held between the floor
and the cap (multiples of an equal share): share = clamp(lambda x weight, floor, cap) with the
one lambda that makes the shares add up to the envelope. The arithmetic is exact (fractions
of a penny), and the pennies left by rounding down go to the largest remainders, ties broken
by code, so the shares sum to the envelope exactly and do not depend on input order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from oversight.errors import Problem, UserError
from oversight.frameworks.policy_model import CapitalFormula
from oversight.policy.standing import Standing


@dataclass(frozen=True)
class Allocation:
    code: str
    name: str
    weight: float
    segment: int | None
    finance_segment: int | None
    pence: int
    equal_pence: Fraction
    limited: str  # "", "floor" or "cap"

    @property
    def amount(self) -> float:
        return self.pence / 100


def weight_of(formula: CapitalFormula, s: Standing) -> float:
    seg = s.effective_segment
    fin = s.domain_segments.get(formula.finance_domain)
    w_seg = formula.segment_weights.get(seg, formula.missing_weight) if seg else None
    w_fin = formula.finance_segment_weights.get(fin, formula.missing_weight) if fin else None
    return (w_seg or formula.missing_weight) * (w_fin or formula.missing_weight)


def split_pence(
    envelope_pence: int,
    weights: Mapping[str, float],
    floor: float,
    cap: float,
) -> tuple[dict[str, int], dict[str, str]]:
    """Pence per key, summing to the envelope, each within [floor, cap] x equal share to the
    penny (the floor rounded down, the cap rounded up: a cap of exactly the equal share of
    £1.01 among three cannot otherwise be met)."""
    keys = sorted(weights)
    n = len(keys)
    if n == 0:
        return {}, {}
    if envelope_pence < 0:
        raise UserError("The capital envelope cannot be negative")
    # the limits in exact fractions of a penny; the rounded shares land within a penny of them
    lo = Fraction(envelope_pence) * Fraction(floor) / n
    hi = Fraction(envelope_pence) * Fraction(cap) / n
    if floor > 1 or cap < 1:
        raise UserError(
            "Capital floor and cap cannot both be met",
            [Problem(f"floor {floor:g} must be at most 1 and cap {cap:g} at least 1")],
        )
    w = {k: Fraction(weights[k]) for k in keys}
    lam = _level(envelope_pence, w, lo, hi)
    exact = {k: min(max(lam * w[k], lo), hi) for k in keys}
    limited = {k: "floor" for k in keys if lam * w[k] < lo}
    limited.update({k: "cap" for k in keys if lam * w[k] > hi})
    pence = {k: math.floor(exact[k]) for k in keys}
    left = envelope_pence - sum(pence.values())
    by_remainder = sorted(keys, key=lambda k: (-(exact[k] - pence[k]), k))
    for k in by_remainder[:left]:
        pence[k] += 1
    return pence, limited


def _level(total: int, w: Mapping[str, Fraction], lo: Fraction, hi: Fraction) -> Fraction:
    """The lambda at which sum(clamp(lambda * w, lo, hi)) == total, exactly.

    The sum is piecewise linear and non-decreasing in lambda with corners at lo/w and hi/w;
    find the piece where it reaches the total and solve that piece's line."""
    corners = sorted({lo / x for x in w.values()} | {hi / x for x in w.values()})

    def level_sum(lam: Fraction) -> Fraction:
        return sum((min(max(lam * x, lo), hi) for x in w.values()), Fraction(0))

    prev = Fraction(0)
    for corner in corners:
        if level_sum(corner) >= total:
            free = [x for x in w.values() if lo / x <= prev and hi / x >= corner]
            fixed = level_sum(corner) - sum((corner * x for x in free), Fraction(0))
            slope = sum(free, Fraction(0))
            return corner if slope == 0 else (total - fixed) / slope
        prev = corner
    return corners[-1]


def allocate(
    formula: CapitalFormula, envelope_gbp: float, standings: Sequence[Standing]
) -> list[Allocation]:
    envelope_pence = round(envelope_gbp * 100)
    weights = {s.code: weight_of(formula, s) for s in standings}
    pence, limited = split_pence(envelope_pence, weights, formula.floor, formula.cap)
    equal = Fraction(envelope_pence, len(standings)) if standings else Fraction(0)
    out = [
        Allocation(
            s.code,
            s.name,
            weights[s.code],
            s.effective_segment,
            s.domain_segments.get(formula.finance_domain),
            pence[s.code],
            equal,
            limited.get(s.code, ""),
        )
        for s in standings
    ]
    return sorted(out, key=lambda a: (-a.pence, a.code))
