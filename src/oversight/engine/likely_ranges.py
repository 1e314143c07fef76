"""Likely ranges of average score and of rank, by bootstrap (the publisher's method).

Each organisation's own metric scores are resampled with replacement; in every replicate each
organisation's resampled average is rounded, segmented with the quarter's cut-points, the
financial override is re-applied, and all organisations of the trust type are re-ranked. The
ranges are the 2.5th and 97.5th percentiles across replicates.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from oversight.stats.bootstrap import padded, resampled_means
from oversight.stats.ranks import min_rank_rows
from oversight.stats.rounding import half_up


@dataclass(frozen=True)
class RangeInputs:
    scores: list[np.ndarray]  # per organisation, the scores used in its average
    weights: list[np.ndarray]
    flagged: np.ndarray  # financial override flag per organisation
    cut_points: tuple[float, ...]
    boundary: str
    floor_segment: int
    dp: int


@dataclass(frozen=True)
class Ranges:
    score_low: np.ndarray
    score_high: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray


def seed_for(seed: int, *labels: str) -> np.random.SeedSequence:
    """One independent stream per (quarter, trust type), whatever else is in the run."""
    return np.random.SeedSequence([seed, *(zlib.crc32(x.encode()) for x in labels)])


def likely_ranges(
    inputs: RangeInputs, replicates: int, lower: float, upper: float, seed: np.random.SeedSequence
) -> Ranges:
    rng = np.random.default_rng(seed)
    values, sizes = padded(inputs.scores)
    weights, _ = padded(inputs.weights)
    equal = all(np.all(w == w[0]) for w in inputs.weights if len(w))
    edges = np.asarray(inputs.cut_points)
    side = "left" if inputs.boundary == "upper" else "right"
    scale = 10**inputs.dp
    all_means, all_ranks = [], []
    for means in resampled_means(values, sizes, None if equal else weights, replicates, rng):
        rounded = half_up(means, inputs.dp)
        segment = np.searchsorted(edges, rounded, side=side) + 1
        segment = np.where(inputs.flagged[None, :], np.maximum(segment, inputs.floor_segment),
                           segment)
        # rank by (segment, rounded score): one integer key, smaller is better
        key = segment.astype(np.int64) * (100 * scale) + np.rint(rounded * scale).astype(np.int64)
        all_means.append(means)
        all_ranks.append(min_rank_rows(key))
    m = np.concatenate(all_means)
    r = np.concatenate(all_ranks).astype(float)
    return Ranges(
        score_low=half_up(np.percentile(m, lower, axis=0), inputs.dp),
        score_high=half_up(np.percentile(m, upper, axis=0), inputs.dp),
        rank_low=half_up(np.percentile(r, lower, axis=0), 0),
        rank_high=half_up(np.percentile(r, upper, axis=0), 0),
    )
