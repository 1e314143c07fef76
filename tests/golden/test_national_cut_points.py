"""Golden: national cut-points drawn across trust types, against NHS England's Q3 2025/26 values.

With only the mental health and community file bundled, every cut-point the engine uses is
*inferred* from that file's published segments, so the segment matches in
``test_mental_health_community.py`` hold by construction. This test is the one that can fail: it
*derives* the cut-points as the framework declares (linear quartiles of the average scores of
every trust type) from 191 of the ~205 trusts NHS England published for Q3 2025/26 (61 mental
health and community trusts from the bundled file, 129 acute and 1 ambulance trust from the
reference extract), then segments every trust with them and the financial override, and compares
with the published segment.

Tolerance: exact. The 14 trusts missing from the extract shift the quartiles by at most one
position each; on these data every quantile method gives the same cut-points (2.09, 2.36, 2.71),
so the test also pins which side of a cut-point an average equal to it falls: the worse segment
(``boundary: lower``, 191 of 191 agree) and not the better (``upper``, 187 of 191: R0A at 2.36 and
RF4, RL4, RWE at 2.71 would be placed one segment too high).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from oversight.engine.nof.segments import apply_override, derive, segments_of
from oversight.frameworks import Framework
from tests.conftest import MH_DATA

pytestmark = pytest.mark.golden

REFERENCE = (
    Path(__file__).parents[2]
    / "data/nhs/nof/2025-26/reference/acute-ambulance-q3-25-26-published-values.csv"
)
Q3 = "Q3 2025/26"


def _population() -> list[tuple[str, float, int, bool]]:
    """(code, published average, published segment after override, in deficit) for Q3."""
    by_code: dict[str, dict[str, str]] = {}
    with MH_DATA.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["Quarter"].strip() == Q3 and row["Metric_ID"] in {"OF5002", "OF5000", "OF5004"}:
                by_code.setdefault(row["Trust_code"], {})[row["Metric_ID"]] = row["Value"]
    rows = [
        (code, float(v["OF5002"]), int(float(v["OF5000"])), float(v["OF5004"]) == 1.0)
        for code, v in by_code.items()
    ]
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append(
                (
                    r["Trust_code"],
                    float(r["Average_score"]),
                    int(r["Segment"]),
                    r["Trust_in_financial_deficit"] == "Yes",
                )
            )
    return rows


def _agreement(framework: Framework, boundary: str) -> tuple[int, list[str], tuple[float, ...]]:
    pop = _population()
    rule = framework.segmentation
    cuts = derive([a for _, a, _, _ in pop], rule, Q3)
    segments = segments_of(np.array([a for _, a, _, _ in pop]), cuts.values, boundary)
    floor = framework.financial_override.floor_segment
    wrong = [
        f"{code} {avg:.2f}: published {seg}, derived {int(s)}"
        for (code, avg, seg, deficit), s in zip(pop, segments, strict=True)
        if apply_override(int(s), deficit, floor) != seg
    ]
    return len(pop), wrong, cuts.values


def test_population_is_191_trusts_of_three_types() -> None:
    pop = _population()
    assert len(pop) == 191
    assert len({code for code, *_ in pop}) == 191


def test_derived_national_cut_points_reproduce_every_published_segment(
    framework: Framework,
) -> None:
    n, wrong, cuts = _agreement(framework, framework.segmentation.boundary)
    print(f"\nderived cut-points {cuts}; {n - len(wrong)}/{n} published Q3 segments reproduced")
    assert cuts == pytest.approx((2.09, 2.36, 2.71), abs=1e-9)
    assert wrong == []


def test_the_other_boundary_rule_fails_on_four_trusts(framework: Framework) -> None:
    other = "upper" if framework.segmentation.boundary == "lower" else "lower"
    n, wrong, _ = _agreement(framework, other)
    print(f"\nboundary {other!r}: {n - len(wrong)}/{n}; {wrong}")
    assert len(wrong) == 4
