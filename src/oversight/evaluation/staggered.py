"""Staggered adoption: Callaway & Sant'Anna group-time effects, on the csdid package.

csdid (MIT) ports the R `did` package (same estimators, aggregations and pre-test); this
module passes it the panel, silences its printed summaries and turns its output into tables.
Standard errors are csdid's analytic (influence-function) ones, so results are reproducible
without a seed.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from oversight.evaluation.results import Check, EffectResult

AGGREGATIONS = {"simple": "simple", "group": "group", "dynamic": "dynamic", "calendar": "calendar"}


def callaway_santanna(
    long: pd.DataFrame,
    outcome: str,
    treated: dict[str, int],
    control_group: str = "never_treated",
    estimation: str = "reg",
    alpha: float = 0.05,
    label_period: Any = None,
) -> EffectResult:
    """ATT(g,t) for every cohort g and period t, and the four standard aggregations.

    The headline estimate is the 'simple' aggregation (ATT averaged over all treated
    organisation-periods, weighted by cohort size), as in the R did package.
    """
    from csdid.att_gt import ATTgt  # heavy import, only when used

    units = sorted(long["unit"].unique())
    ids = {u: i + 1 for i, u in enumerate(units)}
    df = pd.DataFrame(
        {
            "id": long["unit"].map(ids).astype(int),
            "t": long["period"].astype(int),
            "y": long[outcome].astype(float),
            "g": long["unit"].map(treated).fillna(0).astype(int),
        }
    ).dropna()
    z = float(stats.norm.ppf(1 - alpha / 2))
    cg = "nevertreated" if control_group == "never_treated" else "notyettreated"
    label = label_period or (lambda p: str(p))
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        att = ATTgt(yname="y", gname="g", idname="id", tname="t", data=df, control_group=[cg])
        fitted = att.fit(est_method=estimation, bstrap=False)
        mp = fitted.MP
        gt = pd.DataFrame(
            {
                "group": [int(g) for g in mp["group"]],
                "time": [int(t) for t in mp["t"]],
                "att": np.asarray(mp["att"], dtype=float),
                "se": np.asarray(fitted.did_object["se"], dtype=float),
            }
        )
        aggs: dict[str, dict[str, Any]] = {}
        for name, typec in AGGREGATIONS.items():
            fitted.aggte(typec=typec, bstrap=False)
            aggs[name] = dict(fitted.atte)
    gt["ci_low"] = gt["att"] - z * gt["se"]
    gt["ci_high"] = gt["att"] + z * gt["se"]
    gt["group_label"] = gt["group"].map(label)
    gt["time_label"] = gt["time"].map(label)

    tables = {"att_gt": gt}
    rows = []
    for name, a in aggs.items():
        rows.append(
            {
                "aggregation": name,
                "level": "overall",
                "estimate": float(a["overall_att"]),
                "se": float(a["overall_se"]),
            }
        )
        if name != "simple":
            for e, est, se in zip(a["egt"], a["att_egt"], a["se_egt"], strict=True):
                lvl = int(e) if name == "dynamic" else label(int(e))
                rows.append(
                    {"aggregation": name, "level": lvl, "estimate": float(est), "se": float(se)}
                )
    agg = pd.DataFrame(rows)
    agg["ci_low"] = agg["estimate"] - z * agg["se"]
    agg["ci_high"] = agg["estimate"] + z * agg["se"]
    tables["aggregations"] = agg
    dyn = agg[(agg["aggregation"] == "dynamic") & (agg["level"] != "overall")]
    tables["event_study"] = pd.DataFrame(
        {
            "event_time": dyn["level"].astype(int).to_numpy(),
            "estimate": dyn["estimate"].to_numpy(),
            "se": dyn["se"].to_numpy(),
            "ci_low": dyn["ci_low"].to_numpy(),
            "ci_high": dyn["ci_high"].to_numpy(),
        }
    )

    checks = []
    wp = mp.get("Wpval")
    if wp is not None and not (isinstance(wp, float) and np.isnan(wp)):
        p = float(wp)
        checks.append(
            Check(
                "pre-trends",
                p,
                p >= alpha,
                f"Wald pre-test that all pre-treatment ATT(g,t) are zero: p = {p:.3f}",
            )
        )
    simple = aggs["simple"]
    est, se = float(simple["overall_att"]), float(simple["overall_se"])
    return EffectResult(
        method="callaway_santanna",
        estimate=est,
        ci_low=est - z * se,
        ci_high=est + z * se,
        p_value=float(2 * stats.norm.sf(abs(est / se))) if se > 0 else None,
        se=se,
        label=f"Callaway-Sant'Anna ATT (simple aggregation; {control_group.replace('_', '-')} "
        "comparisons)",
        checks=checks,
        tables=tables,
        notes=["group-time effects from csdid (port of R did); analytic standard errors"],
    )
