"""Evaluations on the real monthly A&E panel (acute trusts, predecessors summed).

* Coverage by simulation: placebo pilots at random trusts and months with a known effect added;
  the cluster-robust TWFE DiD's 95% intervals must cover the truth in 93-97% of simulations and
  reject a zero effect in 4-6%. Because the estimator is linear and the residuals do not move
  when a constant effect is added, coverage is the same at every injected effect and the
  false-positive rate is one minus it (see evaluation/power.py); the test checks the identity
  on a few draws with linearmodels itself. With 20 pilot trusts the test is calibrated; with
  fewer it is not (the pilot-design table reports that, and sizes pilots with a placebo-
  calibrated test instead).
* The example plans (mergers; pilot design for a 2-point change) run end to end.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from oversight.evaluation.panel import load_panel
from oversight.evaluation.power import draw_placebos, naive_draws
from oversight.evaluation.run import run_plan_file
from oversight.frameworks.evaluation_plan import load_plan

PLANS = Path(__file__).resolve().parents[2] / "examples" / "evaluations"
pytestmark = pytest.mark.golden


@pytest.fixture(scope="module")
def ae_history(ae_store_path: Path) -> np.ndarray:
    con = duckdb.connect(str(ae_store_path), read_only=True)
    plan = load_plan(PLANS / "ae_pilot_design.yaml")
    panel = load_panel(plan, PLANS, con)
    con.close()
    wide = panel.wide("ae_4hr_type1")
    wide = wide.loc[:, [p for p in wide.columns if 2021 * 12 + 3 <= p <= 2025 * 12 + 11]]
    return wide.dropna().to_numpy(dtype=float)


def test_coverage_and_false_positives_on_ae_panel(ae_history: np.ndarray) -> None:
    y = ae_history
    assert y.shape[0] > 100 and y.shape[1] == 57  # acute trusts x months Apr 2021-Dec 2025
    d = draw_placebos(y, n_orgs=20, n_pre=12, n_post=6, draws=2000, alpha=0.05, seed=2026)
    effect = 0.02  # two percentage points of 4-hour performance, injected
    covered = float(d.covers().mean())
    false_positive = d.power(0.0)
    print(
        f"\nA&E panel {y.shape[0]} trusts x {y.shape[1]} months, 2000 placebo pilots of 20 "
        f"trusts: 95% interval coverage {covered:.3f}, false-positive rate "
        f"{false_positive:.3f}, power at 2 points {d.power(effect):.3f}"
    )
    slow = naive_draws(y, d, 12, 6, effect=effect, limit=5)
    lo, hi = slow["ci_low"].to_numpy(), slow["ci_high"].to_numpy()
    assert np.array_equal((lo <= effect) & (effect <= hi), d.covers()[:5])
    assert 0.93 <= covered <= 0.97
    assert 0.04 <= false_positive <= 0.06


def test_ae_example_plans(ae_store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "ae.duckdb"
    db.write_bytes(ae_store_path.read_bytes())
    con = duckdb.connect(str(db))
    mergers = run_plan_file(PLANS / "ae_mergers.yaml", con)
    assert len(mergers.design.treated) == 15  # no merged trust silently dropped
    cs = mergers.result("callaway_santanna")
    assert cs.ci_low is not None and cs.ci_high is not None and cs.ci_low < cs.ci_high
    pilot = run_plan_file(PLANS / "ae_pilot_design.yaml", con).result("pilot_design")
    designs = pilot.tables["designs"]
    assert len(designs) == 12 and (designs["mde"] > 0).all()
    con.close()
