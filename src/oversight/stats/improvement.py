"""Improvement beside position: each organisation's change against its own earlier quarters.

Pure array functions. A change is the latest value minus the mean of the earlier ones (scores:
lower is better, so a negative change is an improvement); it is standardised against the peers'
changes (their mean and standard deviation), so a z of -2 is an improvement two peer spreads
beyond the typical one, and scored 1-4 at declared z cut-points like the position score.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def row_means(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean of each row ignoring NaN; NaN for a row with no values (no warning)."""
    held = ~np.isnan(values)
    counts = held.sum(axis=1)
    sums = np.where(held, values, 0.0).sum(axis=1)
    out: NDArray[np.float64] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return out


def changes(latest: NDArray[np.float64], earlier: NDArray[np.float64]) -> NDArray[np.float64]:
    """latest (n,) minus the mean of earlier (n, q) ignoring NaN; NaN where either is missing."""
    out: NDArray[np.float64] = latest - row_means(earlier)
    return out


def standardised(change: NDArray[np.float64]) -> NDArray[np.float64]:
    """(change - peers' mean) / peers' sd (ddof 1); NaN where missing or the spread is nil."""
    held = change[~np.isnan(change)]
    if held.size < 2:
        return np.full(change.shape, np.nan)
    spread = float(np.std(held, ddof=1))
    if spread == 0.0:
        return np.where(np.isnan(change), np.nan, 0.0)
    z: NDArray[np.float64] = (change - float(np.mean(held))) / spread
    return z


def scored(z: NDArray[np.float64], cuts: tuple[float, ...]) -> NDArray[np.float64]:
    """1 + the number of cut-points z is above (1 = most improved); NaN stays NaN."""
    found = 1.0 + np.searchsorted(np.asarray(cuts, dtype=float), z, side="left").astype(float)
    out: NDArray[np.float64] = np.where(np.isnan(z), np.nan, found)
    return out
