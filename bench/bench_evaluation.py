"""Evaluation benchmark: synthetic control with full placebo inference, and pilot design with
1,000 placebo draws, each beside a naive loop.

Run from the repository root::

    .venv/bin/python bench/bench_evaluation.py [--plan examples/evaluations/prop99.yaml]
        [--naive-units 1] [--naive-draws 100] [--draws 1000] [--jobs 2]

The panel comes from an evaluation plan (any source the plan model knows: a CSV, the NOF store,
or the monthly A&E series once its ingest is merged), so the same script times the A&E panel by
pointing --plan at an A&E plan. The plan must name one treated unit and a synthetic_control
method; its comparison pool is the donor pool.

Naive baselines:

* synthetic control: pysyncon's own `Synth.fit` with its defaults (one Nelder-Mead run from equal
  predictor weights, SLSQP inner solve) for the treated unit and every placebo. Its time per fit
  is measured on --naive-units fits and scaled to all of them (printed as "scaled").
* pilot design: linearmodels PanelOLS (entity + time effects, clustered by entity) in a loop,
  one regression per draw, on --naive-draws draws scaled to --draws; the vectorised estimates
  are checked against the loop's before any time is reported.

Figures go to stdout and bench/results/evaluation.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import oversight.evaluation  # noqa: F401  (registers the A&E panel source)
from oversight.evaluation.panel import load_panel
from oversight.evaluation.periods import parse_period
from oversight.evaluation.power import draw_placebos, naive_draws
from oversight.evaluation.synth import PredictorSpec, prepare, synthetic_control
from oversight.evaluation.validate import resolve
from oversight.frameworks.evaluation_plan import SyntheticControlMethod, load_plan

ROOT = Path(__file__).resolve().parents[1]


def naive_synth(
    data_long: pd.DataFrame,
    outcome: str,
    treated: str,
    donors: list[str],
    preds: list[PredictorSpec],
    fit: range,
    frame_cols: list[str],
) -> float:
    """One pysyncon fit with its defaults; returns the treated unit's pre-period RMSPE."""
    from pysyncon import Dataprep, Synth

    specials = [(p.variable, list(p.periods), "mean") for p in preds] or [
        (outcome, list(fit), "mean")
    ]
    dp = Dataprep(
        foo=data_long[frame_cols],
        predictors=[specials[0][0]],
        predictors_op="mean",
        time_predictors_prior=specials[0][1],
        special_predictors=specials[1:] or None,
        dependent=outcome,
        unit_variable="unit",
        time_variable="period",
        treatment_identifier=treated,
        controls_identifier=donors,
        time_optimize_ssr=fit,
    )
    s = Synth()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.fit(dataprep=dp)
    return float(np.sqrt(s.loss_V)) if s.loss_V is not None else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=str(ROOT / "examples" / "evaluations" / "prop99.yaml"))
    ap.add_argument("--naive-units", type=int, default=1)
    ap.add_argument("--naive-draws", type=int, default=100)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--organisations", type=int, default=5)
    ap.add_argument("--pre", type=int, default=8)
    ap.add_argument("--post", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--db", help="DuckDB store, for plans reading NOF or A&E data")
    args = ap.parse_args()

    plan = load_plan(args.plan)
    con = duckdb.connect(args.db, read_only=True) if args.db else None
    panel = load_panel(plan, Path(args.plan).resolve().parent, con)
    design = resolve(plan, panel, args.plan)
    spec = next(m for m in plan.methods if isinstance(m, SyntheticControlMethod))
    ((unit, start),) = design.treated.items()
    long = panel.frame[panel.frame["period"].between(design.pre_start, design.end)]
    wide = long.pivot(index="unit", columns="period", values=design.outcome)
    donors = [u for u in design.comparison if u in wide.index and wide.loc[u].notna().all()]
    preds = [
        PredictorSpec(
            p.variable,
            tuple(
                range(
                    parse_period(p.start, plan.frequency),
                    parse_period(p.end or p.start, plan.frequency) + 1,
                )
            ),
            f"{p.variable}{i}",
        )
        for i, p in enumerate(spec.predictors)
    ]
    data = prepare(
        long, design.outcome, [unit, *donors], start, design.pre_start, design.end, preds
    )
    print(
        f"panel: {panel.source}, {len(donors) + 1} units x {len(data.periods)} periods; "
        f"{os.cpu_count()} cores; {platform.python_version()}"
    )

    t0 = time.perf_counter()
    res = synthetic_control(
        data,
        unit,
        donors,
        plan.alpha,
        spec.polish,
        spec.random_draws,
        spec.placebo_polish,
        spec.placebo_random_draws,
        spec.seed,
        True,
        plan.outcome.smallest_effect,
        jobs=args.jobs,
    )
    sc_time = time.perf_counter() - t0
    placebos = res.tables["placebos"]
    ours_rmspe = float(placebos.loc[placebos["treated"], "pre_rmspe"].iloc[0])

    fit = range(design.pre_start, start)
    cols = [
        "unit",
        "period",
        design.outcome,
        *sorted({p.variable for p in preds} - {design.outcome}),
    ]
    naive_times, naive_rmspe = [], []
    for u in [unit, *donors][: args.naive_units]:
        pool = [d for d in donors if d != u]
        t = time.perf_counter()
        naive_rmspe.append(naive_synth(long, design.outcome, u, pool, preds, fit, cols))
        naive_times.append(time.perf_counter() - t)
    per_fit = float(np.mean(naive_times))
    naive_sc = per_fit * (len(donors) + 1)

    # pilot design on the comparison units' history before the start
    hist = wide.loc[donors, [p for p in wide.columns if p < start]].to_numpy(dtype=float)
    t0 = time.perf_counter()
    d = draw_placebos(hist, args.organisations, args.pre, args.post, args.draws, plan.alpha, 0)
    pd_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    slow = naive_draws(hist, d, args.pre, args.post, 0.0, plan.alpha, limit=args.naive_draws)
    naive_pd = (time.perf_counter() - t0) / len(slow) * args.draws
    n = len(slow)
    agree = float(np.max(np.abs(slow["estimate"].to_numpy() - d.estimate[:n])))
    agree_se = float(np.max(np.abs(slow["se"].to_numpy() - d.se[:n])))
    if agree > 1e-8 or agree_se > 1e-8:
        raise SystemExit(f"vectorised draws disagree with linearmodels: {agree}, {agree_se}")

    rows = [
        (
            "synthetic control + placebos (all units)",
            sc_time,
            naive_sc,
            f"ours pre-RMSPE {ours_rmspe:.3f} vs naive {naive_rmspe[0]:.3f}; naive scaled from "
            f"{len(naive_times)} fit(s) of {per_fit:.1f} s",
        ),
        (
            f"pilot design, {args.draws} draws",
            pd_time,
            naive_pd,
            f"max |diff| estimate {agree:.1e}, se {agree_se:.1e}; naive scaled from {n} draws",
        ),
    ]
    print(f"{'stage':45} {'oversight s':>12} {'naive s':>10} {'ratio':>8}  target <30 s")
    for name, ours, naive, note in rows:
        print(
            f"{name:45} {ours:12.2f} {naive:10.1f} {naive / ours:8.0f}x  "
            f"{'met' if ours < 30 else 'MISSED'}  ({note})"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "evaluation.json").write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(),
                "plan": args.plan,
                "cores": os.cpu_count(),
                "synthetic_control": {
                    "seconds": sc_time,
                    "naive_seconds_scaled": naive_sc,
                    "naive_fits_timed": naive_times,
                    "units": len(donors) + 1,
                    "pre_rmspe": ours_rmspe,
                    "naive_pre_rmspe": naive_rmspe,
                },
                "pilot_design": {
                    "seconds": pd_time,
                    "naive_seconds_scaled": naive_pd,
                    "draws": args.draws,
                    "naive_draws_timed": n,
                    "max_abs_diff_estimate": agree,
                    "max_abs_diff_se": agree_se,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
