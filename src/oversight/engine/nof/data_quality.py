"""Data quality: flag published values by the framework's ``data_quality`` rules, and recompute
the league table treating flagged values as missing.

A flagged raw value (OF0xxx) and its score (OF1xxx) are both dropped for that organisation, so
the metric is missing for it and the engine's normal missing-metric handling applies: the
average is taken over the metrics the organisation has. Other organisations keep their scores
as published. The official table is never changed; the recomputation sits beside it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from oversight.engine.nof.inputs import QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.data_quality import QualityRule
from oversight.frameworks.model import Framework, Metric
from oversight.frameworks.nof_publication import nof_publication


@dataclass(frozen=True)
class Flag:
    """One published value a rule flags."""

    trust_code: str
    metric_id: str  # the ID the value is published under
    score_id: str | None  # the metric score dropped with it on recomputation
    value: float | None
    check: str  # missing | range | denominator | total
    reason: str


@dataclass(frozen=True)
class SegmentChange:
    trust_code: str
    trust_name: str
    segment_before: int | None
    segment_after: int | None
    rank_before: int | None
    rank_after: int | None
    average_before: float | None
    average_after: float | None


@dataclass
class QualityReport:
    quarter: str
    trust_type: str
    flags: list[Flag]
    not_applied: list[str]  # rules that could not be checked, with why
    changes: list[SegmentChange] | None = None  # None unless recomputed
    recomputed: QuarterResult | None = None


def flag_values(
    framework: Framework,
    data: QuarterData,
    trust_type: str,
    denominators: Mapping[tuple[str, str], float] | None = None,
) -> QualityReport:
    """Every value of the trust type's organisations that a declared rule flags.

    ``denominators`` ((metric ID, organisation) -> denominator) are those the source statistics
    give, for rules with a minimum denominator and no ``denominator_id``."""
    dq = framework.data_quality
    orgs = data.orgs_of_type(trust_type)
    metrics = [m for m in framework.metrics if trust_type in m.trust_types]
    flags: list[Flag] = []
    not_applied: list[str] = []
    for m in metrics:
        for code in orgs:
            if dq.every_metric.missing:
                flags += _missing(data, m, code)
            if dq.every_metric.publication_range:
                flags += _outside_publication_range(data, m, code)
    for rule in dq.rules:
        applies = [m for m in framework.metrics_for_id(rule.metric) if m in metrics]
        score_id = applies[0].id if applies else None
        if not applies and framework.metrics_for_id(rule.metric):
            continue  # a metric of another trust type
        checked = False
        for code in orgs:
            found, checked_here = _rule_flags(data, rule, code, score_id, denominators or {})
            flags += found
            checked = checked or checked_here
        if not checked and rule.min_denominator is not None:
            not_applied.append(
                f"{rule.metric}: no denominator ({rule.denominator_id or 'source statistics'}) "
                f"in the store for {trust_type} in {data.quarter}"
            )
    return QualityReport(data.quarter, trust_type, _unique(flags), not_applied)


def without_flagged(data: QuarterData, flags: list[Flag]) -> QuarterData:
    """A copy of the quarter's data with each flagged value and its score removed."""
    out = copy.copy(data)
    out.rows = dict(data.rows)
    for f in flags:
        out.rows.pop((f.metric_id, f.trust_code), None)
        if f.score_id is not None:
            out.rows.pop((f.score_id, f.trust_code), None)
    return out


def recompute(
    framework: Framework,
    data: QuarterData,
    report: QualityReport,
    before: QuarterResult | None = None,
    options: RangeOptions | None = None,
) -> QualityReport:
    """The report with the quarter recomputed without its flagged values, and who moved."""
    opts = options or RangeOptions(skip=True)
    official = before or compute_quarter(framework, data, opts)
    after = compute_quarter(framework, without_flagged(data, report.flags), opts)
    changes = []
    for o in official.orgs:
        if o.trust_type != report.trust_type:
            continue
        n = after.org(o.trust_code)
        assert n is not None
        if n.segment_final != o.segment_final:
            changes.append(
                SegmentChange(
                    o.trust_code,
                    o.trust_name,
                    o.segment_final,
                    n.segment_final,
                    o.rank,
                    n.rank,
                    o.average_score,
                    n.average_score,
                )
            )
    report.changes = changes
    report.recomputed = after
    return report


def _missing(data: QuarterData, m: Metric, code: str) -> list[Flag]:
    """A score published without its raw value cannot be checked: flag the score."""
    if m.raw_id is None or data.value(m.id, code) is None:
        return []
    if data.value(m.raw_id, code) is not None:
        return []
    how = "suppressed (published empty)" if (m.raw_id, code) in data.rows else "not published"
    return [Flag(code, m.raw_id, m.id, None, "missing", f"{m.raw_id} {how} but {m.id} is scored")]


def _outside_publication_range(data: QuarterData, m: Metric, code: str) -> list[Flag]:
    if m.raw_id is None:
        return []
    value = data.value(m.raw_id, code)
    label = data.labels.get(m.raw_id)
    declared = nof_publication().data_file.value_range(m.raw_id, label.units if label else "")
    if value is None or declared is None:
        return []
    what, valid = declared
    if valid.contains(value):
        return []
    reason = f"{m.raw_id} = {value:g} is outside {valid.describe()} ({what})"
    return [Flag(code, m.raw_id, m.id, value, "range", reason)]


def _rule_flags(
    data: QuarterData,
    rule: QualityRule,
    code: str,
    score_id: str | None,
    denominators: Mapping[tuple[str, str], float],
) -> tuple[list[Flag], bool]:
    """A rule's flags for one organisation, and whether its denominator was there to check."""
    value = data.value(rule.metric, code)
    score = None if score_id == rule.metric else score_id
    flags = []
    checked = False
    if value is not None and rule.valid_range is not None:
        low, high = rule.valid_range.min, rule.valid_range.max
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
            reason = f"{rule.metric} = {value:g} is outside the rule's range {bounds}"
            flags.append(Flag(code, rule.metric, score, value, "range", reason))
    if rule.min_denominator is not None:
        if rule.denominator_id is not None:
            n = data.value(rule.denominator_id, code)
        else:
            n = denominators.get((rule.metric, code))
        if n is not None:
            checked = True
            if value is not None and n < rule.min_denominator:
                which = rule.denominator_id or "(source statistics)"
                reason = (
                    f"{rule.metric}: denominator {which} = {n:g} is below {rule.min_denominator:g}"
                )
                flags.append(Flag(code, rule.metric, score, value, "denominator", reason))
    if rule.parts and value is not None:
        parts = [data.value(p, code) for p in rule.parts]
        if all(p is not None for p in parts):
            total = sum(p for p in parts if p is not None)
            if abs(value - total) > rule.tolerance:
                reason = (
                    f"{rule.metric} = {value:g} but its parts ({' + '.join(rule.parts)}) "
                    f"sum to {total:g}"
                )
                flags.append(Flag(code, rule.metric, score, value, "total", reason))
    return flags, checked


def _unique(flags: list[Flag]) -> list[Flag]:
    """One flag per value and check, in organisation then metric order."""
    seen: dict[tuple[str, str, str], Flag] = {}
    for f in flags:
        seen.setdefault((f.trust_code, f.metric_id, f.check), f)
    return sorted(seen.values(), key=lambda f: (f.trust_code, f.metric_id, f.check))
