"""Two-way fixed-effects difference-in-differences and its event study, on linearmodels.

Estimation is linearmodels' PanelOLS, with standard errors clustered by organisation on
fixest's small-sample convention (:mod:`oversight.evaluation.clustered`); this module only builds
the design (treatment and relative-time indicators) and reads results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oversight.evaluation.clustered import fit_twfe
from oversight.evaluation.results import Check, EffectResult


def _event_time(name: str) -> int:
    side, _, k = name.partition("_")
    return -int(k) if side == "lead" else int(k)


def _frame(long: pd.DataFrame, outcome: str, treated: dict[str, int]) -> pd.DataFrame:
    df = long[["unit", "period", outcome]].dropna().copy()
    start = df["unit"].map(treated)
    df["treated"] = (start.notna() & (df["period"] >= start)).astype(float)
    df["rel"] = (df["period"] - start).astype("Float64")
    return df


def twfe(
    long: pd.DataFrame,
    outcome: str,
    treated: dict[str, int],
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
) -> EffectResult:
    """Static TWFE effect plus an event study with binned end points and period -1 omitted.

    `long` has columns unit, period (ordinal) and the outcome; `treated` maps each treated
    unit to its first treated period; every other unit is a comparison.
    """
    df = _frame(long, outcome, treated)
    panel = df.set_index(["unit", "period"])
    fit = fit_twfe(panel[outcome], panel[["treated"]])
    ci_low, ci_high = fit.conf_int("treated", alpha)

    rel = df["rel"]
    names: list[str] = []
    columns: dict[str, np.ndarray] = {}
    for k in range(-leads, lags + 1):
        if k == -1:
            continue
        if k == -leads:
            hit = rel <= k
        elif k == lags:
            hit = rel >= k
        else:
            hit = rel == k
        col = hit.fillna(False).to_numpy(dtype=float)
        if col.any():
            name = f"lead_{-k}" if k < 0 else f"lag_{k}"
            names.append(name)
            columns[name] = col
    design = pd.DataFrame(columns, index=panel.index)
    es_fit = fit_twfe(panel[outcome], design)
    es_se = es_fit.std_errors[names].to_numpy()
    es_t = es_fit.t_critical(alpha)
    event = pd.DataFrame(
        {
            "event_time": [_event_time(n) for n in names],
            "estimate": es_fit.params[names].to_numpy(),
            "se": es_se,
            "ci_low": es_fit.params[names].to_numpy() - es_t * es_se,
            "ci_high": es_fit.params[names].to_numpy() + es_t * es_se,
            "binned": [_event_time(n) in (-leads, lags) for n in names],
        }
    )
    event = pd.concat(
        [
            event,
            pd.DataFrame(
                [
                    {
                        "event_time": -1,
                        "estimate": 0.0,
                        "se": 0.0,
                        "ci_low": 0.0,
                        "ci_high": 0.0,
                        "binned": False,
                    }
                ]
            ),
        ],
        ignore_index=True,
    ).sort_values("event_time", ignore_index=True)

    checks: list[Check] = []
    lead_idx = [i for i, n in enumerate(names) if _event_time(n) < -1]
    if lead_idx:
        lead_names = [names[i] for i in lead_idx]
        p = es_fit.wald_zero(lead_names)
        checks.append(
            Check(
                "pre-trends",
                p,
                p >= alpha,
                f"joint Wald test that all {len(lead_names)} lead coefficients are zero: "
                f"p = {p:.3f}"
                + ("" if p >= alpha else " - the groups were already diverging before the start"),
            )
        )
    n_treated = len(treated)
    if n_treated < 10:
        checks.append(
            Check(
                "treated clusters",
                float(n_treated),
                None,
                f"only {n_treated} treated organisation(s): cluster-robust standard errors can "
                "understate uncertainty when few organisations are treated",
            )
        )
    return EffectResult(
        method="twfe",
        estimate=float(fit.params["treated"]),
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=fit.p_value("treated"),
        se=float(fit.std_errors["treated"]),
        label="two-way fixed-effects DiD: average effect on treated organisations after start",
        checks=checks,
        tables={"event_study": event},
        notes=[
            f"{fit.nobs} observations, {fit.clusters} organisations; standard errors "
            "clustered by organisation, small-sample factor as fixest and Stata "
            "(G/(G-1)(n-1)/(n-K), t on G-1 df)"
        ],
    )
