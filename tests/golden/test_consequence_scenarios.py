"""Scenario tests: the default national policy on the four real 2025/26 quarters.

Each consequence must fire for exactly the organisations the policy's words pick out, and no
others. The expected holders are worked out here independently of the policy engine, straight
from NHS England's published values in the store (segments OF5000/OF5005, the override flag
OF5004, the finance domain segment OF4103, planned surplus/deficit OF0079) and from the likely
rank ranges (the engine's, which match the published Q4 ranges; see the golden league tests).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from oversight.engine.nof.inputs import available_quarters
from oversight.engine.nof.quarter import run_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks import Framework
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import PolicyOutcome, apply_policy

pytestmark = pytest.mark.golden

Facts = dict[str, dict[str, float | None]]  # quarter -> field -> value, for one organisation


@pytest.fixture(scope="module")
def results(national_store: object, framework: Framework) -> list[QuarterResult]:
    con = duckdb.connect(str(national_store), read_only=True)
    out = [run_quarter(con, framework, q) for q in available_quarters(con)]
    con.close()
    return out


@pytest.fixture(scope="module")
def policy(framework: Framework) -> Policy:
    return load_policy(None, framework)


@pytest.fixture(scope="module")
def outcome(policy: Policy, results: list[QuarterResult]) -> PolicyOutcome:
    return apply_policy(policy, results)


@pytest.fixture(scope="module")
def published(national_store: object, results: list[QuarterResult]) -> dict[str, Facts]:
    """Per organisation and quarter: the published values the rules are about."""
    con = duckdb.connect(str(national_store), read_only=True)
    rows = con.execute(
        "SELECT trust_code, quarter, metric_id, value FROM nof_value "
        "WHERE metric_id IN ('OF5000', 'OF5005', 'OF5004', 'OF4103', 'OF0079')"
    ).fetchall()
    con.close()
    out: dict[str, Facts] = {}
    for code, quarter, metric, value in rows:
        out.setdefault(code, {}).setdefault(quarter, {})[metric] = value
    for r in results:  # the likely rank range and the size of the trust type
        for o in r.orgs:
            facts = out[o.trust_code][r.quarter]
            facts["rank_low"] = o.rank_low
            facts["of"] = len(r.league_table(o.trust_type))
    return out


def _segment(f: dict[str, float | None]) -> float | None:
    final = f.get("OF5005")
    return final if final is not None else f.get("OF5000")


def _run_holds(
    facts: Facts,
    quarters: list[str],
    t: int,
    n: int,
    test: Callable[[dict[str, float | None]], bool],
) -> bool:
    """``test`` held in each of the ``n`` quarters ending at ``t``."""
    if t + 1 < n:
        return False
    return all(quarters[k] in facts and test(facts[quarters[k]]) for k in range(t - n + 1, t + 1))


def _overspend(f: dict[str, float | None]) -> float:
    value = f.get("OF0079")
    assert value is not None
    return -value


def expected(rule: str, facts: Facts, quarters: list[str], t: int) -> bool:
    q = quarters[t]
    if q not in facts:
        return False
    f = facts[q]
    seg = _segment(f)
    if rule == "earned_autonomy":  # two quarters in segment 1 with no deficit, kept while both
        return _run_holds(facts, quarters, t, 2, lambda g: _segment(g) == 1 and g["OF5004"] == 0)
    if rule == "capital_priority":
        return f["OF4103"] == 1 and f["OF5004"] == 0
    if rule == "improvement_support":
        return seg in (2, 3)
    if rule == "improvement_plan":
        return _run_holds(facts, quarters, t, 2, lambda g: _segment(g) == 4)
    if rule == "recovery_support":
        return seg == 5
    if rule in ("pay_uplift_withheld", "capital_flexibility_removed", "turnaround_team",
                "leadership_review"):  # fmt: skip
        return _run_holds(
            facts,
            quarters,
            t,
            3,
            lambda g: _segment(g) in (4, 5) and (g["rank_low"] or 0) > 0.5 * (g["of"] or 0),
        )
    closer = lambda g: 1.0 < _overspend(g) <= 2.0  # noqa: E731
    if rule == "deficit_closer_look":
        return closer(f)
    if rule == "deficit_intervention":
        return _overspend(f) > 2.0 or _run_holds(facts, quarters, t, 3, closer)
    raise AssertionError(f"no oracle for {rule}")


RULES = [
    "earned_autonomy",
    "capital_priority",
    "improvement_support",
    "improvement_plan",
    "recovery_support",
    "pay_uplift_withheld",
    "capital_flexibility_removed",
    "turnaround_team",
    "leadership_review",
    "deficit_closer_look",
    "deficit_intervention",
]


def test_the_oracle_covers_every_default_rule(policy: Policy) -> None:
    assert sorted(r.id for r in policy.rules) == sorted(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_each_consequence_fires_for_the_right_organisations_and_no_others(
    rule: str, outcome: PolicyOutcome, published: dict[str, Facts]
) -> None:
    fired_somewhere = False
    for t, quarter in enumerate(outcome.quarters):
        want = {c for c, facts in published.items() if expected(rule, facts, outcome.quarters, t)}
        got = outcome.holders(quarter, rule)
        assert got == want, f"{rule} in {quarter}: extra {got - want}, missing {want - got}"
        fired_somewhere |= bool(got)
    assert fired_somewhere, f"{rule} never fires on the real data: the scenario proves nothing"


def test_every_consequence_says_why_and_since_when(outcome: PolicyOutcome) -> None:
    for a in outcome.active:
        assert a.reason and a.evidence and a.consequences
        assert outcome.quarters.index(a.since) <= outcome.quarters.index(a.quarter)
        assert all(e.split(":")[0] in outcome.quarters for e in a.evidence)


def test_a_freedom_is_withdrawn_the_quarter_performance_dips(
    outcome: PolicyOutcome, published: dict[str, Facts]
) -> None:
    withdrawn = [
        e for e in outcome.events if e.rule == "earned_autonomy" and e.change == "withdrawn"
    ]
    assert withdrawn, "the real data has trusts that earn autonomy and then slip"
    for e in withdrawn:
        t = outcome.quarters.index(e.quarter)
        before, now = published[e.code][outcome.quarters[t - 1]], published[e.code][e.quarter]
        assert _segment(before) == 1 and before["OF5004"] == 0
        assert _segment(now) != 1 or now["OF5004"] == 1  # the dip, in the same quarter
        assert e.code not in outcome.holders(e.quarter, "earned_autonomy")


def test_zero_tolerance_needs_the_whole_likely_range_in_the_bottom_half(
    outcome: PolicyOutcome, published: dict[str, Facts]
) -> None:
    """Trusts in segment 4 for every quarter whose likely rank reached the top half in one of
    them are not called persistently failing: rank noise could explain their placing."""
    spared = [
        code
        for code, facts in published.items()
        if all(_segment(facts[q]) == 4 for q in outcome.quarters)
        and any(
            (facts[q]["rank_low"] or 0) <= 0.5 * (facts[q]["of"] or 0) for q in outcome.quarters
        )
    ]
    assert spared, "some segment-4 trusts have likely ranges reaching the top half"
    last = outcome.quarters[-1]
    for code in spared:
        assert code not in outcome.holders(last, "turnaround_team") or all(
            (published[code][q]["rank_low"] or 0) > 0.5 * (published[code][q]["of"] or 0)
            for q in outcome.quarters[-3:]
        )
