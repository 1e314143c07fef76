"""The bootstrap distribution computed exactly instead of sampled.

The bootstrap mean of k scores is (1/k) times the sum of k independent draws from those scores,
so its distribution is the k-fold convolution of the empirical distribution; an FFT computes it
on a fine grid (spacing below 0.001 of a score point, far inside the 0.01 published precision).
Organisations resample independently of each other, so the distribution of an organisation's
rank in the replicate league table follows exactly from everyone's marginal distributions: given
its own replicate key v, its rank is 1 plus a sum of independent Bernoulli(P(key_j < v)) terms
(a Poisson-binomial). This is the limit a Monte-Carlo bootstrap approaches as its replicates
grow, without the Monte-Carlo noise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_MAX_GRID = 1 << 16
_MIN_GRID = 1 << 10


def mean_distribution(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Support and probabilities of the bootstrap mean of ``x`` (equal weights)."""
    k = len(x)
    lo, hi = float(x.min()), float(x.max())
    if k == 1 or hi == lo:
        return np.array([float(x.mean())]), np.array([1.0])
    size = int(np.clip(1 << int(np.ceil(np.log2((hi - lo) * k / 1e-3 + 2))), _MIN_GRID, _MAX_GRID))
    # a value sits on steps 0..m; k of them sum to at most k*m, which must stay below the FFT
    # length, or the circular convolution wraps the top of the distribution onto the bottom
    m = (size - 1) // k
    step = (hi - lo) / m
    one = np.zeros(size)
    np.add.at(one, np.rint((x - lo) / step).astype(np.int64), 1.0 / k)
    total = np.fft.irfft(np.fft.rfft(one) ** k, size)
    total = np.clip(total, 0.0, None)
    keep = total > 1e-14
    probs = total[keep] / total[keep].sum()
    means = lo + np.arange(size)[keep] * step / k
    return means, probs


def quantiles(
    support: NDArray[np.float64], probs: NDArray[np.float64], qs: list[float]
) -> list[float]:
    """For each q, the smallest support value whose cumulative probability reaches q."""
    cdf = np.cumsum(probs)
    last = len(support) - 1
    return [float(support[min(int(np.searchsorted(cdf, q - 1e-12)), last)]) for q in qs]


def quantile(support: NDArray[np.float64], probs: NDArray[np.float64], q: float) -> float:
    """Smallest support value whose cumulative probability reaches q."""
    return quantiles(support, probs, [q])[0]


def rank_distributions(
    keys: list[NDArray[np.int64]], probs: list[NDArray[np.float64]]
) -> NDArray[np.float64]:
    """(n, n) array: row i is P(rank of i = 1..n), ranks by smallest key, ties share the lowest.

    ``keys[i]`` are organisation i's possible replicate keys (ascending, distinct) and
    ``probs[i]`` their probabilities. The count of organisations beating a key value u is
    Poisson-binomial over everyone; organisation i's own term is then divided out, which is
    numerically stable when done from the end where its probability is the smaller.
    """
    n = len(keys)
    universe = np.unique(np.concatenate(keys))
    below = np.zeros((n, len(universe)))  # P(key_j < u)
    for j, (k, p) in enumerate(zip(keys, probs, strict=True)):
        cum = np.concatenate([[0.0], np.cumsum(p)])
        below[j] = cum[np.searchsorted(k, universe, side="left")]
    everyone = np.zeros((len(universe), n + 1))  # P(exactly c organisations below u)
    everyone[:, 0] = 1.0
    for j in range(n):
        p = below[j][:, None]
        shifted = np.zeros_like(everyone)
        shifted[:, 1:] = everyone[:, :-1] * p
        everyone = everyone * (1.0 - p) + shifted
    owner = np.concatenate([np.full(len(k), i) for i, k in enumerate(keys)])
    at = np.concatenate([np.searchsorted(universe, k) for k in keys])
    own = below[owner, at]  # each organisation's own chance of being below its own value
    others = _divide_out(everyone[at], own)
    weights = np.concatenate(probs)
    out = np.zeros((n, n))
    np.add.at(out, owner, others * weights[:, None])
    return out


def _divide_out(c: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rows a with a * (1 - p + p z) = c (polynomials in z): remove one Bernoulli(p) term."""
    rows, width = c.shape
    a = np.zeros((rows, width - 1))
    forward = p <= 0.5
    q = np.where(forward, 1.0 - p, p)  # never below 0.5, so the recursions do not blow up
    f, b = forward, ~forward
    if f.any():
        a[f, 0] = c[f, 0] / q[f]
        for k in range(1, width - 1):
            a[f, k] = (c[f, k] - p[f] * a[f, k - 1]) / q[f]
    if b.any():
        a[b, width - 2] = c[b, width - 1] / q[b]
        for k in range(width - 2, 0, -1):
            a[b, k - 1] = (c[b, k] - (1.0 - p[b]) * a[b, k]) / q[b]
    a = np.clip(a, 0.0, None)
    total = a.sum(axis=1, keepdims=True)
    normalised: NDArray[np.float64] = np.divide(a, total, out=np.zeros_like(a), where=total > 0)
    return normalised
