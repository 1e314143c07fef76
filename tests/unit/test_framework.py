"""The framework definition: the bundled file validates, a broken file is refused with the file,
YAML line and field named, and a user's variant loads and moves the results the way it should.

Variants are written to ``tmp_path`` as copies of the bundled YAML with one or two lines changed,
exactly as a user would make them.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import duckdb
import pytest

from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.engine.nof.segments import segment_of
from oversight.errors import UserError
from oversight.frameworks import Framework, framework_digest, load_framework
from oversight.frameworks.loader import bundled_path
from oversight.stats.rounding import half_up
from tests.conftest import MH_DATA

Q4 = "Q4 2025/26"
SKIP = RangeOptions(skip=True)


def bundled_lines() -> list[str]:
    return bundled_path().read_text(encoding="utf-8").splitlines()


def metric_line(lines: list[str], metric_id: str, key: str) -> int:
    """0-based index of ``key:`` inside the metric block of ``metric_id``."""
    start = lines.index(f"  - id: {metric_id}")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("  - id: ") or not lines[i].startswith(" "):
            break
        if lines[i].startswith(f"    {key}:"):
            return i
    raise AssertionError(f"{metric_id} has no {key} line")


def write(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_segmentation(lines: list[str], *extra: str) -> list[str]:
    """Insert lines at the end of the top-level ``segmentation:`` block."""
    out = list(lines)
    at = out.index("segmentation:") + 1
    while at < len(out) and out[at].startswith("  "):
        at += 1
    return out[:at] + list(extra) + out[at:]


def metric_index(framework: Framework, metric_id: str) -> int:
    return [m.id for m in framework.metrics].index(metric_id)


# --- the bundled framework ---------------------------------------------------------------------


def test_bundled_framework_validates(framework: Framework) -> None:
    assert framework.quarters == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
    by_path = load_framework(bundled_path())
    by_name = load_framework("nof-2025-26")
    assert framework_digest(by_path) == framework_digest(by_name) == framework_digest(framework)
    assert Framework.model_validate(framework.model_dump()) == framework
    domains, pools = {d.id for d in framework.domains}, {p.id for p in framework.pools}
    for m in framework.metrics:
        assert m.domain in domains and m.pool in pools
    # every ID in NHS England's data file is one the framework knows
    with MH_DATA.open(encoding="utf-8-sig", newline="") as fh:
        ids = {row["Metric_ID"] for row in csv.DictReader(fh)}
    assert ids <= framework.known_ids()


# --- a broken framework file -------------------------------------------------------------------


def _unknown_domain(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    lines = bundled_lines()
    i = metric_line(lines, "OF1084", "domain")
    lines[i] = "    domain: wrokforce"
    path = write(tmp, "unknown-domain.yaml", lines)
    return path, i + 1, f"metrics.{metric_index(fw, 'OF1084')}.domain", "wrokforce"


def _unknown_pool(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    lines = bundled_lines()
    i = metric_line(lines, "OF1082", "pool")
    lines[i] = "    pool: all_trust"
    path = write(tmp, "unknown-pool.yaml", lines)
    return path, i + 1, f"metrics.{metric_index(fw, 'OF1082')}.pool", "all_trust"


def _cut_point_count(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    lines = with_segmentation(bundled_lines(), "  cut_points:", '    "Q4 2025/26": [1.9, 2.4]')
    path = write(tmp, "cut-points.yaml", lines)
    i = lines.index('    "Q4 2025/26": [1.9, 2.4]')
    return path, i + 1, "segmentation.cut_points.Q4 2025/26", "3 cut-points"


def _typo(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    lines = bundled_lines()
    i = metric_line(lines, "OF1084", "polarity")
    lines[i] = lines[i].replace("polarity:", "polarty:")
    path = write(tmp, "typo.yaml", lines)
    return path, i + 1, f"metrics.{metric_index(fw, 'OF1084')}.polarty", "polarty"


def _wrong_type(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    lines = bundled_lines()
    i = metric_line(lines, "OF1084", "pool")
    lines.insert(i + 1, "    weight: heavy")
    path = write(tmp, "wrong-type.yaml", lines)
    return path, i + 2, f"metrics.{metric_index(fw, 'OF1084')}.weight", "number"


def _domain_cut_points_unknown_domain(tmp: Path, fw: Framework) -> tuple[Path, int, str, str]:
    extra = ["  domain_cut_points:", '    "Q4 2025/26":', "      wrokforce: [1.9, 2.5, 3.0]"]
    lines = with_segmentation(bundled_lines(), *extra)
    path = write(tmp, "domain-cut-points.yaml", lines)
    i = lines.index(extra[-1])
    return path, i + 1, "segmentation.domain_cut_points.Q4 2025/26.wrokforce", "wrokforce"


CASES = [
    pytest.param(_unknown_domain, id="unknown-domain"),
    pytest.param(_unknown_pool, id="unknown-pool"),
    pytest.param(_cut_point_count, id="cut-point-count"),
    pytest.param(_typo, id="typo-field-name"),
    pytest.param(_wrong_type, id="wrong-type"),
]


@pytest.mark.parametrize("build", CASES)
def test_broken_framework_is_a_user_error_naming_file_and_value(
    tmp_path: Path, framework: Framework, build: object
) -> None:
    path, _, _, named = build(tmp_path, framework)  # type: ignore[operator]
    with pytest.raises(UserError) as caught:
        load_framework(path)
    text = str(caught.value)
    assert str(path) in text and named in text


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(_unknown_domain, id="unknown-domain"),
        pytest.param(_unknown_pool, id="unknown-pool"),
        pytest.param(_cut_point_count, id="cut-point-count"),
        pytest.param(_typo, id="typo-field-name"),
        pytest.param(_wrong_type, id="wrong-type"),
        pytest.param(_domain_cut_points_unknown_domain, id="domain-cut-points"),
    ],
)
def test_broken_framework_names_yaml_line_and_field_path(
    tmp_path: Path, framework: Framework, build: object
) -> None:
    path, line, field_path, _ = build(tmp_path, framework)  # type: ignore[operator]
    with pytest.raises(UserError) as caught:
        load_framework(path)
    problems = [p for p in caught.value.problems if p.field == field_path]
    assert problems, str(caught.value)
    assert problems[0].line == line and problems[0].file == str(path)
    shown = [t for t in str(caught.value).splitlines() if repr(field_path) in t]
    assert shown and re.search(rf"\bline {line}\b", shown[0]) and str(path) in shown[0]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    lines = bundled_lines()
    i = metric_line(lines, "OF1084", "name")
    lines[i] = "    name: [unclosed"
    path = write(tmp_path, "syntax.yaml", lines)
    with pytest.raises(UserError) as caught:
        load_framework(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.line is not None and i + 1 <= problem.line <= i + 3


def test_missing_framework_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="No framework file"):
        load_framework(tmp_path / "nope.yaml")


# --- a user's variant, run on the bundled files ------------------------------------------------


@pytest.fixture(scope="module")
def baseline(national_store: Path, framework: Framework) -> QuarterResult:
    con = duckdb.connect(str(national_store), read_only=True)
    try:
        return run_quarter(con, framework, Q4, SKIP)
    finally:
        con.close()


def fmt(values: tuple[float, ...] | list[float]) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def test_typed_cut_points_decide_the_segments(
    tmp_path: Path, store: duckdb.DuckDBPyConnection, framework: Framework, baseline: QuarterResult
) -> None:
    cuts = (1.75, 2.0, 2.5)
    path = write(
        tmp_path,
        "cuts.yaml",
        with_segmentation(bundled_lines(), "  cut_points:", f'    "{Q4}": {fmt(cuts)}'),
    )
    variant = load_framework(path)
    assert framework_digest(variant) != framework_digest(framework)
    result = run_quarter(store, variant, Q4, SKIP)
    assert result.cut_points.source == "framework" and result.cut_points.values == cuts
    base = {o.trust_code: o for o in baseline.orgs}
    floor = variant.financial_override.floor_segment
    # boundary 'lower': an average equal to a cut-point is in the worse segment
    assert variant.segmentation.boundary == "lower"
    best = [o for o in result.orgs if o.average_score is not None and o.average_score < cuts[0]]
    assert best, "some trusts average better than 1.75 in Q4"
    assert all(o.segment_unadjusted == 1 for o in best)
    for o in result.orgs:
        assert o.average_score == base[o.trust_code].average_score  # cut-points move no score
        assert o.average_score is not None
        assert o.segment_unadjusted == segment_of(o.average_score, cuts, "lower")
        flagged = o.in_financial_deficit
        assert o.segment == (max(o.segment_unadjusted, floor) if flagged else o.segment_unadjusted)
    assert any(o.segment != base[o.trust_code].segment for o in result.orgs)
    # ranks follow the new segments: segment first, then average
    keys = {o.trust_code: (o.segment, o.average_score) for o in result.orgs}
    for o in result.orgs:
        assert o.rank == 1 + sum(k < keys[o.trust_code] for k in keys.values())


def _weighted_variant(tmp: Path, typed_cuts: QuarterResult | None) -> Framework:
    lines = bundled_lines()
    lines.insert(metric_line(lines, "OF1084", "pool") + 1, "    weight: 2")
    if typed_cuts is not None:  # keep the national cut-points fixed, typed in
        workforce = typed_cuts.domain_cut_points["workforce"].values
        lines = with_segmentation(
            lines,
            "  cut_points:",
            f'    "{Q4}": {fmt(typed_cuts.cut_points.values)}',
            "  domain_cut_points:",
            f'    "{Q4}":',
            f"      workforce: {fmt(workforce)}",
        )
    variant = load_framework(write(tmp, "weight.yaml", lines))
    assert variant.metric("OF1084").weight == 2
    return variant


def _assert_weight_moves_averages(
    framework: Framework, baseline: QuarterResult, result: QuarterResult
) -> None:
    base = {o.trust_code: o for o in baseline.orgs}
    changed = 0
    for o in result.orgs:
        b = base[o.trust_code]
        assert b.average_score is not None and o.average_score is not None
        used = [s for s in b.scores if framework.metric(s.metric_id).in_average]
        s84 = next((s.used for s in used if s.metric_id == "OF1084"), None)
        if s84 is None:
            assert o.average_score == b.average_score
            continue
        # the engine's weighted mean, by hand: OF1084 counted twice
        expected = half_up(math.fsum([s.used for s in used] + [s84]) / (len(used) + 1))
        assert o.average_score == expected, o.trust_code
        # ... which moves the average towards the OF1084 score
        if s84 > b.average_score + 0.005:
            assert o.average_score >= b.average_score
        elif s84 < b.average_score - 0.005:
            assert o.average_score <= b.average_score
        changed += o.average_score != b.average_score
    assert changed >= 10


def test_weight_variant_moves_averages_towards_the_weighted_metric(
    tmp_path: Path, store: duckdb.DuckDBPyConnection, framework: Framework, baseline: QuarterResult
) -> None:
    variant = _weighted_variant(tmp_path, typed_cuts=baseline)
    result = run_quarter(store, variant, Q4, SKIP)
    _assert_weight_moves_averages(framework, baseline, result)
    base = {o.trust_code: o for o in baseline.orgs}
    for o in result.orgs:  # same cut-points: segments move with the averages
        b = base[o.trust_code]
        assert o.average_score is not None and b.average_score is not None
        assert o.segment_unadjusted is not None and b.segment_unadjusted is not None
        if o.average_score > b.average_score:
            assert o.segment_unadjusted >= b.segment_unadjusted
        elif o.average_score < b.average_score:
            assert o.segment_unadjusted <= b.segment_unadjusted


def test_weight_variant_runs_without_typed_cut_points(
    tmp_path: Path, store: duckdb.DuckDBPyConnection, framework: Framework, baseline: QuarterResult
) -> None:
    variant = _weighted_variant(tmp_path, typed_cuts=None)
    result = run_quarter(store, variant, Q4, SKIP)
    # the publication's cut-points are the national ones, whatever the variant's weights
    assert result.cut_points.values == baseline.cut_points.values
    _assert_weight_moves_averages(framework, baseline, result)
