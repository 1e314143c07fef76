"""The policy's Python API: consequences, capital and payments from the stored results.

from oversight.policy.run import policy_outcome, capital_report, payment_report
outcome = policy_outcome(con, framework, policy)
outcome.in_force("Q4 2025/26", "RWR")
capital_report(outcome, policy, "Q4 2025/26", 250e6).rows
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from oversight.engine.nof.inputs import available_quarters
from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.engine.nof.whatif import WhatIf
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_model import Policy
from oversight.policy.capital import allocate
from oversight.policy.consequences import Active, PolicyOutcome, apply_policy
from oversight.policy.payments import Movement, Payment, movements, payments
from oversight.policy.standing import Standing
from oversight.store.schema import Connection


def stored_results(
    con: Connection,
    framework: Framework,
    options: RangeOptions | None = None,
    replace: QuarterResult | None = None,
) -> list[QuarterResult]:
    """Every stored quarter's result, one of them swapped for a what-if result if given."""
    out = []
    for quarter in available_quarters(con):
        if replace is not None and replace.quarter == quarter:
            out.append(replace)
        else:
            out.append(run_quarter(con, framework, quarter, options))
    return out


def policy_outcome(
    con: Connection,
    framework: Framework,
    policy: Policy,
    options: RangeOptions | None = None,
    turnover_gbp_m: Mapping[str, float] | None = None,
    replace: QuarterResult | None = None,
) -> PolicyOutcome:
    return apply_policy(policy, stored_results(con, framework, options, replace), turnover_gbp_m)


def consequences_of(
    con: Connection,
    framework: Framework,
    policy: Policy,
    result: QuarterResult,
    code: str,
    options: RangeOptions | None = None,
) -> list[Active]:
    """What would be in force for one organisation if ``result`` were its quarter's result
    (a what-if), every other quarter as stored: history and persistence included."""
    outcome = policy_outcome(con, framework, policy, options, replace=result)
    return outcome.in_force(result.quarter, code)


def whatif_consequences(
    con: Connection,
    framework: Framework,
    policy: Policy,
    change: WhatIf,
    options: RangeOptions | None = None,
) -> tuple[list[Active], list[Active]]:
    """Consequences in force before and after a what-if, every other quarter as stored (each
    computed once and shared by both runs of the policy)."""
    before = stored_results(con, framework, options, replace=change.before_result)
    after = [change.result if r.quarter == change.result.quarter else r for r in before]
    q = change.result.quarter
    return (
        apply_policy(policy, before).in_force(q, change.code),
        apply_policy(policy, after).in_force(q, change.code),
    )


def standings_in(
    outcome: PolicyOutcome, quarter: str, trust_type: str | None = None
) -> list[Standing]:
    if quarter not in outcome.quarters:
        raise UserError(
            f"No results for {quarter}", [Problem(f"quarters: {', '.join(outcome.quarters)}")]
        )
    t = outcome.quarters.index(quarter)
    found = [h[t] for h in outcome.standings.values() if h[t] is not None]
    return [
        s for s in found if s is not None and (trust_type is None or s.trust_type == trust_type)
    ]


def previous_quarter(outcome: PolicyOutcome, quarter: str) -> str | None:
    t = outcome.quarters.index(quarter)
    return outcome.quarters[t - 1] if t > 0 else None


@dataclass
class CapitalReport:
    quarter: str
    previous_quarter: str | None
    envelope_gbp: float
    policy_digest: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def capital_report(
    outcome: PolicyOutcome,
    policy: Policy,
    quarter: str,
    envelope_gbp: float,
    trust_type: str | None = None,
) -> CapitalReport:
    """Each organisation's share, the equal share, and the change on last quarter's split of
    the same envelope (among the organisations assessed then)."""
    now = allocate(policy.capital, envelope_gbp, standings_in(outcome, quarter, trust_type))
    prev_q = previous_quarter(outcome, quarter)
    before = (
        {
            a.code: a.pence
            for a in allocate(
                policy.capital, envelope_gbp, standings_in(outcome, prev_q, trust_type)
            )
        }
        if prev_q
        else {}
    )
    report = CapitalReport(quarter, prev_q, envelope_gbp, outcome.policy_digest)
    for a in now:
        prev = before.get(a.code)
        report.rows.append(
            {
                "quarter": quarter,
                "trust_code": a.code,
                "trust_name": a.name,
                "segment": a.segment,
                "finance_segment": a.finance_segment,
                "weight": round(a.weight, 4),
                "share_gbp": a.pence / 100,
                "equal_share_gbp": round(float(a.equal_pence) / 100, 2),
                "vs_equal_gbp": round((a.pence - float(a.equal_pence)) / 100, 2),
                "limited_by": a.limited,
                "previous_share_gbp": None if prev is None else prev / 100,
                "change_gbp": None if prev is None else (a.pence - prev) / 100,
            }
        )
    return report


@dataclass
class PaymentReport:
    quarter: str
    previous_quarter: str | None
    payments: list[Payment]
    movements: list[Movement]
    summary: dict[str, Any]

    def rows(self) -> list[dict[str, Any]]:
        return [asdict(p) for p in self.payments]


def payment_report(
    outcome: PolicyOutcome,
    policy: Policy,
    framework: Framework,
    quarter: str,
    contract_gbp: Mapping[str, float] | float,
) -> PaymentReport:
    scheme = policy.payments
    now = payments(scheme, framework, standings_in(outcome, quarter), contract_gbp)
    prev_q = previous_quarter(outcome, quarter)
    before = (
        payments(scheme, framework, standings_in(outcome, prev_q), contract_gbp) if prev_q else []
    )
    moved = movements(before, now)
    stake = sum(p.at_stake_gbp for p in now)
    earned = sum(p.earned_gbp or 0.0 for p in now)
    stake_before = sum(m.at_stake_gbp for m in moved)
    gained = sum(m.attainment_change for m in moved)
    summary = {
        "quarter": quarter,
        "providers": len(now),
        "at_stake_gbp": round(stake, 2),
        "earned_gbp": round(earned, 2),
        "withheld_gbp": round(stake - earned, 2),
        "previous_quarter": prev_q,
        "providers_compared": len(moved),
        "improved": sum(m.attainment_change > 0 for m in moved),
        "worsened": sum(m.attainment_change < 0 for m in moved),
        "mean_attainment_change_points": round(100 * gained / len(moved), 3) if moved else None,
        "attainment_points_per_million_at_stake": (
            round(100 * gained / (stake_before / 1e6), 4) if stake_before else None
        ),
        "caution": (
            "association, not effect: scores also move by chance and regress to the mean; "
            "use an evaluation plan to estimate what the incentive caused"
        ),
    }
    return PaymentReport(quarter, prev_q, now, moved, summary)
