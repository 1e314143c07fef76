"""Funnel limits and overdispersion against published reference values.

Sources (cited per test):
* FunnelPlotR 0.5 (NHS-R Community, github.com/nhs-r-community/FunnelPlotR, commit 9020d49),
  tests/testthat/test-poisson_limits.R and test-classes_methods.R: exact Poisson limits and
  the overdispersion ratio phi of a six-unit example.
* metafor (W. Viechtbauer, github.com/wviechtb/metafor, commit 71ae8f5a),
  tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r: the DerSimonian-Laird tau^2 and
  Cochran's Q of the BCG vaccine trials (Colditz et al. 1994), checked there against Stata's
  metan. With the target at the fixed-effect mean and no winsorising, Spiegelhalter's additive
  tau^2 is exactly the DerSimonian-Laird estimator, so the same numbers must come out.
The issue asks for 3 significant figures; the references are printed to 4-7, and we match
them to their printed precision.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from oversight.stats.funnel import (
    Dispersion,
    adjusted_z,
    dispersion,
    flags,
    limits,
    pooled_target,
    transform,
    truncated,
    winsorise,
)


def test_poisson_limits_match_funnelplotr() -> None:
    # test-poisson_limits.R: target 1, expected 15, 20, 30, unadjusted, 95% and 99.8%
    lo, hi = limits("rate", [15, 20, 30], 1.0, 0.95, "none")
    np.testing.assert_allclose(lo, [0.5596924, 0.6108260, 0.6746958], atol=5e-8)
    np.testing.assert_allclose(hi, [1.649348, 1.544419, 1.427562], atol=5e-7)
    lo, hi = limits("rate", [15, 20, 30], 1.0, 0.998, "none")
    np.testing.assert_allclose(lo, [0.3862650, 0.4479107, 0.5289724], atol=5e-8)
    np.testing.assert_allclose(hi, [2.082907, 1.902094, 1.702771], atol=5e-7)


NUM = np.array([100, 150, 180, 80, 120, 225.0])
DEN = np.array([108, 112, 165, 95, 100, 220.0])


def test_phi_matches_funnelplotr_shmi_example() -> None:
    # test-classes_methods.R: funnel_plot(num, denom) defaults (SR, SHMI: log scale, 10%
    # truncation); phi = 2.948033. With six units the truncation groups are 1..8 of 0..9,
    # so nothing is dropped, which `truncated` must agree with.
    t = transform("rate", NUM, DEN, target=1.0, scale="log")
    assert truncated(t.z, 0.1).all()
    fit = dispersion(t.z, t.s, 0.1, trim="truncate")
    assert fit.phi == pytest.approx(2.948033, abs=5e-7)
    assert fit.units == 6


BCG = np.array(
    [  # tpos, tneg, cpos, cneg (Colditz et al. 1994; metafor's dat.bcg)
        [4, 119, 11, 128],
        [6, 300, 29, 274],
        [3, 228, 11, 209],
        [62, 13536, 248, 12619],
        [33, 5036, 47, 5761],
        [180, 1361, 372, 1079],
        [8, 2537, 10, 619],
        [505, 87886, 499, 87892],
        [29, 7470, 45, 7232],
        [17, 1699, 65, 1600],
        [186, 50448, 141, 27197],
        [5, 2493, 3, 2338],
        [27, 16886, 29, 17825],
    ],
    dtype=float,
)


def test_additive_tau2_is_dersimonian_laird() -> None:
    a, b, c, d = BCG.T
    y = np.log(a / (a + b)) - np.log(c / (c + d))  # log relative risk
    s = np.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    w = 1 / s**2
    target = float((w * y).sum() / w.sum())
    assert target == pytest.approx(-0.4303, abs=5e-5)  # metafor EE estimate
    fit = dispersion((y - target) / s, s, fraction=0.0)
    assert fit.units * fit.phi == pytest.approx(152.2330, abs=5e-5)  # Cochran's Q
    assert fit.tau2 == pytest.approx(0.3088, abs=5e-5)  # DerSimonian-Laird tau^2


def test_winsorise_uses_type7_quantiles() -> None:
    # 10% and 90% quantiles of (-3, -1, 0, 1, 5) by linear interpolation: -2.2 and 3.4
    np.testing.assert_allclose(winsorise([-3, -1, 0, 1, 5], 0.1), [-2.2, -1, 0, 1, 3.4])
    np.testing.assert_allclose(winsorise([1, 2], 0.0), [1, 2])


def test_no_overdispersion_gives_zero_tau2_and_phi_near_one() -> None:
    rng = np.random.default_rng(5)
    n = rng.integers(200, 5000, size=400).astype(float)
    x = rng.binomial(n.astype(int), 0.3).astype(float)
    t = transform("proportion", x, n)
    fit = dispersion(t.z, t.s)
    # winsorising 10% at each tail shrinks E[z^2] of a normal to about 0.80
    assert 0.7 < fit.phi < 0.9
    assert fit.tau2 == 0.0


def test_overdispersed_data_widen_limits_and_fewer_flags() -> None:
    rng = np.random.default_rng(6)
    n = rng.integers(500, 20_000, size=150).astype(float)
    true_p = np.clip(rng.normal(0.25, 0.03, size=150), 0.01, 0.99)
    x = rng.binomial(n.astype(int), true_p).astype(float)
    target = pooled_target(x, n)
    t = transform("proportion", x, n)
    fit = dispersion(t.z, t.s)
    assert fit.phi > 5 and fit.tau2 > 0 and fit.p_value < 1e-6
    p = x / n
    plain = flags(p, *limits("proportion", n, target, 0.998, "none"))
    add = flags(p, *limits("proportion", n, target, 0.998, "additive", fit))
    mult = flags(p, *limits("proportion", n, target, 0.998, "multiplicative", fit))
    assert np.count_nonzero(add) < np.count_nonzero(plain)
    assert np.count_nonzero(mult) < np.count_nonzero(plain)
    # a unit is outside the additive limits exactly when its adjusted z is beyond 3.09
    z = adjusted_z(t, "additive", fit)
    np.testing.assert_array_equal(add, np.where(z > 3.0902323, 1, np.where(z < -3.0902323, -1, 0)))
    # random effects: the limits stop narrowing as n grows (tau2 dominates)
    lo, hi = limits("proportion", [1e3, 1e6, 1e9], target, 0.95, "additive", fit)
    assert hi[2] - lo[2] == pytest.approx(hi[1] - lo[1], rel=0.01)
    assert (hi - lo)[0] > (hi - lo)[1]


def test_multiplicative_limits_scale_by_sqrt_phi_only_when_over_one() -> None:
    lo, hi = limits("proportion", [400], 0.5, 0.95, "multiplicative", Dispersion(4.0, 0, 10, 0))
    half = np.arcsin(np.sqrt(0.5))
    spread = 2 * 1.959964 / (2 * np.sqrt(400))
    assert hi[0] == pytest.approx(np.sin(half + spread) ** 2, rel=1e-6)
    lo1, hi1 = limits("proportion", [400], 0.5, 0.95, "multiplicative", Dispersion(0.5, 0, 10, 1))
    lo0, hi0 = limits("proportion", [400], 0.5, 0.95, "multiplicative", Dispersion(1.0, 0, 10, 1))
    assert (lo1[0], hi1[0]) == (lo0[0], hi0[0])


def test_exact_binomial_limits_interpolate_spiegelhalter() -> None:
    # Spiegelhalter (2005), appendix: for the p-quantile r of Bin(n, theta), the limit is
    # (r - alpha)/n with alpha = (F(r) - p) / (F(r) - F(r-1)), so F at the limit is exactly p
    # when F is interpolated linearly between integers.
    n, theta, p = 60, 0.3, 0.025
    lo, _ = limits("proportion", [n], theta, 0.95, "none")
    r = lo[0] * n
    below = np.floor(r)
    f = stats.binom.cdf(below, n, theta) + (r - below) * stats.binom.pmf(below + 1, n, theta)
    assert f == pytest.approx(p, abs=1e-12)
    # large n: the exact limits approach the normal approximation
    n = 1e6
    lo, hi = limits("proportion", [n], theta, 0.95, "none")
    se = np.sqrt(theta * (1 - theta) / n)
    assert lo[0] == pytest.approx(theta - 1.959964 * se, abs=2e-6)
    assert hi[0] == pytest.approx(theta + 1.959964 * se, abs=2e-6)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="scale 'log' does not apply to a proportion"):
        transform("proportion", [1], [2], scale="log")
    with pytest.raises(ValueError, match="need a fitted"):
        limits("rate", [10], 1.0, 0.95, "additive")
    with pytest.raises(ValueError, match="no finite"):
        dispersion([np.nan], [1.0])
