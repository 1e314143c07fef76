"""Likely ranges of average score and of rank, by bootstrap (the publisher's method).

Each organisation's own metric scores are resampled with replacement; in every replicate each
organisation's resampled average is rounded, segmented with the quarter's cut-points, the
financial override is re-applied, and all organisations of the trust type are re-ranked by
(segment, average). The ranges are the 2.5th and 97.5th percentiles across replicates.

Two ways to get them: ``monte_carlo`` draws the replicates (seeded); ``exact`` computes the
distribution the replicates are drawn from (see :mod:`oversight.stats.exact_bootstrap`).

The same distribution gives rank probabilities: each organisation's probability of every
segment (after the financial override) and of a place in the top or bottom decile of its
trust type (rank within the best or worst ceil(n/10) places).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from oversight.engine.nof.segments import segments_of
from oversight.stats.bootstrap import padded, resampled_means
from oversight.stats.exact_bootstrap import (
    mean_distribution,
    quantiles,
    rank_distributions,
)
from oversight.stats.moves import counts_pmf
from oversight.stats.ranks import min_rank_rows
from oversight.stats.rounding import half_up
from oversight.stats.shrinkage import empirical_bayes


@dataclass(frozen=True)
class RangeInputs:
    scores: list[NDArray[np.float64]]  # per organisation, the scores used in its average
    weights: list[NDArray[np.float64]]
    flagged: NDArray[np.bool_]  # financial override flag per organisation
    cut_points: tuple[float, ...]
    boundary: str
    floor_segment: int
    dp: int
    # empirical-Bayes calibration (see :func:`calibrated`): each bootstrap mean m becomes
    # centre + stretch * (m - own mean); None is the publisher's bootstrap as it is
    centre: NDArray[np.float64] | None = None
    stretch: NDArray[np.float64] | None = None

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


def own_means(inputs: RangeInputs) -> NDArray[np.float64]:
    return np.array(
        [
            float(np.average(x, weights=w))
            for x, w in zip(inputs.scores, inputs.weights, strict=True)
        ]
    )


def calibrated(inputs: RangeInputs) -> RangeInputs:
    """The same bootstrap, recentred and rescaled to the empirical-Bayes posterior.

    The publisher's bootstrap centres each organisation's distribution on its observed average,
    with the (slightly too small) spread of a bootstrap of k scores. Where chance explains much
    of the spread between organisations, the ranges of rank then miss the true rank more often
    than 5% (see docs/statistics.md). Here each bootstrap average m is mapped to
    ``c + B (xbar - c) + sqrt(B v / v*) (m - xbar)``, v the sampling variance of the
    average and v* the bootstrap's: the posterior mean of the normal-normal
    model (shrinkage factor B from the DerSimonian-Laird between-organisation variance) and a
    spread whose variance is B times the sampling variance of the mean.
    """
    means = own_means(inputs)
    k = np.array([len(x) for x in inputs.scores], dtype=float)
    pooled = float(np.mean([np.var(x, ddof=1) for x in inputs.scores if len(x) > 1]))
    # metric scores are ranks mapped onto 1-4, so every organisation's scores spread about
    # equally: the pooled within-organisation variance is the sampling variance, estimated
    # from every organisation rather than from each one's 6-13 scores
    variance = pooled / k
    fit = empirical_bayes(means, variance)
    boot = np.array([np.var(x) for x in inputs.scores]) / k  # the bootstrap's own variance
    stretch = np.sqrt(fit.factor * variance / np.where(boot > 0, boot, variance))
    return replace(inputs, centre=fit.posterior_means(means), stretch=stretch)


def _mapped(inputs: RangeInputs, i: int, values: NDArray[np.float64]) -> NDArray[np.float64]:
    if inputs.centre is None or inputs.stretch is None:
        return values
    xbar = float(np.average(inputs.scores[i], weights=inputs.weights[i]))
    out: NDArray[np.float64] = inputs.centre[i] + inputs.stretch[i] * (values - xbar)
    return out


@dataclass(frozen=True)
class Ranges:
    score_low: NDArray[np.float64]
    score_high: NDArray[np.float64]
    rank_low: NDArray[np.float64]
    rank_high: NDArray[np.float64]
    # (n, segments): probability of each segment 1..len(cut_points)+1, override applied
    segment_probs: NDArray[np.float64]
    top_decile: NDArray[np.float64]  # P(rank <= ceil(n/10))
    bottom_decile: NDArray[np.float64]  # P(rank > n - ceil(n/10))


def decile_places(n: int) -> int:
    """How many places make a decile of n organisations (at least one)."""
    return max(1, -(-n // 10))


def segment_of_keys(inputs: RangeInputs, keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """The segment a rank key encodes (see :meth:`RangeInputs.keys`)."""
    out: NDArray[np.int64] = keys // (100 * 10**inputs.dp)
    return out


def seed_for(seed: int, *labels: str) -> np.random.SeedSequence:
    """One independent stream per (quarter, trust type), whatever else is in the run."""
    return np.random.SeedSequence([seed, *(zlib.crc32(x.encode()) for x in labels)])


def monte_carlo(
    inputs: RangeInputs, replicates: int, lower: float, upper: float, seed: np.random.SeedSequence
) -> Ranges:
    rng = np.random.default_rng(seed)
    values, sizes = padded(inputs.scores)
    weights, _ = padded(inputs.weights)
    n = len(inputs.scores)
    segments = len(inputs.cut_points) + 1
    seg_counts = np.zeros((n, segments))
    means_parts, rank_parts = [], []
    for means in resampled_means(
        values, sizes, None if inputs.equal_weights else weights, replicates, rng
    ):
        if inputs.centre is not None and inputs.stretch is not None:
            means = inputs.centre + inputs.stretch * (means - own_means(inputs))
        rounded = half_up(means, inputs.dp)
        keys = inputs.keys(rounded, inputs.flagged[None, :])
        means_parts.append(means)
        rank_parts.append(min_rank_rows(keys))
        seg = segment_of_keys(inputs, keys) - 1
        for s in range(segments):
            seg_counts[:, s] += (seg == s).sum(axis=0)
    m = np.concatenate(means_parts)
    r = np.concatenate(rank_parts).astype(float)
    k = decile_places(n)
    return Ranges(
        score_low=half_up(np.percentile(m, lower, axis=0), inputs.dp),
        score_high=half_up(np.percentile(m, upper, axis=0), inputs.dp),
        rank_low=half_up(np.percentile(r, lower, axis=0), 0),
        rank_high=half_up(np.percentile(r, upper, axis=0), 0),
        segment_probs=seg_counts / replicates,
        top_decile=(r <= k).mean(axis=0),
        bottom_decile=(r > n - k).mean(axis=0),
    )


Distribution = tuple[NDArray[np.float64], NDArray[np.float64]]


def mean_distributions(inputs: RangeInputs) -> list[Distribution]:
    """Each organisation's exact bootstrap distribution of its (unrounded) average."""
    return [mean_distribution(np.asarray(x, dtype=float)) for x in inputs.scores]


@dataclass(frozen=True)
class _ExactParts:
    lows: list[float]
    highs: list[float]
    keys: list[NDArray[np.int64]]  # each organisation's possible rank keys, ascending
    probs: list[NDArray[np.float64]]  # and their probabilities
    segment_probs: NDArray[np.float64]


def _exact_parts(
    inputs: RangeInputs, lower: float, upper: float, distributions: list[Distribution] | None
) -> _ExactParts:
    lows, highs, keys, probs = [], [], [], []
    n = len(inputs.scores)
    seg_probs = np.zeros((n, len(inputs.cut_points) + 1))
    scale = 10**inputs.dp
    for i, (support, p) in enumerate(distributions or mean_distributions(inputs)):
        support = _mapped(inputs, i, support)
        low, high = quantiles(support, p, [lower / 100, upper / 100])
        lows.append(low)
        highs.append(high)
        # the distribution of the rounded average: bin the fine grid into 2-dp steps
        bins = np.floor(support * scale + 0.5 + 1e-9).astype(np.int64)
        mass = np.bincount(bins - bins[0], weights=p)
        held = np.nonzero(mass > 0)[0]
        rounded = (held + bins[0]) / scale
        # keys rise with the rounded average (segment and override are monotone), so stay sorted
        own = inputs.keys(rounded, np.full(len(rounded), inputs.flagged[i]))
        keys.append(own)
        probs.append(mass[held].astype(np.float64))
        np.add.at(seg_probs[i], segment_of_keys(inputs, own) - 1, probs[-1])
    return _ExactParts(lows, highs, keys, probs, seg_probs)


def exact(
    inputs: RangeInputs,
    lower: float,
    upper: float,
    distributions: list[Distribution] | None = None,
) -> Ranges:
    """Ranges and probabilities from the exact bootstrap distribution (``distributions`` may
    be passed in when the same scores are run twice, published and calibrated)."""
    parts = _exact_parts(inputs, lower, upper, distributions)
    n = len(inputs.scores)
    pmf = rank_distributions(parts.keys, parts.probs)
    cdf = np.cumsum(pmf, axis=1)
    k = decile_places(n)
    return Ranges(
        score_low=half_up(np.array(parts.lows), inputs.dp),
        score_high=half_up(np.array(parts.highs), inputs.dp),
        rank_low=(cdf < lower / 100 - 1e-12).sum(axis=1) + 1.0,
        rank_high=(cdf < upper / 100 - 1e-12).sum(axis=1) + 1.0,
        segment_probs=parts.segment_probs,
        top_decile=pmf[:, :k].sum(axis=1),
        bottom_decile=pmf[:, n - k :].sum(axis=1),
    )


@dataclass(frozen=True)
class Distributions:
    """Each organisation's bootstrap probability of every rank and every segment."""

    rank: NDArray[np.float64]  # (n, n): P(rank = 1..n)
    segment: NDArray[np.float64]  # (n, segments): P(segment = 1..), override applied


def distributions(
    inputs: RangeInputs, method: str, replicates: int, seed: np.random.SeedSequence
) -> Distributions:
    """The distributions the likely ranges are read from (same method, same seed)."""
    if method == "exact" and inputs.equal_weights:
        parts = _exact_parts(inputs, 2.5, 97.5, None)
        return Distributions(rank_distributions(parts.keys, parts.probs), parts.segment_probs)
    rng = np.random.default_rng(seed)
    values, sizes = padded(inputs.scores)
    weights, _ = padded(inputs.weights)
    n = len(inputs.scores)
    segments = len(inputs.cut_points) + 1
    rank = np.zeros((n, n))
    segment = np.zeros((n, segments))
    for means in resampled_means(
        values, sizes, None if inputs.equal_weights else weights, replicates, rng
    ):
        if inputs.centre is not None and inputs.stretch is not None:
            means = inputs.centre + inputs.stretch * (means - own_means(inputs))
        keys = inputs.keys(half_up(means, inputs.dp), inputs.flagged[None, :])
        share = len(means) / replicates
        rank += counts_pmf(min_rank_rows(keys), n) * share
        segment += counts_pmf(segment_of_keys(inputs, keys), segments) * share
    return Distributions(rank, segment)


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
