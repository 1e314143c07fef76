"""Confidence intervals for values with a denominator: proportions and rates.

* Proportions x/n: the Wilson score interval, which stays inside [0, 1] and behaves for small n
  and for x = 0 or x = n, unlike the normal ("Wald") interval.
* Counts and rates x/d: exact Poisson limits from the chi-squared distribution for small
  counts, Byar's approximation otherwise. Public Health England's convention (and Fingertips') is
  exact below 10 events, Byar's from 10, and that is the default here.

Confidence is a fraction (0.95) and z is the two-sided normal quantile, 1.95996... for 95%.
All functions take arrays (or scalars) and return arrays; NaN in gives NaN out.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

Pair = tuple[NDArray[np.float64], NDArray[np.float64]]

# PHE's rule: counts below this use exact Poisson limits, from it Byar's approximation
EXACT_BELOW = 10


@cache  # a funnel asks for the same two quantiles at each of its hundreds of limits
def z_for(confidence: float) -> float:
    """Two-sided standard normal quantile: 1.959964 for 0.95, 3.090232 for 0.998."""
    from scipy import stats  # on use: scipy costs more to import than the rest

    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be a fraction strictly between 0 and 1: {confidence}")
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def wilson(numerator: ArrayLike, denominator: ArrayLike, confidence: float = 0.95) -> Pair:
    """Wilson score interval for the proportion x/n (as a fraction, not a percentage)."""
    x = np.asarray(numerator, dtype=np.float64)
    n = np.asarray(denominator, dtype=np.float64)
    z = z_for(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = 2 * x + z * z
        half = z * np.sqrt(z * z + 4 * x * (1 - p))
        scale = 2 * (n + z * z)
        return np.atleast_1d((centre - half) / scale), np.atleast_1d((centre + half) / scale)


def exact_poisson(count: ArrayLike, confidence: float = 0.95) -> Pair:
    """Exact (Garwood) limits for a Poisson mean given an observed count x."""
    from scipy import stats  # on use: scipy costs more to import than the rest

    x = np.atleast_1d(np.asarray(count, dtype=np.float64))
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, stats.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    return np.where(np.isnan(x), np.nan, lower), np.asarray(upper, dtype=np.float64)


def byar(count: ArrayLike, confidence: float = 0.95) -> Pair:
    """Byar's approximation to the exact Poisson limits (accurate from about 10 events)."""
    x = np.atleast_1d(np.asarray(count, dtype=np.float64))
    z = z_for(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        y = x + 1
        upper = y * (1 - 1 / (9 * y) + z / (3 * np.sqrt(y))) ** 3
    return np.where(x > 0, lower, 0.0), upper


def poisson_count(
    count: ArrayLike, confidence: float = 0.95, exact_below: int = EXACT_BELOW
) -> Pair:
    """Limits for a count: exact below ``exact_below`` events, Byar's from there on."""
    x = np.atleast_1d(np.asarray(count, dtype=np.float64))
    e_lo, e_hi = exact_poisson(x, confidence)
    b_lo, b_hi = byar(x, confidence)
    small = x < exact_below
    return np.where(small, e_lo, b_lo), np.where(small, e_hi, b_hi)


def rate(
    count: ArrayLike,
    denominator: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 1.0,
    exact_below: int = EXACT_BELOW,
) -> Pair:
    """Limits for the rate x/d times ``multiplier`` (per 100, per 100,000 ...)."""
    d = np.asarray(denominator, dtype=np.float64)
    lo, hi = poisson_count(count, confidence, exact_below)
    with np.errstate(invalid="ignore", divide="ignore"):
        return lo / d * multiplier, hi / d * multiplier
