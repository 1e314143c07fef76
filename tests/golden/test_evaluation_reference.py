"""Evaluation methods reproduce published results on their canonical data sets.

Data: data/reference/ (unmodified copies; provenance and licences in data/README.md).
Each test names where its reference numbers come from and why its tolerance is what it is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oversight.evaluation.run import Evaluation, run_plan_file
from oversight.evaluation.staggered import callaway_santanna
from oversight.evaluation.synth import PredictorSpec, fit_unit, prepare
from oversight.evaluation.vsearch import inner_weights

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT / "data" / "reference"
PLANS = ROOT / "examples" / "evaluations"

pytestmark = pytest.mark.golden


# --- California Proposition 99 (Abadie, Diamond & Hainmueller 2010) ------------------------

# ADH 2010, Table 2: synthetic California's state weights (all other states 0).
ADH_WEIGHTS = {
    "Colorado": 0.164,
    "Connecticut": 0.069,
    "Montana": 0.199,
    "Nevada": 0.234,
    "Utah": 0.334,
}
# R Synth with ADH's predictor specification (figures given in issue 8 of this project):
# pre-1989 RMSPE 1.79 and an average 1989-2000 gap of -18.7 packs. tidysynth's README (same
# spec, R Synth's optimiser) reports California's pre-period MSPE 3.17, i.e. RMSPE 1.78.
R_SYNTH_PRE_RMSPE = 1.79
R_SYNTH_MEAN_GAP = -18.7


@pytest.fixture(scope="module")
def prop99() -> Evaluation:
    # one run of the bundled plan: multi-start V search, pysyncon weights, 38 placebos
    return run_plan_file(PLANS / "prop99.yaml")


def test_prop99_fit_gap_and_weights(prop99: Evaluation) -> None:
    sc = prop99.result("synthetic_control")
    placebos = sc.tables["placebos"]
    pre_rmspe = float(placebos.loc[placebos["treated"], "pre_rmspe"].iloc[0])
    # must fit the pre-period at least as well as R Synth's solution
    assert pre_rmspe <= R_SYNTH_PRE_RMSPE
    # and land within 0.5 packs of its average post-period gap (the tolerance)
    assert abs(sc.estimate - R_SYNTH_MEAN_GAP) <= 0.5
    gaps = sc.tables["gaps"]
    post = gaps[gaps["period"] >= 1989]
    assert len(post) == 12 and sc.estimate == pytest.approx(post["gap"].mean())
    # donor weights within 0.03 of the published Synth solution, every donor
    assert sc.weights is not None
    for state, w in sc.weights.items():
        assert abs(w - ADH_WEIGHTS.get(state, 0.0)) <= 0.03, state
    assert sum(sc.weights.values()) == pytest.approx(1.0, abs=1e-9)


def test_prop99_placebo_rank(prop99: Evaluation) -> None:
    # ADH 2010 (section 4, Figure 8): California has the highest post/pre RMSPE ratio of all
    # 39 states, p = 1/39 = 0.026.
    sc = prop99.result("synthetic_control")
    assert sc.p_value == pytest.approx(1 / 39)
    assert sc.tables["placebos"]["unit"].iloc[0] == "California"
    assert sc.ci_low is not None and sc.ci_high is not None
    assert sc.ci_low < sc.estimate < sc.ci_high < 0


# --- Basque Country (Abadie & Gardeazabal 2003) ----------------------------------------------

BASQUE = "Basque Country (Pais Vasco)"
# A&G 2003 / R Synth's `basque` example: Cataluna 0.851, Madrid 0.149, all others 0.
AG_WEIGHTS = {"Cataluna": 0.851, "Madrid (Comunidad De)": 0.149}
# The predictor weights V of that solution, as found by pysyncon (tests/test_synth_basque.py
# in sdfordham/pysyncon, in the predictor order of examples/evaluations/basque.yaml).
AG_V = np.array(
    [
        0.0726559110,
        0.119777358,
        0.003486111,
        0.102189247,
        0.010826786,
        0.000053211,
        0.117260969,
        0.0633926060,
        0.155350772,
        0.0958688,
        0.0530811070,
        0.001634752,
        0.0237097130,
        0.180712657,
    ]
)


def _basque_data() -> tuple[pd.DataFrame, list[str], list[PredictorSpec]]:
    df = pd.read_csv(REF / "basque" / "basque.csv")
    long = df.rename(columns={"regionname": "unit", "year": "period"})
    long["period"] = long["period"].astype(int)
    donors = sorted(set(long["unit"]) - {BASQUE, "Spain (Espana)"})
    yrs = lambda a, b: tuple(range(a, b + 1))  # noqa: E731
    school = [
        "school.illit",
        "school.prim",
        "school.med",
        "school.high",
        "school.post.high",
        "invest",
    ]
    sectors = [
        "sec.agriculture",
        "sec.energy",
        "sec.industry",
        "sec.construction",
        "sec.services.venta",
        "sec.services.nonventa",
    ]
    preds = [PredictorSpec(v, yrs(1964, 1969), v) for v in school]
    preds.append(PredictorSpec("gdpcap", yrs(1960, 1969), "gdpcap"))
    preds += [PredictorSpec(v, yrs(1961, 1969), v) for v in sectors]
    preds.append(PredictorSpec("popdens", (1969,), "popdens"))
    return long, donors, preds


def test_basque_weights_and_fit() -> None:
    long, donors, preds = _basque_data()
    data = prepare(long, "gdpcap", [BASQUE, *donors], 1970, 1955, 1997, preds, (1960, 1969))
    # (1) with the published solution's V, our predictor matrices and inner solve give the
    # published weights (to 0.01: V is printed to 9 digits, weights to 3). pysyncon found
    # that V with Spain in the pool (scaling predictors over all 18 regions), so do the same.
    pool = sorted([*donors, "Spain (Espana)"])
    x = prepare(long, "gdpcap", [BASQUE, *pool], 1970, 1955, 1997, preds, (1960, 1969)).x
    sd = x.std(axis=1, ddof=1)
    w = inner_weights(AG_V, x[:, 1:] / sd[:, None], x[:, 0] / sd)
    got = dict(zip(pool, w, strict=True))
    for region in pool:
        assert abs(got[region] - AG_WEIGHTS.get(region, 0.0)) <= 0.01, region
    # (2) our V search fits the 1960-69 outcome at least as well as the published solution
    fit = data.fit_rows
    y = data.y[fit]
    published = y[:, [1 + donors.index(r) for r in AG_WEIGHTS]] @ np.array(
        list(AG_WEIGHTS.values())
    )
    published_rmspe = float(np.sqrt(np.mean((y[:, 0] - published) ** 2)))
    ours = fit_unit(data, 0, list(range(1, len(donors) + 1)), polish=6, random_draws=40, seed=0)
    ours_fit = float(np.sqrt(np.mean(ours.gap[fit] ** 2)))
    assert ours_fit <= published_rmspe + 1e-9
    # A&G: the Basque GDP per head fell about 10% below its synthetic in the late 1970s-90s
    post = ours.gap[data.post_rows] / (data.y[data.post_rows, 0] - ours.gap[data.post_rows])
    assert -0.15 < float(post.mean()) < -0.05


# --- Callaway & Sant'Anna on mpdta (R package did) --------------------------------------------

# R did 2.5: README (att_gt, est_method = "reg") and ?aggte examples (docs/reference/aggte.md),
# bcallaway11/did. Point estimates are deterministic; R's standard errors there come from a
# random multiplier bootstrap (two published runs differ by up to 8%), ours are analytic.
R_ATT_GT = {
    (2004, 2004): -0.0105,
    (2004, 2005): -0.0704,
    (2004, 2006): -0.1373,
    (2004, 2007): -0.1008,
    (2006, 2004): 0.0065,
    (2006, 2005): -0.0028,
    (2006, 2006): -0.0046,
    (2006, 2007): -0.0412,
    (2007, 2004): 0.0305,
    (2007, 2005): -0.0027,
    (2007, 2006): -0.0311,
    (2007, 2007): -0.0261,
}
R_AGG = {  # (aggregation, level): (estimate, R bootstrap SE)
    ("simple", "overall"): (-0.0400, 0.0119),
    ("group", "overall"): (-0.0310, 0.0126),
    ("group", "2004"): (-0.0797, 0.0300),
    ("group", "2006"): (-0.0229, 0.0163),
    ("group", "2007"): (-0.0261, 0.0167),
    ("dynamic", "overall"): (-0.0772, 0.0208),
    ("dynamic", -3): (0.0305, 0.0154),
    ("dynamic", -2): (-0.0006, 0.0129),
    ("dynamic", -1): (-0.0245, 0.0145),
    ("dynamic", 0): (-0.0199, 0.0119),
    ("dynamic", 1): (-0.0510, 0.0160),
    ("dynamic", 2): (-0.1373, 0.0393),
    ("dynamic", 3): (-0.1008, 0.0356),
    ("calendar", "overall"): (-0.0417, 0.0175),
    ("calendar", "2004"): (-0.0105, 0.0242),
    ("calendar", "2005"): (-0.0704, 0.0319),
    ("calendar", "2006"): (-0.0488, 0.0206),
    ("calendar", "2007"): (-0.0371, 0.0133),
}


def _printed(x: float) -> float:
    # R prints 4 decimal places: 3 significant figures for every |x| >= 0.01, and as many as
    # R shows below that (e.g. 0.0065)
    return round(float(x), 4)


def test_callaway_santanna_mpdta() -> None:
    df = pd.read_csv(REF / "mpdta" / "mpdta.csv")
    long = pd.DataFrame(
        {"unit": df["countyreal"].astype(str), "period": df["year"], "lemp": df["lemp"]}
    )
    treated = {
        str(u): int(g) for u, g in zip(df["countyreal"], df["first.treat"], strict=True) if g > 0
    }
    res = callaway_santanna(long, "lemp", treated, "never_treated", "reg")
    gt = res.tables["att_gt"].set_index(["group", "time"])["att"]
    assert len(gt) == len(R_ATT_GT)
    for key, ref in R_ATT_GT.items():
        assert _printed(gt[key]) == ref, key
    agg = res.tables["aggregations"]
    for (kind, level), (ref, ref_se) in R_AGG.items():
        row = agg[(agg["aggregation"] == kind) & (agg["level"].astype(str) == str(level))]
        assert len(row) == 1, (kind, level)
        assert _printed(row["estimate"].iloc[0]) == ref, (kind, level)
        # analytic vs bootstrap: within 20% (see above)
        assert abs(float(row["se"].iloc[0]) / ref_se - 1) < 0.2, (kind, level)
    # the Wald pre-test of parallel trends: R prints p = 0.16812
    pre = next(c for c in res.checks if c.name == "pre-trends")
    assert pre.value == pytest.approx(0.16812, abs=5e-6)


# --- TWFE DiD on organ_donation (Kessler & Roth 2014; The Effect, ch. 18) --------------------

# The Effect (Huntington-Klein), ch. 18: feols(Rate ~ Treated | State + Quarter) gives -0.0225;
# its dynamic version i(Quarter_Num, California, ref = 3) gives the coefficients below (as
# printed in pyfixest's "Replicating The Effect" notebook, py-econometrics/pyfixest docs).
EFFECT_STATIC = -0.022459
EFFECT_DYNAMIC = {-3: -0.002942, -2: 0.006296, 0: -0.021565, 1: -0.020292, 2: -0.022165}


def test_twfe_organ_donation() -> None:
    ev = run_plan_file(PLANS / "organ_donation.yaml")
    r = ev.result("twfe")
    assert r.estimate == pytest.approx(EFFECT_STATIC, abs=5e-7)
    es = r.tables["event_study"].set_index("event_time")["estimate"]
    for k, ref in EFFECT_DYNAMIC.items():
        assert es[k] == pytest.approx(ref, abs=5e-7), k
    assert es[-1] == 0.0
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < r.estimate < r.ci_high


# --- TWFE standard errors clustered by unit, as fixest and Stata report them -----------------
# fixest: feols(lemp ~ treat_post | countyreal + year, mpdta, cluster = ~countyreal) gives
# -0.036549 (0.013265) with its default small-sample correction (the figure this project's
# issue on hardening cites; Stata's reghdfe ..., vce(cluster countyreal) agrees). linearmodels'
# own default gave 0.014820 (12% larger): it counts the county effects nested in the clusters.
# Tolerance 1% of the standard error, as the issue asks; the estimate to 1e-6.
FIXEST_MPDTA = (-0.036549, 0.013265)
# organ_donation, feols(Rate ~ Treated | State + Quarter, cluster = ~State): -0.022459 with SE
# 0.006131232, computed with pyfixest 0.60.0 (which reproduces fixest's defaults; run once in a
# scratch environment, not a dependency of this project). Before the correction: about 8% larger.
FIXEST_ORGAN_DONATION_SE = 0.006131232


def _fixest_formula(df: pd.DataFrame, unit: str, time: str, y: str, d: str) -> float:
    """An independent computation of fixest's clustered SE for one regressor: alternating
    projections for the two-way demeaning, the cluster sandwich by hand, fixest's factor
    G/(G-1)(n-1)/(n-K) with K = 1 + the time levels."""
    yy, xx = df[y].astype(float), df[d].astype(float)
    for _ in range(500):
        yy = yy - yy.groupby(df[unit]).transform("mean")
        yy = yy - yy.groupby(df[time]).transform("mean")
        xx = xx - xx.groupby(df[unit]).transform("mean")
        xx = xx - xx.groupby(df[time]).transform("mean")
    b = float((xx * yy).sum() / (xx * xx).sum())
    u = yy - b * xx
    meat = float(((xx * u).groupby(df[unit]).sum() ** 2).sum())
    n, g, t = len(df), df[unit].nunique(), df[time].nunique()
    return float(np.sqrt(meat / float((xx * xx).sum()) ** 2 * g / (g - 1) * (n - 1) / (n - 1 - t)))


def test_twfe_clustered_se_equals_fixest_on_mpdta() -> None:
    from oversight.evaluation.twfe import twfe

    df = pd.read_csv(REF / "mpdta" / "mpdta.csv")
    long = df.rename(columns={"countyreal": "unit", "year": "period"})
    long["unit"] = long["unit"].astype(str)
    treated = {
        str(u): int(s) for u, s in df.groupby("countyreal")["first.treat"].first().items() if s > 0
    }
    r = twfe(long, "lemp", treated)
    assert r.estimate == pytest.approx(FIXEST_MPDTA[0], abs=1e-6)
    assert r.se is not None
    print(f"\nmpdta TWFE clustered SE {r.se:.6f} (fixest {FIXEST_MPDTA[1]})")
    assert r.se == pytest.approx(FIXEST_MPDTA[1], rel=0.01)
    df["d"] = ((df["first.treat"] > 0) & (df["year"] >= df["first.treat"])).astype(float)
    assert r.se == pytest.approx(_fixest_formula(df, "countyreal", "year", "lemp", "d"), rel=1e-6)


def test_twfe_clustered_se_equals_fixest_on_organ_donation() -> None:
    ev = run_plan_file(PLANS / "organ_donation.yaml")
    r = ev.result("twfe")
    df = pd.read_csv(REF / "organ_donation" / "organ_donation.csv")
    start = ["Q32011", "Q42011", "Q12012"]
    df["d"] = ((df["State"] == "California") & df["Quarter"].isin(start)).astype(float)
    assert r.se is not None
    expected = _fixest_formula(df, "State", "Quarter", "Rate", "d")
    print(f"\norgan_donation TWFE clustered SE {r.se:.6f} (fixest formula {expected:.6f})")
    assert r.se == pytest.approx(FIXEST_ORGAN_DONATION_SE, rel=0.01)
    assert r.se == pytest.approx(expected, rel=1e-6)
