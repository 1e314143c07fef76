"""Likely ranges of average score and of rank, by bootstrap (the publisher's method).

Each organisation's own metric scores are resampled with replacement; in every replicate each
organisation's resampled average is rounded, segmented with the quarter's cut-points, the
financial override is re-applied, and all organisations of the trust type are re-ranked by
(segment, average). The ranges are the 2.5th and 97.5th percentiles across replicates.

Two ways to get them: ``monte_carlo`` draws the replicates (seeded); ``exact`` computes the
distribution the replicates are drawn from (see :mod:`oversight.stats.exact_bootstrap`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oversight.engine.segments import segments_of
from oversight.stats.bootstrap import padded, resampled_means
from oversight.stats.exact_bootstrap import (
    mean_distribution,
    quantiles,
    rank_distributions,
)
from oversight.stats.ranks import min_rank_rows
from oversight.stats.rounding import half_up


@dataclass(frozen=True)
class RangeInputs:
    scores: list[NDArray[np.float64]]  # per organisation, the scores used in its average
    weights: list[NDArray[np.float64]]
    flagged: NDArray[np.bool_]  # financial override flag per organisation
    cut_points: tuple[float, ...]
    boundary: str
    floor_segment: int
    dp: int

    def keys(self, averages: NDArray[np.float64], flagged: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Rank keys of (already rounded) averages: segment first, then score; smaller better."""
        segment = segments_of(averages, self.cut_points, self.boundary)
        segment = np.where(flagged, np.maximum(segment, self.floor_segment), segment)
        scale = 10**self.dp
        keys: NDArray[np.int64] = segment.astype(np.int64) * (100 * scale) + np.rint(
            averages * scale
        ).astype(np.int64)
        return keys

    @property
    def equal_weights(self) -> bool:
        return all(np.all(w == w[0]) for w in self.weights if len(w))


@dataclass(frozen=True)
class Ranges:
    score_low: NDArray[np.float64]
    score_high: NDArray[np.float64]
    rank_low: NDArray[np.float64]
    rank_high: NDArray[np.float64]


def seed_for(seed: int, *labels: str) -> np.random.SeedSequence:
    """One independent stream per (quarter, trust type), whatever else is in the run."""
    return np.random.SeedSequence([seed, *(zlib.crc32(x.encode()) for x in labels)])


def monte_carlo(
    inputs: RangeInputs, replicates: int, lower: float, upper: float, seed: np.random.SeedSequence
) -> Ranges:
    rng = np.random.default_rng(seed)
    values, sizes = padded(inputs.scores)
    weights, _ = padded(inputs.weights)
    means_parts, rank_parts = [], []
    for means in resampled_means(
        values, sizes, None if inputs.equal_weights else weights, replicates, rng
    ):
        rounded = half_up(means, inputs.dp)
        means_parts.append(means)
        rank_parts.append(min_rank_rows(inputs.keys(rounded, inputs.flagged[None, :])))
    m = np.concatenate(means_parts)
    r = np.concatenate(rank_parts).astype(float)
    return Ranges(
        score_low=half_up(np.percentile(m, lower, axis=0), inputs.dp),
        score_high=half_up(np.percentile(m, upper, axis=0), inputs.dp),
        rank_low=half_up(np.percentile(r, lower, axis=0), 0),
        rank_high=half_up(np.percentile(r, upper, axis=0), 0),
    )


def exact(inputs: RangeInputs, lower: float, upper: float) -> Ranges:
    lows, highs, keys, probs = [], [], [], []
    scale = 10**inputs.dp
    for i, x in enumerate(inputs.scores):
        support, p = mean_distribution(np.asarray(x, dtype=float))
        low, high = quantiles(support, p, [lower / 100, upper / 100])
        lows.append(low)
        highs.append(high)
        # the distribution of the rounded average: bin the fine grid into 2-dp steps
        bins = np.floor(support * scale + 0.5 + 1e-9).astype(np.int64)
        mass = np.bincount(bins - bins[0], weights=p)
        held = np.nonzero(mass > 0)[0]
        rounded = (held + bins[0]) / scale
        # keys rise with the rounded average (segment and override are monotone), so stay sorted
        keys.append(inputs.keys(rounded, np.full(len(rounded), inputs.flagged[i])))
        probs.append(mass[held].astype(np.float64))
    pmf = rank_distributions(keys, probs)
    cdf = np.cumsum(pmf, axis=1)
    return Ranges(
        score_low=half_up(np.array(lows), inputs.dp),
        score_high=half_up(np.array(highs), inputs.dp),
        rank_low=(cdf < lower / 100 - 1e-12).sum(axis=1) + 1.0,
        rank_high=(cdf < upper / 100 - 1e-12).sum(axis=1) + 1.0,
    )


def likely_ranges(
    inputs: RangeInputs,
    method: str,
    replicates: int,
    lower: float,
    upper: float,
    seed: np.random.SeedSequence,
) -> Ranges:
    if method == "exact" and inputs.equal_weights:
        return exact(inputs, lower, upper)
    return monte_carlo(inputs, replicates, lower, upper, seed)
