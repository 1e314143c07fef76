"""Payment by performance: the variable part of each contract a provider earns, and what the
money bought.

A share of each provider's contract (rising year by year, as the scheme declares) is at stake
each quarter. Attainment is 1 at metric score 1 and 0 at score 4, linear between, averaged with
the framework's metric weights over the scheme's metrics; earned = at stake x attainment.

"What the money bought" sets each provider's change in attainment between consecutive quarters
beside the money that was at stake for it. That is an association, not an effect: providers
improve and worsen for many reasons, and scores regress to the mean. An evaluation plan
(`oversight evaluate`) is how to estimate the effect of an incentive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_model import PaymentScheme
from oversight.policy.standing import Standing


@dataclass(frozen=True)
class Payment:
    quarter: str
    code: str
    name: str
    contract_quarter_gbp: float
    share: float
    at_stake_gbp: float
    attainment: float | None
    earned_gbp: float | None
    withheld_gbp: float | None
    metrics_used: int


@dataclass(frozen=True)
class Movement:
    code: str
    name: str
    from_quarter: str
    to_quarter: str
    at_stake_gbp: float
    attainment_change: float
    earned_change_gbp: float
    attainment_points_per_million: float | None  # attainment change (x100) per £1m at stake


def financial_year(quarter: str) -> str:
    return quarter.partition(" ")[2]


def share_for(scheme: PaymentScheme, quarter: str) -> float:
    year = financial_year(quarter)
    if year not in scheme.performance_share_by_year:
        raise UserError(
            f"The payment scheme has no performance-linked share for {year}",
            [
                Problem(
                    f"add {year!r} (years given: {', '.join(scheme.performance_share_by_year)})",
                    field="payments.performance_share_by_year",
                )
            ],
        )
    return scheme.performance_share_by_year[year]


def attainment(
    scheme: PaymentScheme, framework: Framework, s: Standing
) -> tuple[float | None, int]:
    ids = {m.id for m in framework.metrics} if scheme.metrics == "all" else set(scheme.metrics)
    weights = {m.id: m.weight for m in framework.metrics if m.id in ids and m.in_average}
    got = [(weights[m], (4.0 - v) / 3.0) for m, v in s.metric_scores.items() if m in weights]
    total = sum(w for w, _ in got)
    if not got or total == 0:
        return None, 0
    return sum(w * a for w, a in got) / total, len(got)


def payments(
    scheme: PaymentScheme,
    framework: Framework,
    standings: Sequence[Standing],
    contract_gbp: Mapping[str, float] | float,
) -> list[Payment]:
    out = []
    for s in standings:
        annual = contract_gbp if isinstance(contract_gbp, float | int) else contract_gbp.get(s.code)
        if annual is None:
            continue
        share = share_for(scheme, s.quarter)
        contract_q = float(annual) / 4
        stake = contract_q * share
        att, used = attainment(scheme, framework, s)
        earned = None if att is None else round(stake * att, 2)
        out.append(
            Payment(
                s.quarter,
                s.code,
                s.name,
                contract_q,
                share,
                round(stake, 2),
                att,
                earned,
                None if earned is None else round(stake - earned, 2),
                used,
            )
        )
    return out


def movements(before: Sequence[Payment], after: Sequence[Payment]) -> list[Movement]:
    """Change between two quarters for providers paid in both."""
    prev = {p.code: p for p in before}
    out = []
    for p in after:
        q = prev.get(p.code)
        if q is None or p.attainment is None or q.attainment is None:
            continue
        change = p.attainment - q.attainment
        per_m = 100 * change / (q.at_stake_gbp / 1e6) if q.at_stake_gbp else None
        out.append(
            Movement(
                p.code,
                p.name,
                q.quarter,
                p.quarter,
                q.at_stake_gbp,
                change,
                (p.earned_gbp or 0.0) - (q.earned_gbp or 0.0),
                per_m,
            )
        )
    return out
