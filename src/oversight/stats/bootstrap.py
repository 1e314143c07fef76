"""Non-parametric bootstrap of many small samples at once.

Each organisation's likely range comes from resampling its own metric scores; all
organisations of a trust type are resampled together, replicate by replicate, so ranks can be
taken within each replicate. Memory is bounded by working in chunks of replicates.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray


def padded(samples: list[NDArray[np.float64]]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Stack ragged samples into an (n, k_max) array (NaN padding) and their sizes."""
    sizes = np.array([len(s) for s in samples], dtype=np.int64)
    width = int(sizes.max()) if len(samples) else 0
    out = np.full((len(samples), width), np.nan)
    for i, s in enumerate(samples):
        out[i, : len(s)] = s
    return out, sizes


def resampled_means(
    values: NDArray[np.float64],
    sizes: NDArray[np.int64],
    weights: NDArray[np.float64] | None,
    replicates: int,
    rng: np.random.Generator,
    chunk: int = 2_000,
) -> Iterator[NDArray[np.float64]]:
    """Yield (chunk, n) arrays of bootstrap (weighted) means, ``replicates`` rows in all.

    Row i of ``values`` holds ``sizes[i]`` observations (then padding). Each replicate draws
    ``sizes[i]`` observations with replacement from row i and takes their weighted mean.
    Organisations with no observations get NaN.
    """
    n, width = values.shape
    w = np.ones_like(values) if weights is None else weights
    safe_sizes = np.maximum(sizes, 1)
    valid = np.arange(width)[None, :] < sizes[:, None]  # (n, width)
    rows = np.arange(n)[None, :, None]
    done = 0
    while done < replicates:
        b = min(chunk, replicates - done)
        u = rng.random((b, n, width))
        idx = np.minimum(
            (u * safe_sizes[None, :, None]).astype(np.int64), safe_sizes[None, :, None] - 1
        )
        picked = np.where(valid[None], values[rows, idx], 0.0)
        picked_w = np.where(valid[None], w[rows, idx], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = (picked * picked_w).sum(axis=2) / picked_w.sum(axis=2)
        means[:, sizes == 0] = np.nan
        done += b
        yield means
