"""Searching the predictor weights V of a synthetic control (the outer, non-convex problem).

For a given V the donor weights W solve a small convex problem (the inner problem); V is then
chosen to minimise the outcome's pre-period fit. That outer surface is flat in places and has
many local minima, so one optimiser run from one start (pysyncon's default) often stops far from
the best V. We screen many candidate Vs cheaply (vertices, pairwise mixtures, random draws) and
polish the most promising with Nelder-Mead, keeping the best.

The inner problem is solved as non-negative least squares with the adding-up constraint as a
heavily weighted extra row (Lawson-Hanson NNLS, scipy); the final W for the chosen V is then
recomputed by pysyncon itself (see synth.py), so the library remains the estimator of record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize, nnls

Array = NDArray[np.float64]
_SUM_ROW = 1e4  # weight of the sum(w) = 1 row; large against scaled predictors (sd = 1)


def inner_weights(v: Array, x0: Array, x1: Array) -> Array:
    """Donor weights on the simplex minimising sum_k v_k (x1_k - x0_k . w)^2."""
    s = np.sqrt(v)
    a = np.vstack([x0 * s[:, None], np.full(x0.shape[1], _SUM_ROW)])
    b = np.concatenate([x1 * s, [_SUM_ROW]])
    w, _ = nnls(a, b, maxiter=50 * a.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(x0.shape[1], 1.0 / x0.shape[1])


def outcome_loss(w: Array, z0: Array, z1: Array) -> float:
    r = z1 - z0 @ w
    return float(r @ r / len(r))


@dataclass(frozen=True)
class VSolution:
    v: Array
    w: Array
    loss: float  # pre-period outcome MSPE
    evaluations: int


def _softmax(theta: Array) -> Array:
    e = np.exp(theta - theta.max())
    out: Array = e / e.sum()
    return out


def candidates(k: int, random_draws: int, rng: np.random.Generator) -> list[Array]:
    """Starting Vs: equal, every vertex, every pairwise midpoint, random Dirichlet draws."""
    out = [np.full(k, 1.0 / k)]
    eye = np.eye(k)
    out += [0.98 * eye[i] + 0.02 / k for i in range(k)]
    out += [0.49 * (eye[i] + eye[j]) + 0.02 / k for i in range(k) for j in range(i + 1, k)]
    out += list(rng.dirichlet(np.ones(k), size=random_draws))
    return out


def search_v(
    x0: Array,
    x1: Array,
    z0: Array,
    z1: Array,
    polish: int = 6,
    random_draws: int = 40,
    seed: int = 0,
    maxfev: int = 4000,
) -> VSolution:
    """Best V found: screen all candidates, then Nelder-Mead from the `polish` best."""
    k = x0.shape[0]
    if k == 1:
        w = inner_weights(np.ones(1), x0, x1)
        return VSolution(np.ones(1), w, outcome_loss(w, z0, z1), 1)
    rng = np.random.default_rng(seed)
    evaluations = 0

    def loss_of(v: Array) -> float:
        nonlocal evaluations
        evaluations += 1
        return outcome_loss(inner_weights(v, x0, x1), z0, z1)

    screened = sorted(
        ((loss_of(v), i, v) for i, v in enumerate(candidates(k, random_draws, rng))),
        key=lambda t: (t[0], t[1]),
    )
    best_loss, _, best_v = screened[0]
    for start_loss, _, v in screened[:polish]:
        theta0 = np.log(np.maximum(v, 1e-12))
        res = minimize(
            lambda th: loss_of(_softmax(th)),
            theta0,
            method="Nelder-Mead",
            options={"maxfev": maxfev, "xatol": 1e-5, "fatol": 1e-9, "adaptive": k > 4},
        )
        if res.fun < best_loss:
            best_loss, best_v = float(res.fun), _softmax(res.x)
        elif start_loss < best_loss:
            best_loss, best_v = start_loss, v
    w = inner_weights(best_v, x0, x1)
    return VSolution(best_v, w, outcome_loss(w, z0, z1), evaluations)
