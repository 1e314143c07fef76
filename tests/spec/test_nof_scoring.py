"""Each NOF scoring spec on each scoring path; every path must give exactly the expected values.

The publication a spec describes is the same on every path; the framework decides the path, as
it does for real metrics: a pool of the metric's own trust type is in the store (computed), a
pool of providers outside the store is not (published scores unrounded), and a metric with no
raw value is taken as published.
"""

from __future__ import annotations

from typing import Any

import pytest

from oversight.engine.nof.inputs import Organisation, Published, QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.model import (
    Domain,
    Framework,
    Metric,
    Pool,
    PublishedOnly,
    RankScale,
    Segmentation,
    TrustType,
)
from oversight.stats.rounding import half_up
from tests.spec.specs_nof import PATHS, PUBLISHED, SPECS, UNROUNDED, NofSpec

QUARTER = "Q1 2025/26"
# spec column -> (score ID, raw ID, domain, polarity)
METRICS = {
    "m1": ("OF1001", "OF0001", "access", "higher_is_better"),
    "m2": ("OF1002", "OF0002", "safety", "lower_is_better"),
    "m3": ("OF1003", "OF0003", "access", "higher_is_better"),
}
FLAGS = {"deficit": "OF5004", "support": "OF5007", "avg_pub": "OF5002", "seg_pub": "OF5003"}


def framework_for(spec: NofSpec, path: str) -> Framework:
    metrics = [
        Metric(
            id=score_id,
            raw_id=raw_id,
            name=column,
            domain=domain,
            trust_types=["acute", "ambulance"],
            polarity=polarity,
            scoring=PublishedOnly() if path == PUBLISHED else RankScale(),
            pool="elsewhere" if path == UNROUNDED else "own_trust_type",
            weight=spec.weights.get(column, 1.0),
        )
        for column, (score_id, raw_id, domain, polarity) in METRICS.items()
    ]
    return Framework(
        id="spec",
        version="1",
        name="spec framework",
        quarters=[QUARTER],
        trust_types=[TrustType(id="acute", name="Acute"), TrustType(id="ambulance", name="Amb")],
        pools=[
            Pool(id="own_trust_type", kind="own_trust_type"),
            Pool(id="elsewhere", kind="external", description="providers outside the store"),
        ],
        domains=[
            Domain(id="access", name="Access", score_id="OF4000"),
            Domain(id="safety", name="Safety", score_id="OF4002"),
        ],
        metrics=metrics,
        segmentation=Segmentation(
            population=list(spec.population),
            cut_points={QUARTER: list(spec.typed_cuts)} if spec.typed_cuts else {},
        ),
    )


def parse_orgs(text: str) -> list[dict[str, str]]:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    header = [h.strip() for h in lines[0].strip("|").split("|")]
    return [
        dict(zip(header, (c.strip() for c in ln.strip("|").split("|")), strict=True))
        for ln in lines[1:]
    ]


def rank_scores(values: dict[str, float], higher_is_better: bool) -> dict[str, tuple[int, int]]:
    """The publisher's rank R ('min' ties) and pool size N of each value: the test's oracle."""
    better = (lambda a, b: a > b) if higher_is_better else (lambda a, b: a < b)
    n = len(values)
    return {o: (1 + sum(better(w, v) for w in values.values()), n) for o, v in values.items()}


def publication(spec: NofSpec) -> QuarterData:
    """The spec's table as NHS England's file would carry it: raw values with their
    within-type ranks, 2-dp scores, flags and published results."""
    rows = parse_orgs(spec.orgs)
    data = QuarterData(QUARTER, {r["type"]: 1 for r in rows})
    line = iter(range(2, 10_000))

    def put(metric_id: str, org: str, value: float, rank: float | None = None) -> None:
        data.rows[(metric_id, org)] = Published(
            value, rank, None, None, None, "spec.csv", next(line)
        )

    for r in rows:
        data.orgs[r["org"]] = Organisation(r["org"], f"Trust {r['org']}", "R", r["type"], "")
        for column, metric_id in FLAGS.items():
            if r.get(column):
                put(metric_id, r["org"], float(r[column]))
    for column, (score_id, raw_id, _, polarity) in METRICS.items():
        for trust_type in sorted(data.trust_types):
            values = {
                r["org"]: float(r[column])
                for r in rows
                if r["type"] == trust_type and r.get(column)
            }
            for org, (rank, n) in rank_scores(values, polarity == "higher_is_better").items():
                score = 1.0 + 3.0 * (rank - 1) / (n - 1) if n > 1 else 1.0
                put(raw_id, org, values[org], rank)
                put(score_id, org, half_up(score), rank)
    return data


def expected(spec: NofSpec, path: str, name: str) -> dict[str, Any]:
    return {**getattr(spec, name), **spec.per_path.get(path, {}).get(name, {})}


def _org(result: QuarterResult, code: str) -> OrgResult:
    return next(o for o in result.orgs if o.trust_code == code)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_spec(spec: NofSpec, path: str) -> None:
    if path in spec.skip:
        pytest.skip(spec.skip[path])
    result = compute_quarter(framework_for(spec, path), publication(spec), RangeOptions(skip=True))
    by_key = {
        f"{s.org} {column}": s
        for o in result.orgs
        for s in o.scores
        for column, (score_id, *_) in METRICS.items()
        if s.metric_id == score_id
    }
    assert {s.source for s in by_key.values()} == {path}, "every score came by the spec's path"
    for key, score in expected(spec, path, "scores").items():
        assert by_key[key].used == pytest.approx(score, abs=1e-12), key
    if path != PUBLISHED:
        for key, (r, n) in spec.pool_ranks.items():
            assert (by_key[key].pool_rank, by_key[key].pool_size) == (r, n), key
    for code, average in expected(spec, path, "averages").items():
        assert _org(result, code).average_score == average, code
    for key, score in expected(spec, path, "domains").items():
        code, domain = key.split()
        assert _org(result, code).domain_scores[domain] == score, key
    for name, attribute in (
        ("segments", "segment_unadjusted"),
        ("adjusted", "segment"),
        ("final", "segment_final"),
        ("ranks", "rank"),
    ):
        for code, value in expected(spec, path, name).items():
            assert getattr(_org(result, code), attribute) == value, f"{name} {code}"
    if spec.cut_points is not None:
        assert result.cut_points.values == pytest.approx(spec.cut_points)
        assert result.cut_points.source == spec.cut_source
