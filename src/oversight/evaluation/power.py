"""Pilot design: power and minimum detectable effect by placebo simulation on a real panel.

Each draw pretends a pilot started at randomly chosen organisations on a random date of the
historical panel, adds a known effect to their outcomes from that date, and estimates it with
the same two-way fixed-effects DiD (cluster-robust by organisation) the evaluation would use.

Two facts make 1,000s of draws cheap and exact:

* with a balanced window and one start date, the TWFE regressor is the outer product
  (a_i - mean a)(b_t - mean b), so the estimate and its clustered variance reduce to sums over
  organisations (no regression per draw); and
* adding an effect d to the treated cells adds exactly d to the estimate and leaves the residuals
  (hence the standard error) unchanged, so one set of placebo draws gives power at every d.

The vectorised estimates reproduce :func:`oversight.evaluation.clustered.fit_twfe` (linearmodels'
PanelOLS with entity and time effects, errors clustered by entity on fixest's small-sample
convention G/(G-1)(n-1)/(n-K) and a t reference on G-1 degrees of freedom) to rounding error;
:func:`naive_draws` runs that fit per draw and the tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import Progress
from scipy import stats

from oversight.evaluation.clustered import fit_twfe, small_sample_factor

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Draws:
    """Placebo draws: where each pilot was put, its null estimate, SE and critical value."""

    starts: NDArray[np.int64]  # index of the first pilot period within the panel's periods
    treated: NDArray[np.int64]  # draws x n_orgs row indices of the pilot organisations
    estimate: Array  # with no injected effect
    se: Array
    critical: Array  # t quantile for the chosen alpha (depends on the draw's df)

    def rejects(self, effect: float = 0.0) -> NDArray[np.bool_]:
        return np.abs(self.estimate + effect) > self.critical * self.se

    def covers(self) -> NDArray[np.bool_]:
        """Whether each draw's interval holds the injected effect (the same for every effect)."""
        return np.abs(self.estimate) <= self.critical * self.se

    def power(self, effect: float) -> float:
        return float(self.rejects(effect).mean())

    def placebo_critical(self, alpha: float) -> float:
        """The (1 - alpha) quantile of |estimate| over placebo pilots with no effect: a test
        calibrated on the real panel, whatever the standard errors get wrong."""
        return float(np.quantile(np.abs(self.estimate), 1 - alpha))

    def calibrated_power(self, effect: float, alpha: float) -> float:
        return float((np.abs(self.estimate + effect) > self.placebo_critical(alpha)).mean())

    def calibrated_mde(self, target: float, alpha: float) -> float:
        q = self.placebo_critical(alpha)
        candidates = np.sort(np.concatenate([q - self.estimate, -q - self.estimate]))
        for d in candidates[candidates > 0]:
            if self.calibrated_power(float(d) * (1 + 1e-12), alpha) >= target:
                return float(d)
        return float("nan")

    def mde(self, target: float) -> float:
        """Smallest positive effect detected in at least `target` of draws."""
        k = self.critical * self.se
        candidates = np.sort(np.concatenate([k - self.estimate, -k - self.estimate]))
        candidates = candidates[candidates > 0]
        for d in candidates:
            if self.power(float(d) * (1 + 1e-12)) >= target:
                return float(d)
        return float("nan")


def draw_placebos(
    y: Array,
    n_orgs: int,
    n_pre: int,
    n_post: int,
    draws: int,
    alpha: float = 0.05,
    seed: int = 0,
) -> Draws:
    """Vectorised placebo pilots on a complete units x periods matrix `y`."""
    n_units, n_periods = y.shape
    if n_orgs >= n_units:
        raise ValueError(f"{n_orgs} pilot organisations need more than {n_units} in the panel")
    if n_pre + n_post > n_periods:
        raise ValueError(f"{n_pre}+{n_post} periods do not fit in {n_periods}")
    rng = np.random.default_rng(seed)
    starts = rng.integers(n_pre, n_periods - n_post + 1, size=draws)
    treated = np.argsort(rng.random((draws, n_units)), axis=1)[:, :n_orgs]
    est = np.empty(draws)
    var = np.empty(draws)
    width = n_pre + n_post
    b = np.r_[np.zeros(n_pre), np.ones(n_post)]
    bc = b - b.mean()
    big_b = float(bc @ bc)
    n_obs = n_units * width
    # the organisation effects are nested in the clusters, so K = the treatment + time levels
    scale = small_sample_factor(n_obs, n_units, slopes=1, time_levels=width)
    for s in np.unique(starts):
        rows = np.nonzero(starts == s)[0]
        window = y[:, s - n_pre : s + n_post]
        h = window @ bc  # per organisation
        hc = h - h.mean()
        a = np.zeros((len(rows), n_units))
        np.put_along_axis(a, treated[rows], 1.0, axis=1)
        ac = a - a.mean(axis=1, keepdims=True)
        big_a = (ac**2).sum(axis=1)
        beta = (ac @ hc) / (big_a * big_b)
        scores = ac * (hc[None, :] - beta[:, None] * ac * big_b)
        est[rows] = beta
        var[rows] = (scores**2).sum(axis=1) / (big_a * big_b) ** 2 * scale
    crit = np.full(draws, stats.t.ppf(1 - alpha / 2, n_units - 1))
    return Draws(starts, treated, est, np.sqrt(var), crit)


def naive_draws(
    y: Array,
    d: Draws,
    n_pre: int,
    n_post: int,
    effect: float = 0.0,
    alpha: float = 0.05,
    limit: int | None = None,
) -> pd.DataFrame:
    """The same draws, each estimated by a full PanelOLS fit in a loop (the slow baseline)."""
    n_units = y.shape[0]
    out = []
    for k in range(len(d.starts) if limit is None else min(limit, len(d.starts))):
        s = int(d.starts[k])
        window = y[:, s - n_pre : s + n_post]
        periods = np.arange(window.shape[1])
        frame = pd.DataFrame(
            {
                "unit": np.repeat(np.arange(n_units), len(periods)),
                "period": np.tile(periods, n_units),
                "y": window.ravel(),
            }
        )
        treated = np.isin(frame["unit"], d.treated[k]) & (frame["period"] >= n_pre)
        frame["d"] = treated.astype(float)
        frame["y"] = frame["y"] + effect * frame["d"]
        p = frame.set_index(["unit", "period"])
        fit = fit_twfe(p["y"], p[["d"]])
        ci_low, ci_high = fit.conf_int("d", alpha)
        out.append(
            {
                "estimate": float(fit.params["d"]),
                "se": float(fit.std_errors["d"]),
                "ci_low": ci_low,
                "ci_high": ci_high,
            }
        )
    return pd.DataFrame(out)


def design_table(
    y: Array,
    organisations: list[int],
    post_periods: list[int],
    n_pre: int,
    draws: int,
    alpha: float,
    target_power: float,
    smallest_effect: float,
    seed: int = 0,
    progress: bool | Console = False,
) -> pd.DataFrame:
    """For every design: the minimum detectable effect and the power at the smallest effect
    that matters, for a test calibrated on the placebo pilots themselves (reject when |estimate|
    exceeds the 95th percentile of placebo |estimates|); beside them the same for the usual
    cluster-robust t-test, and that test's false-positive rate and interval coverage, which show
    whether its nominal 5% can be trusted with this many pilot organisations."""
    rows = []
    designs = [
        (n_orgs, n_post)
        for n_orgs in organisations
        for n_post in post_periods
        if n_orgs < y.shape[0] and n_pre + n_post <= y.shape[1]
    ]
    # a Console: the bar nests inside a face's own bar drawn on that console
    console = progress if isinstance(progress, Console) else None
    with Progress(disable=progress is False, transient=True, console=console) as bar:
        task = bar.add_task("pilot designs", total=len(designs))
        for n_orgs, n_post in designs:
            d = draw_placebos(y, n_orgs, n_pre, n_post, draws, alpha, seed)
            bar.advance(task)
            rows.append(
                {
                    "organisations": n_orgs,
                    "post_periods": n_post,
                    "pre_periods": n_pre,
                    "mde": d.calibrated_mde(target_power, alpha),
                    "power_at_smallest_effect": d.calibrated_power(smallest_effect, alpha),
                    "mde_cluster_se": d.mde(target_power),
                    "power_cluster_se": d.power(smallest_effect),
                    "false_positive_rate": d.power(0.0),
                    "coverage": float(d.covers().mean()),
                    "draws": draws,
                }
            )
    return pd.DataFrame(rows)
