"""What if an organisation's values were different? And what is the least that would lift it?

A what-if changes one organisation's inputs (a raw metric value, a metric score, or its
financial-deficit flag) and recomputes the quarter with every other organisation's data as
published. Scores are recomputed from raw values where the pool is in the store. Where the
pool reaches beyond the store (providers whose values are not published), the new rank is
estimated from the published peers: the organisation takes the pool rank of the best-ranked
published peer its new value matches or beats, and the estimate is labelled as such.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from oversight.engine.nof.inputs import Published, QuarterData
from oversight.engine.nof.metric_scores import infer_type_pool
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework, Metric, RankScale, ThresholdThenRank

_SETTING = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Change:
    target: str  # a raw metric ID (OF0xxx), a score ID (OF1xxx) or "deficit"
    value: float


@dataclass
class WhatIf:
    code: str
    changes: list[Change]
    before: OrgResult
    after: OrgResult
    notes: list[str]
    result: QuarterResult
    before_result: QuarterResult


def parse_changes(items: list[str], framework: Framework) -> list[Change]:
    """``OF0061=7.1``, ``OF1082=1.5`` or ``deficit=0`` -> changes, every problem at once."""
    raw_ids = {m.raw_id for m in framework.metrics if m.raw_id}
    score_ids = {m.id for m in framework.metrics}
    changes, problems = [], []
    for item in items:
        m = _SETTING.match(item)
        if m is None:
            problems.append(Problem(f"{item!r} is not ID=number (e.g. OF0061=7.1, deficit=0)"))
            continue
        target, value = m.group(1).upper(), float(m.group(2))
        if target == "DEFICIT":
            if value not in (0.0, 1.0):
                problems.append(Problem("deficit takes 0 or 1", field="deficit"))
            changes.append(Change("deficit", value))
        elif target in raw_ids or target in score_ids:
            if target in score_ids and not 1.0 <= value <= 4.0:
                problems.append(Problem(f"a score is between 1 and 4, not {value:g}", field=target))
            changes.append(Change(target, value))
        else:
            problems.append(Problem(f"{target} is not a metric of the framework", field=target))
    if problems:
        raise UserError("Cannot apply these what-if changes", problems)
    return changes


def what_if(
    framework: Framework,
    data: QuarterData,
    code: str,
    changes: list[Change],
    options: RangeOptions | None = None,
) -> WhatIf:
    code = code.upper()
    if code not in data.orgs:
        raise UserError(f"No organisation {code!r} in {data.quarter}")
    before = compute_quarter(framework, data, options)
    changed, notes = apply_changes(framework, data, before, code, changes)
    after = compute_quarter(framework, changed, options)
    org_before, org_after = before.org(code), after.org(code)
    assert org_before is not None and org_after is not None
    return WhatIf(code, changes, org_before, org_after, notes, after, before)


def apply_changes(
    framework: Framework,
    data: QuarterData,
    baseline: QuarterResult,
    code: str,
    changes: list[Change],
) -> tuple[QuarterData, list[str]]:
    """A copy of the quarter's data with the changes made, and notes on how each was applied."""
    out = copy.copy(data)
    out.rows = dict(data.rows)
    notes = []
    computed = {(p.metric_id, t) for p in baseline.pools if p.computed for t in p.group.split("+")}
    trust_type = data.orgs[code].trust_type
    for change in changes:
        if change.target == "deficit":
            _set(out, framework.financial_override.flag_id, code, change.value)
            notes.append(f"financial-deficit flag set to {int(change.value)}")
            continue
        metric = next((m for m in framework.metrics if change.target in (m.id, m.raw_id)), None)
        assert metric is not None
        if change.target == metric.id:
            _set(out, metric.id, code, change.value)
            notes.append(f"{metric.id} score set to {change.value:g}")
            continue
        _set(out, change.target, code, change.value)
        if not isinstance(metric.scoring, RankScale | ThresholdThenRank):
            out.rows.pop((metric.id, code), None)
            notes.append(f"{change.target} set to {change.value:g}; {metric.id} recomputed")
        elif (metric.id, trust_type) in computed:
            _drop_published_scores(out, metric)
            notes.append(
                f"{change.target} set to {change.value:g}; {metric.id} recomputed against its pool"
            )
        else:
            notes.append(_estimate_external(out, metric, code, change.value))
    return out, notes


def _set(data: QuarterData, metric_id: str, code: str, value: float) -> None:
    old = data.rows.get((metric_id, code))
    if old is None:
        data.rows[(metric_id, code)] = Published(value, None, None, None, None, "what-if", 0)
        return
    # the published within-type rank still orders display ties if the value is unchanged
    rank = old.rank if old.value == value else None
    data.rows[(metric_id, code)] = Published(
        value, rank, old.median, old.lower_quartile, old.upper_quartile, "what-if", 0
    )


def _drop_published_scores(data: QuarterData, metric: Metric) -> None:
    """The pool is recomputed from raw values: the old published scores no longer apply."""
    for key in [k for k in data.rows if k[0] == metric.id]:
        del data.rows[key]


def _estimate_external(data: QuarterData, metric: Metric, code: str, value: float) -> str:
    rule = metric.scoring
    assert isinstance(rule, RankScale | ThresholdThenRank)
    peers = [o for o in data.orgs_of_type(data.orgs[code].trust_type) if o != code]
    fits = infer_type_pool(metric, rule, data, peers)
    if not fits or metric.polarity == "unknown":
        data.rows.pop((metric.id, code), None)
        return (
            f"{metric.raw_id} set to {value:g}, but {metric.id}'s pool cannot be recovered "
            "from the publication, or its polarity is unknown: the metric is left out"
        )
    better = 1.0 if metric.polarity == "higher_is_better" else -1.0
    if isinstance(rule, ThresholdThenRank) and better * (value - rule.standard) < 0:
        _set(data, metric.id, code, rule.fail_score)
        return f"{metric.raw_id} set to {value:g}: below the standard, {metric.id} = 4"
    n = next(iter(fits.values()))[1]
    beaten = [
        r
        for o, (r, _, _) in fits.items()
        if (v := data.value(metric.raw_id or "", o)) is not None and better * (value - v) >= 0
    ]
    rank = min(beaten) if beaten else min(n, max(r for r, _, _ in fits.values()) + 1)
    score = rule.best + (rule.worst - rule.best) * (rank - 1) / (n - 1)
    _set(data, metric.id, code, score)
    return (
        f"{metric.raw_id} set to {value:g}; {metric.id} estimated at rank {rank} of {n} "
        f"({score:.2f}): the pool includes providers whose values are not published"
    )
