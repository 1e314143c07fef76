"""Why an organisation has its segment and rank, step by step, as plain data.

Faces (CLI, API, web) render this; none of them recompute anything.
"""

from __future__ import annotations

from typing import Any

from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.engine.nof.segments import CUT_SOURCE_WORDS
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework

SOURCE_TEXT = {
    "computed": "computed from raw values",
    "published_unrounded": "published score (unrounded from its rank)",
    "published": "published score",
}


def explain(framework: Framework, result: QuarterResult, code: str) -> dict[str, Any]:
    framework = result.framework or framework
    org = result.org(code.upper())
    if org is None:
        raise UserError(
            f"No organisation {code!r} in {result.quarter}",
            [Problem("give an ODS code from the league table, e.g. RYY")],
        )
    metrics = []
    for s in org.scores:
        m = framework.metric(s.metric_id)
        metrics.append(
            {
                "metric_id": s.metric_id,
                "raw_id": m.raw_id,
                "name": m.name,
                "domain": m.domain,
                "polarity": m.polarity,
                "value": s.value,
                "pool_rank": s.pool_rank,
                "pool_size": s.pool_size,
                "score": s.score,
                "score_2dp": round(s.score + 1e-12, 2),
                "used_in_average": m.in_average,
                "weight": m.weight,
                "published_score": s.published,
                "source": s.source,
                "source_text": SOURCE_TEXT[s.source],
                "note": s.note,
            }
        )
    return {
        "quarter": result.quarter,
        "trust_code": org.trust_code,
        "trust_name": org.trust_name,
        "trust_type": org.trust_type_name,
        "subtype": org.subtype,
        "region": org.region,
        "framework": f"{result.framework_id} {result.framework_version}",
        "metrics": metrics,
        "domains": [
            {
                "id": d.id,
                "name": d.name,
                "score": org.domain_scores.get(d.id),
                "segment": org.domain_segments.get(d.id),
            }
            for d in framework.domains
        ],
        "steps": steps(framework, result, org),
        "average_score": org.average_score,
        "average_score_range": [org.average_score_low, org.average_score_high],
        "segment_unadjusted": org.segment_unadjusted,
        "in_financial_deficit": org.in_financial_deficit,
        "segment": org.segment,
        "intensive_support": org.intensive_support,
        "segment_final": org.segment_final,
        "rank": org.rank,
        "rank_range": [org.rank_low, org.rank_high],
        "rank_of": len(result.league_table(org.trust_type)),
        "cut_points": list(result.cut_points.values),
        "cut_points_source": result.cut_points.source,
        "cut_points_detail": result.cut_points.detail,
    }


def steps(framework: Framework, result: QuarterResult, org: OrgResult) -> list[str]:
    used = [s for s in org.scores if framework.metric(s.metric_id).in_average]
    out = [
        f"{len(used)} metric scores enter the average (weighted mean, rounded half-up to "
        f"{framework.aggregation.rounding.dp} dp): {org.average_score}."
    ]
    cuts = result.cut_points.values
    if org.average_score is None or org.segment_unadjusted is None:
        return out + ["No average score, so no segment or rank."]
    edges = ", ".join(f"{c:g}" for c in cuts)
    src = result.cut_points.source
    out.append(
        f"Cut-points for {result.quarter} are {edges} "
        f"({CUT_SOURCE_WORDS.get(src, src)}); "
        f"{org.average_score} puts it in segment {org.segment_unadjusted}."
    )
    floor = framework.financial_override.floor_segment
    if org.in_financial_deficit:
        moved = "moves it to" if org.segment != org.segment_unadjusted else "leaves it in"
        out.append(
            f"It is flagged as in financial deficit, so it can be no better than segment "
            f"{floor}: that {moved} segment {org.segment}."
        )
    else:
        out.append("It is not flagged as in financial deficit: no override.")
    if org.intensive_support:
        out.append(
            f"It is in intensive recovery support, so it is shown in segment "
            f"{org.segment_final}; its rank still uses segment {org.segment}."
        )
    n = len(result.league_table(org.trust_type))
    out.append(
        f"Ranked by segment, then average score, among {n} {org.trust_type_name}s: "
        f"{org.rank} (likely {org.rank_low} to {org.rank_high})."
    )
    if org.segment and org.segment > 1 and not org.in_financial_deficit and len(cuts) >= 3:
        target = cuts[org.segment - 2]
        gap = round(org.average_score - target, 3)
        out.append(
            f"To reach segment {org.segment - 1} its average must fall to {target:g} or "
            f"below ({gap:g} points)."
        )
    return out
