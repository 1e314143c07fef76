"""Funnel plots with overdispersion (Spiegelhalter 2005).

Each unit (organisation) has a count x and a denominator d: a proportion x/n, or a rate x/d
(events per exposure; an indirectly standardised ratio is a rate with d = expected events and
target 1). Under the null hypothesis every unit has the target value theta0, and the funnel
shows where a unit's value would fall with probability 95% and 99.8% for its denominator.

Real indicators vary more than chance allows ("overdispersion"). Following Spiegelhalter
(Stat Med 2005;24:1185-1202 and QSHC 2005;14:347-351):

1. z-scores on a variance-stabilising scale: y = arcsin(sqrt(x/n)), s = 1/(2 sqrt(n)) for
   proportions; y = sqrt(x/d), s = 1/(2 sqrt(d)) for rates (the CQC method); y = log(x/d),
   s = 1/sqrt(d) (the SHMI method); or the original scale with the binomial/Poisson s;
2. winsorise them (default 10% at each tail; or truncate, as SHMI does), so the units one is
   trying to detect do not inflate the estimate;
3. multiplicative: phi = mean of the squared winsorised z-scores; limits widen by sqrt(phi)
   (only when phi > 1);
4. additive random effects (DerSimonian-Laird): tau2 = (K phi - (K - 1)) /
   (sum w - sum w^2 / sum w), w = 1/s^2, floored at 0; limits use sqrt(s^2 + tau2).

Unadjusted limits are exact: Spiegelhalter's interpolated binomial quantiles for proportions,
and the gamma (chi-squared) form of the Poisson limits for rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oversight.stats.intervals import z_for

Kind = Literal["proportion", "rate"]
Scale = Literal["arcsine", "sqrt", "log", "identity"]
Adjustment = Literal["none", "multiplicative", "additive"]
Trim = Literal["winsorise", "truncate"]

DEFAULT_SCALE: dict[str, Scale] = {"proportion": "arcsine", "rate": "sqrt"}
LEVELS = (0.95, 0.998)

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Transformed:
    y: FloatArray  # each unit's value on the working scale
    s: FloatArray  # its standard error there under the null
    target: float  # the target on the working scale
    z: FloatArray  # unadjusted z-scores


@dataclass(frozen=True)
class Dispersion:
    phi: float  # overdispersion ratio: mean squared (winsorised) z-score
    tau2: float  # between-unit variance on the working scale (DerSimonian-Laird)
    units: int  # how many z-scores entered phi
    p_value: float  # chi-squared test of no overdispersion (K phi ~ chi2 on K df)


def _check(kind: str, scale: str) -> None:
    if kind not in ("proportion", "rate"):
        raise ValueError(f"unknown kind {kind!r}: proportion or rate")
    allowed = {"proportion": ("arcsine", "identity"), "rate": ("sqrt", "log", "identity")}
    if scale not in allowed[kind]:
        raise ValueError(f"scale {scale!r} does not apply to a {kind}: {allowed[kind]}")


def pooled_target(numerator: ArrayLike, denominator: ArrayLike) -> float:
    """The peer group's overall value: sum of counts over sum of denominators."""
    x = np.asarray(numerator, dtype=np.float64)
    d = np.asarray(denominator, dtype=np.float64)
    return float(x.sum() / d.sum())


def _forward(
    kind: Kind, scale: Scale, value: FloatArray, d: FloatArray, target: float
) -> Transformed:
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "arcsine":
            y, s, t = (
                np.arcsin(np.sqrt(value)),
                1 / (2 * np.sqrt(d)),
                float(np.arcsin(np.sqrt(target))),
            )
        elif scale == "sqrt":
            y, s, t = np.sqrt(value), 1 / (2 * np.sqrt(d)), float(np.sqrt(target))
        elif scale == "log":
            y, s, t = np.log(value), 1 / np.sqrt(target * d), float(np.log(target))
        elif kind == "proportion":
            y, s, t = value, np.sqrt(target * (1 - target) / d), target
        else:
            y, s, t = value, np.sqrt(target / d), target
        return Transformed(y, s, t, (y - t) / s)


def _back(scale: Scale, kind: Kind, v: FloatArray) -> FloatArray:
    if scale == "arcsine":
        out: FloatArray = np.sin(np.clip(v, 0.0, np.pi / 2)) ** 2
        return out
    if scale == "sqrt":
        return np.clip(v, 0.0, None) ** 2
    if scale == "log":
        return np.exp(v)
    return np.clip(v, 0.0, 1.0) if kind == "proportion" else np.clip(v, 0.0, None)


def transform(
    kind: Kind,
    numerator: ArrayLike,
    denominator: ArrayLike,
    target: float | None = None,
    scale: Scale | None = None,
) -> Transformed:
    """z-scores of each unit against the target (default: the pooled value)."""
    chosen = scale or DEFAULT_SCALE[kind]
    _check(kind, chosen)
    x = np.asarray(numerator, dtype=np.float64)
    d = np.asarray(denominator, dtype=np.float64)
    theta = pooled_target(x, d) if target is None else target
    return _forward(kind, chosen, x / d, d, theta)


def winsorise(z: ArrayLike, fraction: float = 0.1) -> FloatArray:
    """Pull the lowest and highest ``fraction`` of z-scores in to the fraction's quantiles.

    Quantiles are linear interpolations between order statistics (numpy's default, R's type 7).
    """
    arr = np.asarray(z, dtype=np.float64)
    if fraction <= 0 or arr.size == 0:
        return arr.copy()
    lo, hi = np.quantile(arr, [fraction, 1 - fraction])
    return np.clip(arr, lo, hi)


def truncated(z: ArrayLike, fraction: float = 0.1) -> NDArray[np.bool_]:
    """Which z-scores SHMI's truncation keeps: those outside the top and bottom ``fraction``.

    Units are put into 1/fraction groups by rank (average ranks for ties); the first and last
    groups are dropped.
    """
    from scipy import stats  # on use: scipy costs more to import than the rest

    arr = np.asarray(z, dtype=np.float64)
    groups = 1 / fraction
    rank = stats.rankdata(arr, method="average")
    group = np.floor(rank * groups / (arr.size + 1))
    keep: NDArray[np.bool_] = (group > 0) & (group < groups - 1)
    return keep


def dispersion(
    z: ArrayLike, s: ArrayLike, fraction: float = 0.1, trim: Trim = "winsorise"
) -> Dispersion:
    """Overdispersion ratio phi and additive between-unit variance tau2 from z-scores.

    ``s`` are the units' standard errors on the same scale. tau2 is 0 when K phi < K - 1
    (no more spread than chance).
    """
    from scipy import stats  # on use: scipy costs more to import than the rest

    zz = np.asarray(z, dtype=np.float64)
    ss = np.asarray(s, dtype=np.float64)
    ok = np.isfinite(zz) & np.isfinite(ss)
    zz, ss = zz[ok], ss[ok]
    if trim == "truncate":
        keep = truncated(zz, fraction)
        zz, ss = zz[keep], ss[keep]
    else:
        zz = winsorise(zz, fraction)
    k = zz.size
    if k == 0:
        raise ValueError("no finite z-scores to estimate overdispersion from")
    phi = float(np.mean(zz**2))
    w = 1 / ss**2
    if k * phi < k - 1:
        tau2 = 0.0
    else:
        tau2 = max(0.0, float((k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())))
    p_value = float(stats.chi2.sf(k * phi, k))
    return Dispersion(phi, tau2, k, p_value)


def _exact_limits(kind: Kind, d: FloatArray, target: float, p: float) -> FloatArray:
    """The p-quantile of the unit's value under the null, for denominators d."""
    from scipy import stats  # on use: scipy costs more to import than the rest

    if kind == "rate":
        # the gamma form of the Poisson limits (continuous in d), as exact Poisson CIs use
        if p < 0.5:
            out: FloatArray = stats.gamma.ppf(p, target * d) / d
        else:
            out = stats.gamma.ppf(p, target * d + 1) / d
        return out
    # Spiegelhalter (2005), appendix: interpolate between the binomial quantile's neighbours
    n = np.maximum(np.rint(d), 1)
    r = stats.binom.ppf(p, n, target)
    upper = stats.binom.cdf(r, n, target)
    lower = stats.binom.cdf(r - 1, n, target)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(upper > lower, (upper - p) / (upper - lower), 0.0)
    limit: FloatArray = np.clip((r - alpha) / n, 0.0, 1.0)
    return limit


def limits(
    kind: Kind,
    denominator: ArrayLike,
    target: float,
    confidence: float,
    adjustment: Adjustment = "additive",
    fitted: Dispersion | None = None,
    scale: Scale | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper control limits at each denominator, on the value's own scale."""
    d = np.atleast_1d(np.asarray(denominator, dtype=np.float64))
    tail = (1 - confidence) / 2
    if adjustment == "none":
        return _exact_limits(kind, d, target, tail), _exact_limits(kind, d, target, 1 - tail)
    if fitted is None:
        raise ValueError(f"{adjustment} limits need a fitted Dispersion")
    chosen = scale or DEFAULT_SCALE[kind]
    _check(kind, chosen)
    base = _forward(kind, chosen, np.full_like(d, target), d, target)
    if adjustment == "multiplicative":
        spread = base.s * np.sqrt(max(fitted.phi, 1.0))
    else:
        spread = np.sqrt(base.s**2 + fitted.tau2)
    z = z_for(confidence)
    return (
        _back(chosen, kind, base.target - z * spread),
        _back(chosen, kind, base.target + z * spread),
    )


def adjusted_z(t: Transformed, adjustment: Adjustment, fitted: Dispersion | None) -> FloatArray:
    """z-scores allowing for overdispersion (unchanged when the adjustment is none)."""
    if adjustment == "none" or fitted is None:
        return t.z
    if adjustment == "multiplicative":
        out: FloatArray = t.z / np.sqrt(max(fitted.phi, 1.0))
        return out
    return (t.y - t.target) / np.sqrt(t.s**2 + fitted.tau2)


def flags(value: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> NDArray[np.int64]:
    """+1 above the upper limit, -1 below the lower, 0 within (limits themselves are within)."""
    v = np.asarray(value, dtype=np.float64)
    out: NDArray[np.int64] = np.where(
        v > np.asarray(upper), 1, np.where(v < np.asarray(lower), -1, 0)
    ).astype(np.int64)
    return out
