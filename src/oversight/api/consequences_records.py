"""Consequences in force in a quarter under the national policy (docs/policy.md), for the API
and the dashboard, from ``service.policy`` (the policy on the site's cached engine results, as
the CLI's `oversight consequences` gets it)."""

from __future__ import annotations

from pydantic import BaseModel

from oversight.frameworks.policy_loader import load_policy
from oversight.policy.consequences import PolicyOutcome
from oversight.service import policy as policy_service
from oversight.service.site import Site

MODELLED = (
    "Modelled: what would follow under Oversight's national policy model "
    "(policy-national-2025-26.yaml), applied to the published results. Not a decision NHS "
    "England or anyone else has taken."
)
STATUS = "would follow under the Oversight national policy model"


class ConsequenceRow(BaseModel):
    modelled: bool = True
    status: str = STATUS
    trust_code: str
    trust_name: str
    trust_type: str
    consequence: str
    kind: str
    rule: str
    since: str
    why: str
    what_happens: str


class Consequences(BaseModel):
    modelled: bool = True
    note: str = MODELLED
    quarter: str
    policy: str
    policy_digest: str
    quarters: list[str]
    organisations: int
    by_kind: dict[str, int]
    rows: list[ConsequenceRow]


def outcome(site: Site) -> PolicyOutcome:
    return policy_service.outcome(site, load_policy(None, site.framework))


def consequences(site: Site, quarter: str | None) -> Consequences:
    q = site.quarter(quarter)
    out = outcome(site)
    policy = load_policy(None, site.framework)
    rows = [
        ConsequenceRow(
            trust_code=a.code,
            trust_name=a.name,
            trust_type=a.trust_type,
            consequence=a.title,
            kind=a.kind,
            rule=a.rule,
            since=a.since,
            why=a.reason,
            what_happens="; ".join(a.consequences),
        )
        for a in sorted(out.in_force(q), key=lambda a: (a.kind, a.title, a.name))
    ]
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    return Consequences(
        quarter=q,
        policy=f"{policy.name} ({policy.id} {policy.version})",
        policy_digest=out.policy_digest,
        quarters=out.quarters,
        organisations=len({r.trust_code for r in rows}),
        by_kind=kinds,
        rows=rows,
    )
