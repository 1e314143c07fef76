"""Data quality on a hand-built quarter: which values each rule flags, and exactly which
organisations change segment when the table is recomputed without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.engine.nof.data_quality import flag_values, recompute, without_flagged
from oversight.engine.nof.inputs import Organisation, Published, QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.errors import UserError
from oversight.frameworks.data_quality import DataQuality, EveryMetric, QualityRule, ValidRange
from oversight.frameworks.loader import bundled_path, load_framework
from oversight.frameworks.model import (
    Domain,
    Framework,
    Metric,
    Pool,
    PublishedOnly,
    Segmentation,
    TrustType,
)

Q = "Q1 2025/26"
# org -> (OF0001, OF1001, OF0002, OF1002, denominator OF0003); None: no row
ORGS: dict[str, tuple[float | None, float, float | None, float, float]] = {
    "A": (90, 1.0, 10, 1.0, 50),  # 1.0, segment 1 throughout
    "B": (80, 1.0, 20, 3.0, 12),  # 2.0 -> 1.0 without OF0002 (denominator 12 < 30): moves
    "C": (150, 2.0, 30, 2.0, 50),  # OF0001 = 150 out of range; 2.0 either way: stays
    "D": (70, 4.0, 40, 4.0, 50),  # OF0001 = 70 but its parts sum to 60: 4.0 either way
    "E": (60, 1.0, None, 4.0, 50),  # OF1002 scored without OF0002: 2.5 -> 1.0, moves
}
PARTS = {"D": (30.0, 30.0), "A": (45.0, 45.0)}


def framework(dq: DataQuality | None = None) -> Framework:
    metrics = [
        Metric(
            id=f"OF100{i}",
            raw_id=f"OF000{i}",
            name=f"m{i}",
            domain="access",
            trust_types=["acute"],
            scoring=PublishedOnly(),
        )
        for i in (1, 2)
    ]
    return Framework(
        id="dq",
        version="1",
        name="data-quality test",
        quarters=[Q],
        trust_types=[TrustType(id="acute", name="Acute")],
        pools=[Pool(id="own_trust_type", kind="own_trust_type")],
        domains=[Domain(id="access", name="Access", score_id="OF4000")],
        metrics=metrics,
        segmentation=Segmentation(cut_points={Q: [1.75, 2.5, 3.25]}),
        context_ids=["OF0003", "OF0005", "OF0006"],
        data_quality=dq or DataQuality(),
    )


RULES = DataQuality(
    every_metric=EveryMetric(missing=True),
    rules=[
        QualityRule(metric="OF0001", valid_range=ValidRange(min=0, max=100)),
        QualityRule(metric="OF0002", min_denominator=30, denominator_id="OF0003"),
        QualityRule(metric="OF0001", parts=["OF0005", "OF0006"], tolerance=0.5),
    ],
)


def quarter() -> QuarterData:
    data = QuarterData(Q, {"acute": 1})

    def put(metric_id: str, org: str, value: float | None) -> None:
        if value is not None:
            data.rows[(metric_id, org)] = Published(value, None, None, None, None, "t.csv", 2)

    for code, (raw1, s1, raw2, s2, n) in ORGS.items():
        data.orgs[code] = Organisation(code, f"Trust {code}", "R", "acute", "")
        for metric_id, value in zip(
            ("OF0001", "OF1001", "OF0002", "OF1002", "OF0003"), (raw1, s1, raw2, s2, n), strict=True
        ):
            put(metric_id, code, value)
    for code, (p1, p2) in PARTS.items():
        put("OF0005", code, p1)
        put("OF0006", code, p2)
    return data


def test_each_rule_flags_exactly_its_values() -> None:
    report = flag_values(framework(RULES), quarter(), "acute")
    got = {(f.trust_code, f.metric_id, f.check) for f in report.flags}
    assert got == {
        ("B", "OF0002", "denominator"),
        ("C", "OF0001", "range"),
        ("D", "OF0001", "total"),
        ("E", "OF0002", "missing"),
    }
    assert all(f.score_id in {"OF1001", "OF1002"} for f in report.flags)
    assert report.not_applied == []


def test_recomputed_without_flags_moves_exactly_the_expected_organisations() -> None:
    fw, data = framework(RULES), quarter()
    report = recompute(fw, data, flag_values(fw, data, "acute"))
    assert report.changes is not None
    moved = {c.trust_code: (c.segment_before, c.segment_after) for c in report.changes}
    assert moved == {"B": (2, 1), "E": (2, 1)}
    after = report.recomputed
    assert after is not None
    c = after.org("C")
    assert c is not None and c.average_score == 2.0  # the flagged metric is missing for C


def test_no_rules_flag_nothing_and_change_nothing() -> None:
    fw, data = framework(), quarter()
    report = recompute(fw, data, flag_values(fw, data, "acute"))
    assert report.flags == [] and report.changes == []
    assert without_flagged(data, []).rows == data.rows
    official = compute_quarter(fw, data, RangeOptions(skip=True))
    assert [(o.trust_code, o.segment, o.rank) for o in official.orgs] == [
        (o.trust_code, o.segment, o.rank)
        for o in report.recomputed.orgs  # type: ignore[union-attr]
    ]


def test_denominator_not_in_the_store_is_reported_not_applied() -> None:
    data = quarter()
    for code in ORGS:
        del data.rows[("OF0003", code)]
    report = flag_values(framework(RULES), data, "acute")
    assert not any(f.check == "denominator" for f in report.flags)
    assert report.not_applied and "OF0003" in report.not_applied[0]


def test_unknown_metric_in_a_rule_is_refused_with_its_yaml_line(tmp_path: Path) -> None:
    text = bundled_path().read_text(encoding="utf-8")
    rule = "  rules:\n    - metric: OF0023\n      valid_range: {min: 0, max: 100}\n"
    bad = "  rules:\n    - metric: OF0023\n      parts: [OF0999]\n"
    assert "  rules: []\n" in text
    path = tmp_path / "fw.yaml"
    path.write_text(text.replace("  rules: []\n", rule), encoding="utf-8")
    assert load_framework(path).data_quality.rules[0].metric == "OF0023"
    path.write_text(text.replace("  rules: []\n", bad), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_framework(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = next(i for i, ln in enumerate(lines, 1) if "OF0999" in ln)
    problem = err.value.problems[0]
    assert "OF0999" in problem.message
    assert problem.line == expected and problem.field == "data_quality.rules.0.parts.0"


def test_minimum_denominator_from_the_source_statistics() -> None:
    rule = QualityRule(metric="OF0002", min_denominator=30)
    fw = framework(DataQuality(rules=[rule]))
    given = {("OF0002", code): n for code, (*_, n) in ORGS.items()}
    report = flag_values(fw, quarter(), "acute", given)
    # E has no OF0002 value to flag; B's 12 is below 30
    assert [(f.trust_code, f.check) for f in report.flags] == [("B", "denominator")]
    assert "(source statistics) = 12" in report.flags[0].reason
    unchecked = flag_values(fw, quarter(), "acute")
    assert unchecked.flags == [] and "source statistics" in unchecked.not_applied[0]
