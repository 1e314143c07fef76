"""The smallest improvement, metric by metric, that would move an organisation up a segment.

For each metric with a raw value, the candidate values are the peers' published values that
are better than the organisation's (a score only changes when its rank does) and, for banded
metrics, the band edges. The score is monotone in the value, so a binary search over the
candidates finds the least improvement that lifts the segment, recomputing the quarter each
time with everything else as published (see :mod:`oversight.engine.nof.whatif`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from oversight.engine.nof.inputs import QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.engine.nof.whatif import Change, apply_changes
from oversight.errors import UserError
from oversight.frameworks.model import Framework, Metric, Thresholds

_NO_RANGES = RangeOptions(skip=True)


@dataclass(frozen=True)
class Gap:
    metric_id: str
    raw_id: str
    name: str
    value: float
    needed: float | None  # None: no value of this metric alone is enough
    score: float
    new_score: float | None
    note: str = ""


@dataclass
class GapReport:
    code: str
    quarter: str
    segment: int | None
    target: int | None
    average_score: float | None
    gaps: list[Gap]
    note: str


def gap(framework: Framework, data: QuarterData, code: str) -> GapReport:
    code = code.upper()
    if code not in data.orgs:
        raise UserError(f"No organisation {code!r} in {data.quarter}")
    baseline = compute_quarter(framework, data, _NO_RANGES)
    org = baseline.org(code)
    assert org is not None
    if org.segment is None or org.segment == 1:
        note = "already in segment 1" if org.segment == 1 else "not segmented this quarter"
        return GapReport(code, data.quarter, org.segment, None, org.average_score, [], note)
    target = org.segment - 1
    floor = framework.financial_override.floor_segment
    if org.in_financial_deficit and org.segment <= floor:
        note = (
            f"the financial override holds it at segment {floor} or worse: no metric "
            "improvement lifts it until the deficit flag is cleared (try deficit=0)"
        )
        return GapReport(code, data.quarter, org.segment, target, org.average_score, [], note)
    gaps = []
    for s in org.scores:
        metric = (baseline.framework or framework).metric(s.metric_id)
        if (
            metric.raw_id is None
            or s.value is None
            or not metric.in_average
            and not _feeds_average(framework, metric)
        ):
            continue
        gaps.append(_smallest(framework, data, baseline, code, metric, s.value, s.score, target))
    # reachable first, then by how much the metric's score has to improve
    gaps.sort(key=lambda g: (g.new_score is None, g.score - (g.new_score or g.score)))
    note = (
        f"segment {org.segment} to {target}: cut-point {baseline.cut_points.values[target - 1]:g}"
    )
    return GapReport(code, data.quarter, org.segment, target, org.average_score, gaps, note)


def _feeds_average(framework: Framework, metric: Metric) -> bool:
    """Finance parts reach the average through the combined score."""
    return any(
        getattr(m.scoring, "rows", None) == metric.id
        or getattr(m.scoring, "columns", None) == metric.id
        for m in framework.metrics
    )


def _candidates(
    framework: Framework, data: QuarterData, metric: Metric, value: float
) -> list[float]:
    if metric.polarity == "unknown":  # no direction to improve in
        return []
    sign = 1.0 if metric.polarity == "higher_is_better" else -1.0
    found = {
        v
        for (m, _), row in data.rows.items()
        if m == metric.raw_id and (v := row.value) is not None and sign * (v - value) > 0
    }
    if isinstance(metric.scoring, Thresholds):
        found |= {
            b.min for b in metric.scoring.bands if b.min is not None and sign * (b.min - value) > 0
        }
        found |= {
            b.max for b in metric.scoring.bands if b.max is not None and sign * (b.max - value) > 0
        }
    return sorted(found, key=lambda v: sign * (v - value))


def _smallest(
    framework: Framework,
    data: QuarterData,
    baseline: QuarterResult,
    code: str,
    metric: Metric,
    value: float,
    score: float,
    target: int,
) -> Gap:
    raw_id = metric.raw_id or ""
    candidates = _candidates(framework, data, metric, value)

    @cache  # the search and the final answer ask about the same values
    def lifted(v: float) -> tuple[bool, float | None]:
        changed, _ = apply_changes(framework, data, baseline, code, [Change(raw_id, v)])
        org = compute_quarter(framework, changed, _NO_RANGES).org(code)
        assert org is not None
        new = next((s.score for s in org.scores if s.metric_id == metric.id), None)
        return org.segment is not None and org.segment <= target, new

    if not candidates or not lifted(candidates[-1])[0]:
        return Gap(
            metric.id,
            raw_id,
            metric.name,
            value,
            None,
            score,
            None,
            "not enough on its own, even at the best published value",
        )
    lo, hi = 0, len(candidates) - 1  # the answer is in [lo, hi]
    while lo < hi:
        mid = (lo + hi) // 2
        if lifted(candidates[mid])[0]:
            hi = mid
        else:
            lo = mid + 1
    _, new_score = lifted(candidates[lo])
    return Gap(metric.id, raw_id, metric.name, value, candidates[lo], score, new_score)
