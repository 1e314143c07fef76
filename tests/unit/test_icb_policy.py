"""The ICB policy on a constructed multi-quarter case: the best ICBs earn freedoms and capital,
the middle get support, persistent segment 4 meets intervention, segment 5 only from its flag."""

from __future__ import annotations

import pytest

from oversight.engine.nof.inputs import Published
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.loader import load_framework
from oversight.policy.consequences import apply_policy
from oversight.policy.run import capital_report
from oversight.service.icb_policy import icb_policy
from oversight.service.metric_values import MetricValueRow
from oversight.service.public_scoring import Unit, quarter_data

FW = load_framework("icb-2026-27")
QUARTERS = ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
UNITS = [Unit(f"Q{i:02d}", f"ICB {i}", "Region", "icb") for i in range(1, 43)]
SCORED = [m for m in FW.metrics if m.in_average]


def _values(order: list[str]) -> list[MetricValueRow]:
    """Every metric ranks the ICBs in ``order`` (best first)."""
    rows = []
    for m in SCORED:
        for pos, code in enumerate(order):
            value = 100.0 - pos if m.polarity == "higher_is_better" else float(pos)
            rows.append(
                MetricValueRow(code, code, m.raw_id or "", value, None, None, "", "t", True)
            )
    return rows


def _result(quarter: str, order: list[str], support: set[str] = frozenset()) -> QuarterResult:  # type: ignore[assignment]
    data = quarter_data(quarter, UNITS, _values(order))
    for line, code in enumerate(sorted(support), start=1):
        data.rows[(FW.intensive_support.flag_id, code)] = Published(
            1.0, None, None, None, None, "constructed", line
        )
    return compute_quarter(FW, data, RangeOptions(replicates=200, seed=1, method="monte_carlo"))


def _orders() -> list[list[str]]:
    codes = [u.code for u in UNITS]
    dipped = [codes[1], codes[2], *codes[3:20], codes[0], *codes[20:]]  # Q01 falls mid-table
    return [codes, codes, codes, dipped]


@pytest.fixture(scope="module")
def results() -> list[QuarterResult]:
    return [_result(q, o) for q, o in zip(QUARTERS, _orders(), strict=True)]


def _rules(outcome, quarter: str, code: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.rule for a in outcome.in_force(quarter, code)}


def test_segments_of_the_constructed_case(results: list[QuarterResult]) -> None:
    first = {o.trust_code: o for o in results[0].orgs}
    assert first["Q01"].average_score == 1.0 and first["Q01"].segment == 1
    assert first["Q42"].average_score == 4.0 and first["Q42"].segment == 4
    assert all(o.segment_final == o.segment for o in results[0].orgs)  # no flag, no segment 5


def test_best_icbs_earn_freedoms_and_capital(results: list[QuarterResult]) -> None:
    policy = icb_policy()
    outcome = apply_policy(policy, results)
    assert "icb_capital_priority" in _rules(outcome, "Q1 2025/26", "Q01")
    assert "icb_earned_autonomy" not in _rules(outcome, "Q1 2025/26", "Q01")  # 1 quarter only
    assert "icb_earned_autonomy" in _rules(outcome, "Q2 2025/26", "Q01")
    assert "icb_earned_autonomy" in _rules(outcome, "Q3 2025/26", "Q01")
    assert "icb_earned_autonomy" not in _rules(outcome, "Q4 2025/26", "Q01")  # dipped: withdrawn
    report = capital_report(outcome, policy, "Q2 2025/26", 42e6)
    share = {r["trust_code"]: r for r in report.rows}
    assert share["Q01"]["share_gbp"] > share["Q01"]["equal_share_gbp"]
    assert share["Q42"]["share_gbp"] < share["Q42"]["equal_share_gbp"]
    assert sum(r["share_gbp"] for r in report.rows) == pytest.approx(42e6)
    middle = {o.trust_code: o.segment for o in results[0].orgs}
    mid = next(c for c, s in middle.items() if s in (2, 3))
    assert "icb_improvement_support" in _rules(outcome, "Q1 2025/26", mid)


def test_persistent_segment_4_meets_intervention(results: list[QuarterResult]) -> None:
    outcome = apply_policy(icb_policy(), results)
    assert "icb_improvement_plan" not in _rules(outcome, "Q1 2025/26", "Q42")
    assert "icb_improvement_plan" in _rules(outcome, "Q2 2025/26", "Q42")
    assert "icb_intervention" not in _rules(outcome, "Q2 2025/26", "Q42")
    q3 = _rules(outcome, "Q3 2025/26", "Q42")
    assert {"icb_intervention", "icb_capital_flexibility_removed"} <= q3
    assert "icb_intervention" not in _rules(outcome, "Q3 2025/26", "Q01")


def test_segment_5_only_from_the_recovery_support_flag() -> None:
    codes = [u.code for u in UNITS]
    result = _result("Q1 2025/26", codes, support={"Q30"})
    flagged = next(o for o in result.orgs if o.trust_code == "Q30")
    assert flagged.segment_final == 5 and flagged.segment in (3, 4)
    outcome = apply_policy(icb_policy(), [result])
    assert "icb_recovery_support" in _rules(outcome, "Q1 2025/26", "Q30")
    assert "icb_recovery_support" not in _rules(outcome, "Q1 2025/26", "Q31")
