"""Consequences, capital and payments for ICBs: the ICB policy (policy-icb-2026-27.yaml) applied
to the modelled ICB results of every quarter of the ICB framework that has values."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.loader import load_framework
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import PolicyOutcome, apply_policy
from oversight.service.icb_values import ICB_FRAMEWORK, icb_quarter
from oversight.store.schema import Connection

ICB_POLICY = "policy-icb-2026-27.yaml"


def icb_policy(source: str | Path | None = None, framework: Framework | None = None) -> Policy:
    """The bundled ICB policy, or a file (which may ``extends: policy-icb-2026-27.yaml`` when
    it sits beside a copy of it)."""
    path = (
        Path(source)
        if source
        else Path(str(resources.files("oversight.frameworks") / "definitions" / ICB_POLICY))
    )
    return load_policy(path, framework or load_framework(ICB_FRAMEWORK))


def icb_results(con: Connection, framework: Framework | None = None) -> list[QuarterResult]:
    """The ICB results of every quarter of the framework in which any ICB has a segment."""
    fw = framework or load_framework(ICB_FRAMEWORK)
    out = []
    for q in fw.quarters:
        result = icb_quarter(con, q, fw).result
        if any(o.segment is not None for o in result.orgs):
            out.append(result)
    return out


def icb_outcome(
    con: Connection, policy: Policy | None = None, framework: Framework | None = None
) -> PolicyOutcome:
    fw = framework or load_framework(ICB_FRAMEWORK)
    return apply_policy(policy or icb_policy(None, fw), icb_results(con, fw))
