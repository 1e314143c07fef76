"""SPC and funnels on real NHS England monthly A&E counts (bundled, Jan 2024 - Dec 2025).

SPC: every provider's monthly share of type 1 attendances over 4 hours is charted, and each
point's label is compared with a reference written independently here, loop by loop, from the
Making Data Count definitions as NHSRplotthedots documents them (limits mean +/- 2.66 mean
moving range after screening moving ranges >= 3.267 x their mean; 7-point shift and trend; 2 of
3 beyond the 2-sigma line on one side; precedence outside > trend > 2-in-3 > shift).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from oversight.engine.funnel import Unit, funnel
from oversight.stats.spc import chart
from tests.unit.stats.ae_monthly import type1_counts


@pytest.fixture(scope="module")
def counts() -> dict[str, dict[str, tuple[float, float]]]:
    return type1_counts()


def reference_labels(y: list[float]) -> list[str]:
    n = len(y)
    mean = sum(y) / n
    mr = [abs(y[i] - y[i - 1]) for i in range(1, n)]
    amr = sum(mr) / len(mr)
    kept = [m for m in mr if m < 3.267 * amr]
    amr = sum(kept) / len(kept)
    upl, lpl = mean + 2.66 * amr, mean - 2.66 * amr
    nupl, nlpl = mean + 2 / 3 * 2.66 * amr, mean - 2 / 3 * 2.66 * amr
    side = [(v > mean) - (v < mean) for v in y]
    outside = [v > upl or v < lpl for v in y]
    close = [not outside[i] and (y[i] > nupl or y[i] < nlpl) for i in range(n)]
    trend = [0] * n
    shift = [False] * n
    two = [False] * n
    for end in range(6, n):
        window = range(end - 6, end + 1)
        steps = [y[i] - y[i - 1] for i in range(end - 5, end + 1)]
        for direction in (1, -1):
            if all(s * direction > 0 for s in steps):
                for i in window:
                    trend[i] = trend[i] or direction
        s0 = side[end]
        if s0 != 0 and all(side[i] == s0 for i in window):
            for i in window:
                shift[i] = True
    for start in range(n - 2):
        w = range(start, start + 3)
        if (
            sum(close[i] for i in w) >= 2
            and side[start] != 0
            and all(side[i] == side[start] for i in w)
        ):
            for i in w:
                two[i] = two[i] or close[i]
    labels = []
    for i in range(n):
        up = side[i] > 0
        if outside[i]:
            labels.append("Above UCL" if up else "Below LCL")
        elif trend[i]:
            labels.append(f"7 Point Trend ({'Increasing' if trend[i] > 0 else 'Decreasing'})")
        elif two[i]:
            labels.append("2 in 3 Above CL" if up else "2 in 3 Below CL")
        elif shift[i]:
            labels.append("7 Points Above CL" if up else "7 Points Below CL")
        else:
            labels.append("Common Cause")
    return labels


def test_spc_rules_on_every_provider(
    counts: dict[str, dict[str, tuple[float, float]]],
) -> None:
    months = sorted(counts)
    assert len(months) == 24
    providers = set.intersection(*(set(counts[m]) for m in months))
    seen: Counter[str] = Counter()
    for code in sorted(providers):
        y = [counts[m][code][0] / counts[m][code][1] for m in months]
        c = chart(y, direction="decrease")
        assert c.labels == reference_labels(y), code
        seen.update(
            label.split(" (")[0].replace("Above", "X").replace("Below", "X") for label in c.labels
        )
    print(f"\n{len(providers)} providers x 24 months: {dict(seen)}")
    assert len(providers) > 100
    # real series exercise every rule
    for rule in ("X UCL", "X LCL", "7 Point Trend", "2 in 3 X CL", "7 Points X CL"):
        assert seen[rule] > 0, rule


def test_funnel_on_a_real_month(counts: dict[str, dict[str, tuple[float, float]]]) -> None:
    month = counts["2025-04"]
    units = [Unit(code, code, x, n) for code, (x, n) in month.items()]
    result = funnel(units, "proportion", "additive", multiplier=100)
    d = result.dispersion
    print(f"\nApril 2025, {d.units} type 1 providers: phi {d.phi:.1f}, tau2 {d.tau2:.5f}")
    # four-hour performance varies far beyond binomial chance between trusts
    assert d.phi > 50 and d.tau2 > 0 and d.p_value < 1e-12
    flagged = Counter(r["flag_99.8"] for r in result.rows)
    plain = funnel(units, "proportion", "none", multiplier=100)
    plain_flagged = Counter(r["flag_99.8"] for r in plain.rows)
    # without the adjustment nearly every trust is "abnormal"; with it, a handful
    assert plain_flagged["within"] < 0.2 * len(units)
    assert flagged["above"] + flagged["below"] < 0.1 * len(units)
    for r in result.rows:
        assert r["ci_low"] <= r["value"] <= r["ci_high"]
        outside = abs(r["z_adjusted"]) > 3.0902323
        assert (r["flag_99.8"] != "within") == outside
    assert np.isclose(
        result.target, sum(x for x, _ in month.values()) / sum(n for _, n in month.values())
    )
