"""One quarter end to end: scores, averages, segments, override, segment 5, ranks, ranges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from oversight.engine.nof.aggregate import domain_scores, used_scores, weighted_mean
from oversight.engine.nof.inputs import QuarterData, load_quarter
from oversight.engine.nof.likely_ranges import RangeInputs, calibrated, likely_ranges, seed_for
from oversight.engine.nof.metric_scores import score_quarter
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.engine.nof.segments import CutPoints, apply_override, derive, infer, segment_of
from oversight.engine.nof.undeclared import with_undeclared_metrics
from oversight.errors import Problem, UserError
from oversight.frameworks.loader import framework_digest
from oversight.frameworks.model import Framework
from oversight.stats.ranks import min_rank
from oversight.store.schema import Connection


def run_quarter(
    con: Connection,
    framework: Framework,
    quarter: str,
    options: RangeOptions | None = None,
    revisions: dict[str, int] | None = None,
) -> QuarterResult:
    return compute_quarter(framework, load_quarter(con, quarter, revisions), options)


@dataclass(frozen=True)
class RangeOptions:
    """Overrides of the framework's likely-range settings for one run (None = framework's)."""

    method: str | None = None
    replicates: int | None = None
    seed: int | None = None
    skip: bool = False
    calibrate: bool = False  # empirical-Bayes calibrated bootstrap (not the publisher's)
    # "computed": where the file's raw values and its published scores disagree, score from the
    # raw values (the default keeps the publication's scores and reports the disagreement)
    scores: str = "published"


def compute_quarter(
    framework: Framework, data: QuarterData, options: RangeOptions | None = None
) -> QuarterResult:
    """The engine proper, on data already read from the store (what-if works on a copy)."""
    opts = options or RangeOptions()
    lr = framework.likely_ranges
    method = opts.method or lr.method
    b = 0 if opts.skip else (opts.replicates or lr.replicates)
    seed = opts.seed if opts.seed is not None else lr.seed
    digest = framework_digest(framework)
    framework = with_undeclared_metrics(framework, data)
    scores, pools = score_quarter(framework, data, prefer_computed=opts.scores == "computed")
    per_org = defaultdict(list)
    for s in scores.values():
        per_org[s.org].append(s)
    type_names = {t.id: t.name for t in framework.trust_types}
    orgs: list[OrgResult] = []
    for code, org in sorted(data.orgs.items()):
        own = per_org.get(code, [])
        flag = data.value(framework.financial_override.flag_id, code)
        support = data.value(framework.intensive_support.flag_id, code)
        orgs.append(
            OrgResult(
                quarter=data.quarter,
                trust_code=code,
                trust_name=org.name,
                trust_type=org.trust_type,
                trust_type_name=type_names.get(org.trust_type, org.trust_type),
                subtype=org.subtype,
                region=org.region,
                scores=own,
                domain_scores=domain_scores(framework, own),
                domain_segments={},
                average_score=weighted_mean(framework, used_scores(framework, own)),
                segment_unadjusted=None,
                in_financial_deficit=bool(flag),
                segment=None,
                intensive_support=None if support is None else bool(support),
                segment_final=None,
            )
        )
    cuts = _cut_points(
        framework,
        data,
        orgs,
        "average",
        lambda o: o.average_score,
        framework.published_ids.average,
        framework.published_ids.unadjusted_segment,
    )
    domain_cuts = {}
    for d in framework.domains:
        if d.segment_id is None:
            continue
        domain_cuts[d.id] = _cut_points(
            framework, data, orgs, d.id, partial(_domain_score, d.id), d.score_id, d.segment_id
        )
    rule = framework.segmentation
    for o in orgs:
        if o.average_score is not None:
            o.segment_unadjusted = segment_of(o.average_score, cuts.values, rule.boundary)
            o.segment = apply_override(
                o.segment_unadjusted,
                o.in_financial_deficit,
                framework.financial_override.floor_segment,
            )
            o.segment_final = (
                framework.intensive_support.segment if o.intensive_support else o.segment
            )
        for d_id, dc in domain_cuts.items():
            score = o.domain_scores.get(d_id)
            o.domain_segments[d_id] = (
                None
                if score is None or not dc.values
                else segment_of(score, dc.values, rule.boundary)
            )
    _rank_and_ranges(framework, orgs, cuts, method, b, seed, opts.calibrate)
    return QuarterResult(
        quarter=data.quarter,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_digest=digest,
        revisions=dict(data.revisions),
        range_method=method if b else "none",
        replicates=b,
        seed=seed,
        cut_points=cuts,
        domain_cut_points=domain_cuts,
        pools=pools,
        orgs=orgs,
        framework=framework,
    )


def _domain_score(domain: str, org: OrgResult) -> float | None:
    return org.domain_scores.get(domain)


def _cut_points(
    framework: Framework,
    data: QuarterData,
    orgs: list[OrgResult],
    key: str,
    score_of: Callable[[OrgResult], float | None],
    published_score_id: str,
    published_segment_id: str,
) -> CutPoints:
    """The quarter's cut-points for the average (key 'average') or one domain (its id)."""
    rule = framework.segmentation
    typed = (
        rule.cut_points.get(data.quarter)
        if key == "average"
        else rule.domain_cut_points.get(data.quarter, {}).get(key)
    )
    if typed:
        return CutPoints(tuple(typed), "framework", f"{key}: typed in the framework file")
    population = rule.population or [t.id for t in framework.trust_types]
    missing = [t for t in population if t not in data.trust_types]
    scores = [(o, score_of(o)) for o in orgs if o.trust_type in population]
    # The publisher's segments were set on the publisher's scores; pair them with those (a
    # variant's own scores, with other weights say, need not be a step function of them).
    pairs: list[tuple[float, int]] = []
    ours: list[tuple[float, int]] = []
    for o, s in scores:
        published = data.value(published_segment_id, o.trust_code)
        if published is None:
            continue
        published_score = data.value(published_score_id, o.trust_code)
        score = published_score if published_score is not None else s
        if score is not None:
            pairs.append((score, int(published)))
        if s is not None:
            ours.append((s, int(published)))
    if not missing:
        derived = derive([s for _, s in scores if s is not None], rule, key)
        off = sum(segment_of(s, derived.values, rule.boundary) != p for s, p in ours)
        if not off or not rule.check_derived_against_published:
            return derived
        inferred = infer(pairs, rule.boundary, key)
        return CutPoints(
            inferred.values,
            inferred.source,
            f"{inferred.detail}; derived cut-points "
            f"{', '.join(f'{c:g}' for c in derived.values)} would place {off} of "
            f"{len(ours)} organisations in a different segment from the "
            "publication",
            inferred.intervals,
        )
    if rule.when_population_incomplete == "error":
        raise UserError(
            f"Cannot derive {data.quarter} cut-points ({key})",
            [Problem(f"the segmentation population needs {', '.join(missing)} data")],
        )
    if not pairs:
        return CutPoints((), "inferred_from_published", f"{key}: no published segments")
    cuts = infer(pairs, rule.boundary, key)
    return CutPoints(
        cuts.values,
        cuts.source,
        cuts.detail + f" (population incomplete: no {', '.join(missing)} data)",
        cuts.intervals,
    )


def _rank_and_ranges(
    framework: Framework,
    orgs: list[OrgResult],
    cuts: CutPoints,
    method: str,
    replicates: int,
    seed: int,
    calibrate: bool = False,
) -> None:
    ranked = [o for o in orgs if o.segment is not None and o.average_score is not None]
    dp = framework.aggregation.rounding.dp
    by_type: dict[str, list[OrgResult]] = defaultdict(list)
    for o in ranked:
        by_type[o.trust_type].append(o)
    lr = framework.likely_ranges
    for trust_type, group in sorted(by_type.items()):
        scale = 10**dp
        keys = [
            (o.segment or 0) * 100 * scale + round((o.average_score or 0) * scale) for o in group
        ]
        for o, r in zip(group, min_rank(keys), strict=True):
            o.rank = int(r)
        if replicates <= 0 or not cuts.values:
            continue
        used = [used_scores(framework, o.scores) for o in group]
        inputs = RangeInputs(
            scores=[np.array([s.used for s in u]) for u in used],
            weights=[np.array([framework.metric(s.metric_id).weight for s in u]) for u in used],
            flagged=np.array([o.in_financial_deficit for o in group]),
            cut_points=cuts.values,
            boundary=framework.segmentation.boundary,
            floor_segment=framework.financial_override.floor_segment,
            dp=dp,
        )
        ranges = likely_ranges(
            calibrated(inputs) if calibrate and len(group) > 1 else inputs,
            method,
            replicates,
            lr.lower_percentile,
            lr.upper_percentile,
            seed_for(seed, group[0].quarter, trust_type),
        )
        for i, o in enumerate(group):
            o.average_score_low = float(ranges.score_low[i])
            o.average_score_high = float(ranges.score_high[i])
            o.rank_low = int(ranges.rank_low[i])
            o.rank_high = int(ranges.rank_high[i])
            o.segment_probabilities = [float(p) for p in ranges.segment_probs[i]]
            o.top_decile_probability = float(ranges.top_decile[i])
            o.bottom_decile_probability = float(ranges.bottom_decile[i])
