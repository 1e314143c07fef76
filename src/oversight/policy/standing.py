"""What a policy reads about one organisation in one quarter, taken from the engine's results.

Everything a rule may test is here, so a rule never reaches back into the engine: the segment
(and 5 for intensive support), whether the segment is sure, the override flag, domain segments,
metric scores, and the overspend in £m (when turnover is known) and as % of turnover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oversight.engine.nof.history import segment_sure
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.policy_model import Policy


@dataclass(frozen=True)
class Standing:
    quarter: str
    code: str
    name: str
    trust_type: str
    segment: int | None  # after the financial override
    segment_final: int | None  # 5 for intensive support, else ``segment``
    sure: bool
    in_financial_deficit: bool
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    of: int
    average_score: float | None
    domain_segments: Mapping[str, int | None]
    metric_scores: Mapping[str, float]
    overspend_percent: float | None  # of turnover; negative = surplus
    overspend_gbp_m: float | None  # only when turnover is known

    @property
    def effective_segment(self) -> int | None:
        """The segment rules test: 5 where the organisation is in intensive support."""
        return self.segment_final if self.segment_final is not None else self.segment


def standing_of(
    result: QuarterResult,
    org: OrgResult,
    policy: Policy,
    turnover_gbp_m: Mapping[str, float] | None = None,
) -> Standing:
    sure = segment_sure(result, org)
    measure = policy.deficit_ladder.measure
    score_id = _score_id_of(result, measure.metric)
    raw = next((s.value for s in org.scores if s.metric_id == score_id), None)
    overspend_pct = None if raw is None else (-raw if measure.deficit_is == "negative" else raw)
    turnover = (turnover_gbp_m or {}).get(org.trust_code)
    overspend_gbp = (
        None if overspend_pct is None or turnover is None else overspend_pct / 100 * turnover
    )
    return Standing(
        quarter=org.quarter,
        code=org.trust_code,
        name=org.trust_name,
        trust_type=org.trust_type_name,
        segment=org.segment,
        segment_final=org.segment_final,
        sure=sure,
        in_financial_deficit=org.in_financial_deficit,
        rank=org.rank,
        rank_low=org.rank_low,
        rank_high=org.rank_high,
        of=len(result.league_table(org.trust_type)),
        average_score=org.average_score,
        domain_segments=dict(org.domain_segments),
        metric_scores={s.metric_id: s.used for s in org.scores},
        overspend_percent=overspend_pct,
        overspend_gbp_m=overspend_gbp,
    )


def _score_id_of(result: QuarterResult, raw_id: str) -> str | None:
    """The score ID (OF1xxx) whose raw value is ``raw_id`` in the result's framework."""
    metrics = result.framework.metrics if result.framework else []
    return next((m.id for m in metrics if m.raw_id == raw_id), None)


def standings(
    results: Sequence[QuarterResult],
    policy: Policy,
    turnover_gbp_m: Mapping[str, float] | None = None,
) -> dict[str, list[Standing]]:
    """Each organisation's standings, in quarter order (``results`` must be in quarter order)."""
    out: dict[str, list[Standing]] = {}
    for result in results:
        for org in result.orgs:
            if org.segment is None:
                continue
            out.setdefault(org.trust_code, []).append(
                standing_of(result, org, policy, turnover_gbp_m)
            )
    return out
