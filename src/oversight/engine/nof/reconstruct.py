"""Recover unrounded rank scores from published 2-dp scores when the pool is not in the store.

A rank score is ``best + (worst - best)(R - 1)/(N - 1)`` with integer R and N. NHS England
publishes it rounded to 2 dp, but aggregates it unrounded, so re-using the rounded score puts
some averages 0.01 out. When the pool is wider than the data we hold (acute trusts delivering
community services, say), N is unknown; but it is pinned down by the published scores
themselves: it is the smallest N for which every score of the metric in the quarter is the
rounding of a rank score with integer R, and those R respect the published within-type ranks
(the organisations between two trusts in their own type are also between them in the pool).
"""

from __future__ import annotations

from dataclasses import dataclass

_TOLERANCE = 0.005 + 1e-9
_MAX_POOL = 2_000


@dataclass(frozen=True)
class PoolFit:
    n: int
    ranks: dict[str, int]  # organisation -> rank R in the pool


def infer_pool(
    scores: dict[str, float],
    type_ranks: dict[str, float | None],
    best: float,
    worst: float,
) -> PoolFit | None:
    """The smallest pool size N (and ranks R) consistent with published scores and ranks.

    ``scores`` are the published 2-dp scores of the rank-scaled organisations; ``type_ranks``
    their published ranks within the trust type (None where not published). Returns None when
    no N up to a generous limit fits (then the scores are not of this form).
    """
    if not scores:
        return None
    orgs = sorted(scores, key=lambda o: (scores[o], type_ranks.get(o) or 0.0))
    span = worst - best
    lowest_n = max(len(orgs), 2)
    for n in range(lowest_n, _MAX_POOL + 1):
        step = span / (n - 1)
        ranks: dict[str, int] = {}
        for o in orgs:
            r = round((scores[o] - best) / step) + 1
            if r < 1 or r > n or abs(best + step * (r - 1) - scores[o]) > _TOLERANCE:
                break
            ranks[o] = r
        else:
            if _respects_type_ranks(ranks, type_ranks):
                return PoolFit(n, ranks)
    return None


def _respects_type_ranks(ranks: dict[str, int], type_ranks: dict[str, float | None]) -> bool:
    known = sorted((t, ranks[o]) for o, t in type_ranks.items() if t is not None and o in ranks)
    for (t1, r1), (t2, r2) in zip(known, known[1:], strict=False):
        if t1 == t2 and r1 != r2:
            return False
        if t2 > t1 and r2 - r1 < t2 - t1:
            return False
    return True
