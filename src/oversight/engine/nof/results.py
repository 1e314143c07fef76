"""What a run of the engine produces, organisation by organisation, with its reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from oversight.engine.nof.metric_scores import MetricScore, PoolInfo
from oversight.engine.nof.segments import CutPoints
from oversight.frameworks.model import Framework

LEAGUE_COLUMNS = [
    "quarter",
    "trust_code",
    "trust_name",
    "trust_type",
    "average_score",
    "average_score_low",
    "average_score_high",
    "segment",
    "in_financial_deficit",
    "rank",
    "rank_low",
    "rank_high",
]


@dataclass
class OrgResult:
    quarter: str
    trust_code: str
    trust_name: str
    trust_type: str  # framework trust-type id
    trust_type_name: str
    subtype: str
    region: str
    scores: list[MetricScore]
    domain_scores: dict[str, float | None]
    domain_segments: dict[str, int | None]
    average_score: float | None
    segment_unadjusted: int | None
    in_financial_deficit: bool
    segment: int | None  # after the financial override: what ranks use
    intensive_support: bool | None  # None where not published for the quarter
    segment_final: int | None  # 5 for intensive support, else ``segment``
    rank: int | None = None
    average_score_low: float | None = None
    average_score_high: float | None = None
    rank_low: int | None = None
    rank_high: int | None = None
    # from the likely-range bootstrap: P(segment s) for s = 1.., P(top / bottom decile)
    segment_probabilities: list[float] | None = None
    top_decile_probability: float | None = None
    bottom_decile_probability: float | None = None

    @property
    def segment_certainty(self) -> float | None:
        """The bootstrap probability of the segment the organisation is placed in."""
        if self.segment_probabilities is None or self.segment is None:
            return None
        return self.segment_probabilities[self.segment - 1]

    def league_row(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "trust_code": self.trust_code,
            "trust_name": self.trust_name,
            "trust_type": self.trust_type_name,
            "average_score": self.average_score,
            "average_score_low": self.average_score_low,
            "average_score_high": self.average_score_high,
            "segment": self.segment,
            "in_financial_deficit": self.in_financial_deficit,
            "rank": self.rank,
            "rank_low": self.rank_low,
            "rank_high": self.rank_high,
        }


@dataclass
class QuarterResult:
    quarter: str
    framework_id: str
    framework_version: str
    framework_digest: str
    revisions: dict[str, int]
    range_method: str
    replicates: int
    seed: int
    cut_points: CutPoints
    domain_cut_points: dict[str, CutPoints]
    pools: list[PoolInfo]
    orgs: list[OrgResult] = field(default_factory=list)
    # the framework as applied: the file's definition plus any undeclared metrics it met
    framework: Framework | None = None

    def org(self, code: str) -> OrgResult | None:
        return next((o for o in self.orgs if o.trust_code == code), None)

    @property
    def disagreements(self) -> list[PoolInfo]:
        """Pools whose scores computed from the file's raw values disagree with its published
        scores: which metric, which organisations, computed against published."""
        return [p for p in self.pools if p.disagreements]

    def disagreement_lines(self, trust_type: str | None = None) -> list[str]:
        """One plain sentence per disagreeing metric (for a trust type's organisations)."""
        lines = []
        types = {o.trust_code: o.trust_type for o in self.orgs}
        for p in self.disagreements:
            rows = [
                (org, c, pub)
                for org, c, pub in p.disagreements
                if trust_type is None or types.get(org) == trust_type
            ]
            if not rows:
                continue
            shown = ", ".join(
                f"{o} computed {c:.2f} against published {pub:.2f}" for o, c, pub in rows[:5]
            )
            more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
            used = (
                "the computed scores are used"
                if p.used_computed
                else ("the published scores are used (--scores computed uses the raw values)")
            )
            lines.append(
                f"{p.metric_id}: the file's raw values and its published scores disagree for "
                f"{len(rows)} organisation(s): {shown}{more}; {used}"
            )
        return lines

    def league_table(self, trust_type: str) -> list[OrgResult]:
        rows = [o for o in self.orgs if o.trust_type == trust_type and o.rank is not None]
        return sorted(rows, key=lambda o: (o.rank or 0, o.trust_name))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
