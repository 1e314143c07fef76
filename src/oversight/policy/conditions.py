"""Whether a rule's condition holds for an organisation at a quarter, and the evidence for it.

An organisation's history is a list aligned with the stored quarters (``None`` where it was not
assessed), so "for N consecutive quarters" means N adjacent stored quarters, never N quarters
with a gap between them.
"""

from __future__ import annotations

from collections.abc import Sequence

from oversight.frameworks.policy_model import Condition, Policy
from oversight.policy.deficit import place
from oversight.policy.standing import Standing

History = Sequence[Standing | None]


def holds(policy: Policy, cond: Condition, history: History, t: int) -> bool:
    n = cond.for_quarters or 1
    if t + 1 < n:
        return False
    return all(_clauses_hold(policy, cond, history, k) for k in range(t - n + 1, t + 1))


def window(policy: Policy, cond: Condition, t: int) -> range:
    """The quarters a condition looked at when judged at ``t`` (for the evidence)."""
    return range(max(0, t - _depth(policy, cond) + 1), t + 1)


def _depth(policy: Policy, cond: Condition) -> int:
    nested = [policy.conditions[cond.condition]] if cond.condition is not None else []
    nested += cond.any_of or []
    return (cond.for_quarters or 1) + max((_depth(policy, c) - 1 for c in nested), default=0)


def deficit_band(policy: Policy, s: Standing) -> str | None:
    placed = place(policy.deficit_ladder, s.overspend_gbp_m, s.overspend_percent)
    return placed.band if placed else None


def _clauses_hold(policy: Policy, cond: Condition, history: History, k: int) -> bool:
    s = history[k]
    if s is None:
        return False
    checks: list[bool] = []
    if cond.condition is not None:
        checks.append(holds(policy, policy.conditions[cond.condition], history, k))
    if cond.segment_in is not None:
        checks.append(s.effective_segment in cond.segment_in)
    if cond.sure is not None:
        checks.append(s.sure == cond.sure)
    if cond.likely_rank_in_bottom is not None:
        # every rank in the likely range is beyond the top (1 - fraction) of the type
        low = s.rank_low
        checks.append(low is not None and low > (1 - cond.likely_rank_in_bottom) * s.of)
    if cond.likely_rank_in_top is not None:
        high = s.rank_high
        checks.append(high is not None and high <= cond.likely_rank_in_top * s.of)
    if cond.financial_deficit is not None:
        checks.append(s.in_financial_deficit == cond.financial_deficit)
    if cond.deficit_band_in is not None:
        checks.append(deficit_band(policy, s) in cond.deficit_band_in)
    for domain, segments in (cond.domain_segment_in or {}).items():
        checks.append(s.domain_segments.get(domain) in segments)
    for metric, most in (cond.metric_score_at_most or {}).items():
        score = s.metric_scores.get(metric)
        checks.append(score is not None and score <= most)
    for metric, least in (cond.metric_score_at_least or {}).items():
        score = s.metric_scores.get(metric)
        checks.append(score is not None and score >= least)
    if cond.any_of is not None:
        checks.append(any(holds(policy, sub, history, k) for sub in cond.any_of))
    return all(checks)


def evidence(policy: Policy, s: Standing) -> str:
    """One quarter's facts, as a rule reader needs them."""
    seg = s.effective_segment
    parts = [f"{s.quarter}: segment {seg}"]
    if s.rank is not None:
        rng = f", likely {s.rank_low}–{s.rank_high}" if s.rank_low is not None else ""
        block = " (all within its segment's rank block)" if s.sure else ""
        parts.append(f"rank {s.rank} of {s.of}{rng}{block}")
    if s.in_financial_deficit:
        parts.append("financial override")
    placed = place(policy.deficit_ladder, s.overspend_gbp_m, s.overspend_percent)
    if placed is not None and placed.overspend > 0:
        unit = "£m" if placed.basis == "gbp_m" else "% of turnover"
        parts.append(f"overspend {placed.overspend:.2f} {unit} ({placed.band})")
    fin = s.domain_segments.get(policy.capital.finance_domain)
    if fin is not None:
        parts.append(f"finance segment {fin}")
    return ", ".join(parts)
