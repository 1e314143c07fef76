"""How sure a move between two independent distributions is: P(the move has the observed sign).

An organisation's rank (or segment) in each quarter has a bootstrap distribution, a probability
for every value. The quarters are resampled independently, so the chance that a replicate of the
later quarter lies on the observed side of a replicate of the earlier one is a sum over pairs of
values: ``sum_a p2[a] * P(X1 > a)`` for a move to a smaller value (ranks and segments: smaller is
better). It is the share of all replicate pairs, not of one pairing of replicates, so it carries
no extra Monte-Carlo noise from the pairing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def padded_columns(pmf: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """Probabilities of values 1..k widened to 1..width with zeros (quarters differ in size)."""
    rows, k = pmf.shape
    out = np.zeros((rows, max(width, k)))
    out[:, :k] = pmf
    return out


def sign_probabilities(
    before: NDArray[np.float64], after: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Row-wise P(after < before), P(after == before), P(after > before).

    ``before`` and ``after`` are (n, k) arrays: row i is organisation i's probability of each
    value 1..k (k may differ between them; the narrower is padded with zeros).
    """
    width = max(before.shape[1], after.shape[1])
    b = padded_columns(before, width)
    a = padded_columns(after, width)
    below_b = np.cumsum(b, axis=1) - b  # P(before < value)
    above_b = 1.0 - np.cumsum(b, axis=1)  # P(before > value)
    lower = (a * above_b).sum(axis=1)
    same = (a * b).sum(axis=1)
    higher = (a * below_b).sum(axis=1)
    return (
        np.clip(lower, 0.0, 1.0),
        np.clip(same, 0.0, 1.0),
        np.clip(higher, 0.0, 1.0),
    )


def observed_direction_probability(
    before: NDArray[np.float64],
    after: NDArray[np.float64],
    observed: NDArray[np.int64],
) -> NDArray[np.float64]:
    """P(the replicate move has the sign of the observed move) per row; NaN where none observed.

    ``observed`` is the observed value after minus before (only its sign is used): negative is a
    move to a smaller value (a better rank or segment), positive to a larger one.
    """
    lower, _, higher = sign_probabilities(before, after)
    sign = np.sign(observed)
    out = np.where(sign < 0, lower, np.where(sign > 0, higher, np.nan))
    return out.astype(np.float64)


def counts_pmf(values: NDArray[np.int64], width: int) -> NDArray[np.float64]:
    """(replicates, n) integer draws in 1..width as each column's probability of every value."""
    replicates, n = values.shape
    cells = np.arange(n, dtype=np.int64)[None, :] * width + (values - 1)
    counts = np.bincount(cells.ravel(), minlength=n * width).reshape(n, width)
    scaled: NDArray[np.float64] = counts / max(replicates, 1)
    return scaled
