"""The organisation record's "Consequences" section: what the national policy attaches to the
results, why and since when (see docs/policy.md). Registered with the record's sections."""

from __future__ import annotations

import threading
from collections import OrderedDict

from oversight.api.models import Section
from oversight.api.sections import register
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import PolicyOutcome, apply_policy

_LOCK = threading.Lock()


_POLICIES: dict[str, Policy] = {}


def _policy(result: QuarterResult, framework: Framework) -> Policy:
    """The national policy checked against the result's framework, once per framework digest
    (the policy names only declared metrics, which every quarter's framework has)."""
    with _LOCK:
        hit = _POLICIES.get(result.framework_digest)
    if hit is None:
        hit = load_policy(None, framework)
        with _LOCK:
            _POLICIES[result.framework_digest] = hit
    return hit


_OUTCOMES: OrderedDict[tuple[int, ...], tuple[list[QuarterResult], PolicyOutcome]] = OrderedDict()


def _outcome(policy: Policy, history: list[QuarterResult]) -> PolicyOutcome:
    """The policy over a history, once per history (0.1 s each; every organisation of a
    quarter shares it). Keyed by the results' identities, which the entry keeps alive."""
    key = (id(policy), *(id(r) for r in history))
    with _LOCK:
        hit = _OUTCOMES.get(key)
        if hit is not None:
            return hit[1]
    outcome = apply_policy(policy, history)
    with _LOCK:
        _OUTCOMES[key] = (list(history), outcome)
        while len(_OUTCOMES) > 8:
            _OUTCOMES.popitem(last=False)
    return outcome


def consequences_section(
    org: OrgResult, result: QuarterResult, history: list[QuarterResult]
) -> Section | None:
    if result.framework is None:
        return None
    policy = _policy(result, result.framework)
    # a rule at a quarter reads only that quarter and earlier ones, so later quarters in the
    # history change nothing here
    outcome = _outcome(policy, history)
    active = outcome.in_force(result.quarter, org.trust_code)
    rows = [
        {
            "modelled consequence": a.title,
            "kind": a.kind,
            "since": a.since,
            "why": a.reason,
            "what happens": "; ".join(a.consequences),
        }
        for a in active
    ]
    summary = (
        f"Modelled: what would follow under Oversight's policy model {policy.name}, "
        "not a decision anyone has taken: "
        + (f"{len(rows)} consequence(s)." if rows else "no consequence.")
    )
    return Section(
        id="consequences",
        title="Modelled consequences",
        summary=summary,
        columns=["modelled consequence", "kind", "since", "why", "what happens"],
        rows=rows,  # type: ignore[arg-type]
    )


register(consequences_section)
