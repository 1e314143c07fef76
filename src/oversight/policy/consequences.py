"""Apply a policy to every organisation's history: what applies to whom, why, and since when.

Each rule runs as a small state machine per organisation, quarter by quarter. A consequence is
applied the first quarter its ``when`` holds; from then on it stays while ``keep_while`` holds
(``when`` if none is given) and is withdrawn (a freedom) or lifted (anything else) the first
quarter it does not. A rule outside its effective period applies to no one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from oversight.engine.nof.inputs import quarter_sort_key
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.policy_loader import policy_digest
from oversight.frameworks.policy_model import Policy, Rule
from oversight.policy.conditions import evidence, holds, window
from oversight.policy.standing import Standing, standings


@dataclass(frozen=True)
class Active:
    """A consequence in force for an organisation in a quarter."""

    quarter: str
    code: str
    name: str
    trust_type: str
    rule: str
    kind: str
    title: str
    consequences: tuple[str, ...]
    reason: str
    since: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """A consequence starting or ending."""

    quarter: str
    code: str
    name: str
    rule: str
    kind: str
    change: str  # "applied", "withdrawn" (freedoms) or "lifted"
    evidence: tuple[str, ...]


@dataclass
class PolicyOutcome:
    policy_id: str
    policy_version: str
    policy_digest: str
    quarters: list[str]
    active: list[Active] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    standings: dict[str, list[Standing | None]] = field(default_factory=dict)

    def in_force(self, quarter: str, code: str | None = None) -> list[Active]:
        return [a for a in self.active if a.quarter == quarter and (code is None or a.code == code)]

    def holders(self, quarter: str, rule: str) -> set[str]:
        return {a.code for a in self.active if a.quarter == quarter and a.rule == rule}


def in_effect(rule: Rule, quarter: str) -> bool:
    key = quarter_sort_key(quarter)
    if key < quarter_sort_key(rule.effective_from):
        return False
    return rule.effective_to is None or key <= quarter_sort_key(rule.effective_to)


def apply_policy(
    policy: Policy,
    results: Sequence[QuarterResult],
    turnover_gbp_m: Mapping[str, float] | None = None,
) -> PolicyOutcome:
    results = sorted(results, key=lambda r: quarter_sort_key(r.quarter))
    quarters = [r.quarter for r in results]
    by_org = standings(results, policy, turnover_gbp_m)
    outcome = PolicyOutcome(policy.id, policy.version, policy_digest(policy), quarters)
    for code in sorted(by_org):
        history: list[Standing | None] = [None] * len(quarters)
        for s in by_org[code]:
            history[quarters.index(s.quarter)] = s
        outcome.standings[code] = history
        for rule in policy.rules:
            _run_rule(policy, rule, history, quarters, outcome)
    return outcome


def _run_rule(
    policy: Policy,
    rule: Rule,
    history: list[Standing | None],
    quarters: list[str],
    outcome: PolicyOutcome,
) -> None:
    since: str | None = None
    known = next(s for s in history if s is not None)
    for t, quarter in enumerate(quarters):
        s = history[t]
        if s is not None:
            known = s
        condition = rule.when if since is None else (rule.keep_while or rule.when)
        now = in_effect(rule, quarter) and holds(policy, condition, history, t)
        facts = tuple(
            evidence(policy, h)
            for k in window(policy, condition, t)
            if (h := history[k]) is not None
        )
        if now and since is None:
            since = quarter
            outcome.events.append(
                Event(quarter, known.code, known.name, rule.id, rule.kind, "applied", facts)
            )
        elif not now and since is not None:
            since = None
            change = "withdrawn" if rule.kind == "freedom" else "lifted"
            outcome.events.append(
                Event(quarter, known.code, known.name, rule.id, rule.kind, change, facts)
            )
        if now and since is not None:
            outcome.active.append(
                Active(
                    quarter,
                    known.code,
                    known.name,
                    known.trust_type,
                    rule.id,
                    rule.kind,
                    rule.title,
                    tuple(rule.consequences),
                    " ".join(rule.reason.split()),
                    since,
                    facts,
                )
            )
