"""Empirical-Bayes shrinkage of unit means (normal-normal model, DerSimonian-Laird tau^2).

Each unit's observed mean m_i has sampling variance v_i; the true means vary around a common
centre with between-unit variance tau^2. The posterior mean of unit i is
``centre + B_i (m_i - centre)`` with ``B_i = tau^2 / (tau^2 + v_i)``, and its posterior variance
is ``B_i v_i``. When chance explains most of the spread between units (tau^2 small beside
v_i), observed means - and so observed ranks - are far more extreme than the true ones, and
intervals centred on the observed values miss the truth more often than they claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oversight.stats.funnel import dispersion

# keeps every posterior spread positive, so distributions stay strictly ordered
MIN_FACTOR = 1e-6


@dataclass(frozen=True)
class Shrinkage:
    centre: float  # precision-weighted mean of the unit means
    tau2: float  # between-unit variance (DerSimonian-Laird)
    factor: NDArray[np.float64]  # B_i, 0..1: how much of each unit's deviation is kept

    def posterior_means(self, means: ArrayLike) -> NDArray[np.float64]:
        m = np.asarray(means, dtype=np.float64)
        out: NDArray[np.float64] = self.centre + self.factor * (m - self.centre)
        return out


def empirical_bayes(means: ArrayLike, variances: ArrayLike) -> Shrinkage:
    """Estimate the centre, tau^2 and each unit's shrinkage factor from means and variances."""
    m = np.asarray(means, dtype=np.float64)
    v = np.asarray(variances, dtype=np.float64)
    if m.size < 2 or np.any(v <= 0):
        raise ValueError("empirical Bayes needs at least 2 units, each with a positive variance")
    w = 1 / v
    centre = float((w * m).sum() / w.sum())
    s = np.sqrt(v)
    tau2 = dispersion((m - centre) / s, s, fraction=0.0).tau2
    factor = np.maximum(tau2 / (tau2 + v), MIN_FACTOR)
    return Shrinkage(centre, tau2, factor)
