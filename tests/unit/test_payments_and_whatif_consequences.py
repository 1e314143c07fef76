"""Payment by performance, and the consequences a what-if would bring, on the real 2025/26 data."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from oversight.engine.nof.inputs import load_quarter
from oversight.engine.nof.quarter import RangeOptions
from oversight.engine.nof.whatif import Change, what_if
from oversight.errors import UserError
from oversight.frameworks import Framework
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import PaymentScheme
from oversight.policy.payments import attainment, payments, share_for
from oversight.policy.run import consequences_of, payment_report, policy_outcome, standings_in

Q3, Q4 = "Q3 2025/26", "Q4 2025/26"
FAST = RangeOptions(skip=True)


def test_attainment_is_one_at_score_1_and_zero_at_score_4(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    policy = load_policy(None, framework)
    s = standings_in(policy_outcome(store, framework, policy, FAST), Q4)[0]
    best = dataclasses.replace(s, metric_scores={k: 1.0 for k in s.metric_scores})
    worst = dataclasses.replace(s, metric_scores={k: 4.0 for k in s.metric_scores})
    mid = dataclasses.replace(s, metric_scores={k: 2.5 for k in s.metric_scores})
    assert attainment(policy.payments, framework, best)[0] == 1.0
    assert attainment(policy.payments, framework, worst)[0] == 0.0
    assert attainment(policy.payments, framework, mid)[0] == pytest.approx(0.5)


def test_earned_plus_withheld_is_what_was_at_stake(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    policy = load_policy(None, framework)
    outcome = policy_outcome(store, framework, policy, FAST)
    paid = payments(policy.payments, framework, standings_in(outcome, Q4), 300e6)
    assert len(paid) == 61
    for p in paid:
        assert p.share == 0.02 and p.at_stake_gbp == 300e6 / 4 * 0.02
        assert p.earned_gbp is not None and p.withheld_gbp is not None
        assert p.earned_gbp + p.withheld_gbp == pytest.approx(p.at_stake_gbp, abs=0.005)
        assert 0 <= p.earned_gbp <= p.at_stake_gbp


def test_the_share_rises_by_year_and_a_missing_year_is_named() -> None:
    scheme = PaymentScheme(
        description="", performance_share_by_year={"2025/26": 0.02, "2026/27": 0.05}
    )
    assert share_for(scheme, "Q1 2026/27") > share_for(scheme, "Q4 2025/26")
    with pytest.raises(UserError) as err:
        share_for(scheme, "Q1 2027/28")
    assert err.value.problems[0].field == "payments.performance_share_by_year"


def test_what_the_money_bought_compares_the_same_providers(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    policy = load_policy(None, framework)
    outcome = policy_outcome(store, framework, policy, FAST)
    report = payment_report(outcome, policy, framework, Q4, 300e6)
    before = {p.code: p for p in payment_report(outcome, policy, framework, Q3, 300e6).payments}
    assert report.summary["providers_compared"] == len(report.movements) == 61
    for m in report.movements:
        now = next(p for p in report.payments if p.code == m.code)
        assert now.attainment is not None and before[m.code].attainment is not None
        assert m.attainment_change == pytest.approx(now.attainment - before[m.code].attainment)


def test_a_what_if_with_no_change_keeps_the_consequences(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    policy = load_policy(None, framework)
    stored = policy_outcome(store, framework, policy)
    data = load_quarter(store, Q4)
    for code in ("RX2", "RYY", "RHA"):
        value = data.value("OF0061", code)
        assert value is not None
        result = what_if(framework, data, code, [Change("OF0061", value)])
        got = consequences_of(store, framework, policy, result.result, code)
        assert got == stored.in_force(Q4, code)


def test_a_what_if_deficit_takes_away_earned_autonomy(
    store: duckdb.DuckDBPyConnection, framework: Framework
) -> None:
    """RY4 was in segment 1 with no deficit in Q3 and Q4, so it earned autonomy in Q4. Had it
    been flagged in deficit in Q4, the override would hold it at segment 3: no autonomy, and
    support for the middle instead."""
    policy = load_policy(None, framework)
    data = load_quarter(store, Q4)
    result = what_if(framework, data, "RY4", [Change("deficit", 1)])
    before = consequences_of(store, framework, policy, result.before_result, "RY4")
    after = consequences_of(store, framework, policy, result.result, "RY4")
    assert result.before.segment == 1 and result.after.segment == 3
    assert "earned_autonomy" in {a.rule for a in before}
    assert "earned_autonomy" not in {a.rule for a in after}
    assert "improvement_support" in {a.rule for a in after}
