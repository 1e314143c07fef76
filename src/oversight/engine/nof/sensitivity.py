"""How ranks and segments move under other reasonable weightings of the metrics.

Takes a computed quarter (every trust type in it), builds the matrix of the scores that enter
each organisation's average, and recomputes composites, segments and ranks under the published
weights, domain-equal weights, each metric left out and random Dirichlet weights (seeded); see
:mod:`oversight.stats.sensitivity` for the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oversight.engine.nof.aggregate import used_scores
from oversight.engine.nof.likely_ranges import seed_for
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.stats import sensitivity as sens

DEFAULT_DRAWS = 1000

COLUMNS = [
    "quarter",
    "trust_code",
    "trust_name",
    "trust_type",
    "rank",
    "rank_domain_equal",
    "rank_median",
    "rank_p05",
    "rank_p95",
    "rank_loo_min",
    "rank_loo_max",
    "loo_most_influential",
    "segment",
    "segment_changed_share",
]


@dataclass
class Sensitivity:
    quarter: str
    draws: int
    seed: int
    concentration: float
    metric_ids: list[str]
    orgs: list[OrgResult]
    weightings: sens.Weightings
    ranks: NDArray[np.float64]  # (n, B)
    segments: NDArray[np.int64]
    summary: sens.Summary

    def rows(self) -> list[dict[str, Any]]:
        s = self.summary
        out = []
        for i, o in enumerate(self.orgs):
            out.append(
                {
                    "quarter": self.quarter,
                    "trust_code": o.trust_code,
                    "trust_name": o.trust_name,
                    "trust_type": o.trust_type_name,
                    "rank": _int(s.rank_published[i]),
                    "rank_domain_equal": _int(s.rank_domain_equal[i]),
                    "rank_median": float(s.rank_median[i]),
                    "rank_p05": float(s.rank_p05[i]),
                    "rank_p95": float(s.rank_p95[i]),
                    "rank_loo_min": _int(s.loo_min[i]),
                    "rank_loo_max": _int(s.loo_max[i]),
                    "loo_most_influential": s.loo_most[i],
                    "segment": int(s.segment_published[i]),
                    "segment_changed_share": round(float(s.segment_changed[i]), 4),
                }
            )
        return sorted(out, key=lambda r: (r["trust_type"], r["rank"] or 0, r["trust_name"]))


def _int(x: float) -> int | None:
    return None if np.isnan(x) else int(x)


def score_matrix(
    framework: Framework, orgs: list[OrgResult]
) -> tuple[list[str], NDArray[np.float64]]:
    """Metric IDs (framework order) and the (n, m) matrix of scores entering the average."""
    per_org = [{s.metric_id: s.used for s in used_scores(framework, o.scores)} for o in orgs]
    present = {m for row in per_org for m in row}
    ids = [m.id for m in framework.metrics if m.id in present]
    matrix = np.array([[row.get(m, np.nan) for m in ids] for row in per_org], dtype=np.float64)
    return ids, matrix


def sensitivity(
    result: QuarterResult,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    concentration: float = 1.0,
) -> Sensitivity:
    framework = result.framework
    if framework is None:
        raise UserError("The quarter's result does not carry its framework")
    orgs = [o for o in result.orgs if o.average_score is not None and o.rank is not None]
    if not orgs:
        raise UserError(f"No ranked organisations in {result.quarter}")
    if not result.cut_points.values:
        raise UserError(
            f"No cut-points for {result.quarter}",
            [Problem("segments cannot be formed, so ranks cannot be recomputed")],
        )
    if concentration <= 0:
        raise UserError(f"--concentration must be positive, not {concentration}")
    ids, scores = score_matrix(framework, orgs)
    base = np.array([framework.metric(m).weight for m in ids])
    domains = [framework.metric(m).domain for m in ids]
    rng = np.random.default_rng(seed_for(seed, result.quarter, "sensitivity"))
    w = sens.weightings(base, domains, ids, draws, rng, concentration)
    dp = framework.aggregation.rounding.dp
    values = sens.composites(scores, w.weights, dp)
    boundary = framework.segmentation.boundary
    cuts = sens.shifted_cut_points(values[:, 0], result.cut_points.values, values, boundary)
    flagged = np.array([o.in_financial_deficit for o in orgs])
    segs = sens.segments(
        values, cuts, boundary, flagged, framework.financial_override.floor_segment
    )
    types = sorted({o.trust_type for o in orgs})
    groups = np.array([types.index(o.trust_type) for o in orgs], dtype=np.int64)
    ranks = sens.group_ranks(sens.rank_keys(values, segs, dp), groups)
    return Sensitivity(
        quarter=result.quarter,
        draws=draws,
        seed=seed,
        concentration=concentration,
        metric_ids=ids,
        orgs=orgs,
        weightings=w,
        ranks=ranks,
        segments=segs,
        summary=sens.summarise(w, ranks, segs),
    )
