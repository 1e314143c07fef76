"""Making Data Count icons, phases, standard and target lines and red/amber/green, in words.

Icons must say what they mean in text (not colour alone); the assurance icon is judged against
the target in force in the latest month, else the standard; red/amber/green follows the funnel's
99.8% and 95% limits and the metric's direction.
"""

from __future__ import annotations

from typing import get_args

import pytest

from oversight.frameworks.ae import ae_metrics
from oversight.frameworks.collections import TargetLine, collection
from oversight.service import spc_summary
from oversight.stats import spc


def test_every_icon_has_a_text_label_and_symbol() -> None:
    for code in get_args(spc.Variation):
        icon = spc_summary.variation_icon(code)
        assert icon.code == code and icon.label and icon.symbol and icon.text
    for code in get_args(spc.Assurance):
        icon = spc_summary.assurance_icon(code)
        assert icon.code == code and icon.label and icon.symbol and icon.text
    assert spc_summary.variation_icon(None).code == "none"
    assert spc_summary.assurance_icon(None).label == "No target"
    # improvement and concern differ in words, not only in colour
    assert "improving" in spc_summary.variation_icon("improvement_high").label
    assert "concerning" in spc_summary.variation_icon("concern_low").label
    assert spc_summary.assurance_icon("inconsistent").label == "Hit and miss"


def line(kind: str, value: float, start: str | None = None, end: str | None = None) -> TargetLine:
    return TargetLine(
        metric="m", kind=kind, value=value, label=f"{value}", start=start, end=end, source="s"
    )  # type: ignore[arg-type]


def test_the_target_in_force_wins_over_the_standard() -> None:
    lines = [line("standard", 0.95), line("target", 0.78, "2024-04", "2026-03")]
    assert spc_summary.operative_line(lines, "2025-06") == lines[1]
    assert spc_summary.operative_line(lines, "2026-05") == lines[0]  # the target has lapsed
    assert spc_summary.operative_line(lines, "2024-03") == lines[0]
    assert spc_summary.operative_line([], "2025-06") is None


def test_assurance_against_the_78_percent_target() -> None:
    # a process running at 73-74% with the 78% target above its upper limit always fails it
    y = [0.73, 0.74, 0.735, 0.74, 0.73, 0.738, 0.732, 0.74, 0.73, 0.735, 0.74, 0.73]
    c = spc.chart(y, "increase", target=0.78)
    assert c.limits[0].upper < 0.78 and c.assurance == "consistent_fail"
    assert spc.chart(y, "increase", target=0.74).assurance == "inconsistent"


@pytest.mark.parametrize(
    ("flag_95", "flag_99_8", "higher_is_better", "expected"),
    [
        ("above", "above", True, "green"),
        ("below", "below", True, "red"),
        ("above", "above", False, "red"),
        ("below", "below", False, "green"),
        ("above", "within", True, "amber"),
        ("below", "within", True, "amber"),
        ("within", "within", True, "similar"),
    ],
)
def test_rag_follows_the_funnel_limits_and_direction(
    flag_95: str, flag_99_8: str, higher_is_better: bool, expected: str
) -> None:
    got = spc_summary.rag(flag_95, flag_99_8, higher_is_better, "England")
    assert got.code == expected and "England" in got.label
    if expected == "amber":
        assert ("better" in got.label) == ((flag_95 == "above") == higher_is_better)
    assert "99.8%" in spc_summary.rag_rule("England") and "95%" in spc_summary.rag_rule("X")


def test_the_ae_collection_declares_change_points_and_lines() -> None:
    declared = collection("ae_monthly").spc
    months = [c.month for c in declared.change_points]
    assert months[0] == "2020-03" and months == sorted(months)
    assert all(len(c.reason) > 80 for c in declared.change_points)  # a reason, not a label
    four_hour = {(x.kind, x.value) for x in declared.lines if x.metric == "ae_4hr_all_types"}
    assert {("standard", 0.95), ("target", 0.78)} <= four_hour
    metric_ids = {m.id for m in ae_metrics().metrics}
    assert {x.metric for x in declared.lines} <= metric_ids


def test_phases_name_their_change_points() -> None:
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
    y = [0.9 + 0.01 * (-1) ** i for i in range(14)] + [0.7 + 0.01 * (-1) ** i for i in range(22)]
    cps = spc_summary.change_points("ae_monthly")
    c = spc.chart(y, "increase", rebase=spc.phase_starts(months, [cp.month for cp in cps]))
    phases = spc_summary.phases(c, months, cps)
    assert [(p.first, p.last, p.points) for p in phases] == [
        ("2019-01", "2020-02", 14),
        ("2020-03", "2021-03", 13),
        ("2021-04", "2021-12", 9),
    ]
    assert phases[0].title == "Start of the series"
    assert phases[1].title == cps[0].title and phases[2].reason == cps[1].reason
    assert phases[2].trial and not phases[1].trial
