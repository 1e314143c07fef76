"""Competition ("min") ranks: equal keys share the lowest rank, the next rank skips."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def min_rank(keys: ArrayLike) -> NDArray[np.int64]:
    """Rank 1 for the smallest key; ties share the lowest rank (1, 2, 2, 4)."""
    arr = np.asarray(keys)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(arr, kind="stable")
    return np.searchsorted(ordered, arr, side="left").astype(np.int64) + 1


def min_rank_rows(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Row-wise :func:`min_rank` of a 2-D integer array, without a Python loop.

    Each row is shifted into its own band of integers, so one sort and one search rank every
    row at once (keys must be non-negative and below 2**40).
    """
    rows, cols = keys.shape
    if cols == 0:
        return np.zeros_like(keys)
    band = np.int64(1) << np.int64(40)
    shifted = keys.astype(np.int64) + np.arange(rows, dtype=np.int64)[:, None] * band
    flat = shifted.ravel()
    ordered = np.sort(flat)
    pos = np.searchsorted(ordered, flat, side="left").reshape(rows, cols)
    ranks: NDArray[np.int64] = (pos - np.arange(rows, dtype=np.int64)[:, None] * cols + 1).astype(
        np.int64
    )
    return ranks


def rank_scale(
    rank: ArrayLike, n: int, best: float = 1.0, worst: float = 4.0
) -> NDArray[np.float64]:
    """Map rank R of N linearly onto [best, worst]: ``best + (worst-best)(R-1)/(N-1)``."""
    r = np.asarray(rank, dtype=np.float64)
    if n <= 1:
        return np.full_like(r, best)
    return best + (worst - best) * (r - 1.0) / (n - 1.0)
