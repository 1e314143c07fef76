"""Steps 2-4: cut-points, segments, the financial override and segment 5.

Cut-points for a quarter come, in this order of precedence, from the framework file (typed in),
from the quantiles of the whole population's average scores when every trust type of the
population is in the store (derived), or, failing that, from the published unadjusted segments
(inferred: the interval each cut-point must lie in, and its midpoint). Each set of cut-points
says which it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from oversight.errors import Problem, UserError
from oversight.frameworks.model import Segmentation

CutSource = Literal["framework", "derived", "inferred_from_published"]
# each source in words, for explanations people read
CUT_SOURCE_WORDS: dict[str, str] = {
    "framework": "as the framework file gives them",
    "derived": "derived from the quantiles of every trust's average score",
    "inferred_from_published": "inferred from NHS England's published segments",
}


@dataclass(frozen=True)
class CutPoints:
    values: tuple[float, ...]
    source: CutSource
    detail: str
    intervals: tuple[tuple[float | None, float | None], ...] = ()


def segment_of(score: float, cuts: tuple[float, ...], boundary: str = "upper") -> int:
    """1 + the number of cut-points the score is beyond (1 = best, lower scores are better)."""
    if boundary == "upper":
        return 1 + sum(score > c for c in cuts)
    return 1 + sum(score >= c for c in cuts)


def segments_of(
    scores: NDArray[np.float64], cuts: tuple[float, ...], boundary: str = "upper"
) -> NDArray[np.int64]:
    """Vectorised :func:`segment_of`."""
    side: Literal["left", "right"] = "left" if boundary == "upper" else "right"
    found: NDArray[np.int64] = np.searchsorted(np.asarray(cuts, dtype=float), scores, side=side)
    return found + 1


def derive(scores: list[float], rule: Segmentation, label: str) -> CutPoints:
    arr = np.asarray(scores, dtype=float)
    if arr.size == 0:
        return CutPoints((), "derived", f"{label}: no scores to derive cut-points from")
    q = np.quantile(arr, rule.quantiles, method=rule.quantile_method)
    values = tuple(round(float(v), 6) for v in q)
    return CutPoints(
        values,
        "derived",
        f"{label}: {rule.quantile_method} quantiles {rule.quantiles} of {len(arr)} "
        "organisations' scores",
    )


def infer(pairs: list[tuple[float, int]], boundary: str, label: str) -> CutPoints:
    """Cut-points implied by published segments of known scores.

    For each boundary s|s+1 the cut-point lies between the highest score placed in segments
    1..s and the lowest placed in s+1..4; the midpoint is used, and the interval kept.
    """
    values, intervals = [], []
    for s in (1, 2, 3):
        better = [x for x, seg in pairs if seg <= s]
        worse = [x for x, seg in pairs if seg > s]
        lo = max(better) if better else None
        hi = min(worse) if worse else None
        if lo is not None and hi is not None and lo >= hi:
            raise UserError(
                f"Published segments are not a step function of the scores ({label})",
                [
                    Problem(
                        f"a score of {lo} is in segment {s} or better while {hi} is worse; "
                        "cut-points cannot be inferred"
                    )
                ],
            )
        if lo is None and hi is None:
            raise UserError(f"No published segments to infer cut-points from ({label})")
        if lo is None:
            assert hi is not None
            mid = hi - 0.005
        elif hi is None:
            mid = lo + 0.005
        else:
            mid = (lo + hi) / 2
        values.append(round(mid, 4))
        intervals.append((lo, hi))
    return CutPoints(
        tuple(values),
        "inferred_from_published",
        f"{label}: midpoints of the score intervals the published segments imply",
        tuple(intervals),
    )


def apply_override(segment: int, flagged: bool, floor: int) -> int:
    """A flagged organisation is no better than ``floor``; the override never improves."""
    return max(segment, floor) if flagged else segment
