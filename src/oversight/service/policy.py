"""Consequences, capital and payments: a policy applied to the site's cached quarter results.

The CLI (`oversight consequences`, `capital`, `payments`) and the API/dashboard both ask for a
policy's outcome over every stored quarter; both get it here, from the results the site
already holds (each quarter computed once), instead of re-running the engine per face.
"""

from __future__ import annotations

from collections.abc import Mapping

from oversight.frameworks.policy_loader import policy_digest
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import PolicyOutcome, apply_policy
from oversight.service.site import Site


def outcome(
    site: Site, policy: Policy, turnover_gbp_m: Mapping[str, float] | None = None
) -> PolicyOutcome:
    """The policy over every stored quarter; memoised per policy when no turnover is given."""
    if turnover_gbp_m is not None:  # an analyst's file: not worth keeping
        return apply_policy(policy, site.all_results(), turnover_gbp_m)
    return site.memo(
        ("policy-outcome", site.digest, policy_digest(policy)),
        lambda: apply_policy(policy, site.all_results()),
    )
