"""The organisation record's "Consequences" section: what the national policy attaches to the
results, why and since when (see docs/policy.md). Registered with the record's sections."""

from __future__ import annotations

from functools import lru_cache

from oversight.api.models import Section
from oversight.api.sections import register
from oversight.engine.results import OrgResult, QuarterResult
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import apply_policy


@lru_cache(maxsize=4)
def _policy(framework_json: str) -> Policy:
    return load_policy(None, Framework.model_validate_json(framework_json))


def consequences_section(
    org: OrgResult, result: QuarterResult, history: list[QuarterResult]
) -> Section | None:
    if result.framework is None:
        return None
    policy = _policy(result.framework.model_dump_json())
    # a rule at a quarter reads only that quarter and earlier ones, so later quarters in the
    # history change nothing here
    outcome = apply_policy(policy, history)
    active = outcome.in_force(result.quarter, org.trust_code)
    rows = [
        {
            "consequence": a.title,
            "kind": a.kind,
            "since": a.since,
            "why": a.reason,
            "what happens": "; ".join(a.consequences),
        }
        for a in active
    ]
    summary = f"Under {policy.name} ({policy.id} {policy.version}): " + (
        f"{len(rows)} consequence(s) in force." if rows else "no consequence in force."
    )
    return Section(
        id="consequences",
        title="Consequences",
        summary=summary,
        columns=["consequence", "kind", "since", "why", "what happens"],
        rows=rows,  # type: ignore[arg-type]
    )


register(consequences_section)
