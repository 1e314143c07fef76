"""Policy files: the bundled national policy, local variants, and bad files named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.frameworks import Framework
from oversight.frameworks.policy_loader import load_policy, policy_path
from oversight.frameworks.policy_model import DeficitBand
from oversight.policy.deficit import band_for, place

NATIONAL = policy_path(None).read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, framework: Framework) -> list[str]:
    with pytest.raises(UserError) as err:
        load_policy(path, framework)
    return [f"{p.line}|{p.field}|{p.message}" for p in err.value.problems]


def test_the_national_policy_loads_with_its_parameters_in_place(framework: Framework) -> None:
    policy = load_policy(None, framework)
    failing = policy.conditions["persistently_failing"]
    assert failing.for_quarters == 3 and failing.likely_rank_in_bottom == 0.5
    assert [b.up_to for b in policy.deficit_ladder.bands_gbp_m] == [20, 30, None]


def test_an_unknown_metric_names_the_rule_and_field(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace(
        "when: {segment_in: [5]}", "when: {segment_in: [5], metric_score_at_most: {OF1999: 2}}"
    )
    (problem,) = problems_of(write(tmp_path, text), framework)
    line, field, message = problem.split("|")
    assert field.endswith(".when.metric_score_at_most")
    assert "rule 'recovery_support'" in message and "OF1999" in message
    assert (
        int(line)
        == text.splitlines().index(next(x for x in text.splitlines() if "OF1999" in x)) + 1
    )


def test_overlapping_bands_are_refused(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("above: $deficit_intervention_gbp_m}", "above: 25}")
    problems = problems_of(write(tmp_path, text), framework)
    assert any("bands_gbp_m.2.above" in p and "overlaps 'closer_look'" in p for p in problems)


def test_a_gap_between_bands_is_refused(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("above: $deficit_intervention_percent}", "above: 2.5}")
    problems = problems_of(write(tmp_path, text), framework)
    assert any("bands_percent.2.above" in p and "gap between" in p for p in problems)


def test_a_missing_parameter_names_the_rule_and_field(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("  watch_quarters: 2 ", "  watch_quartres: 2 ")
    (problem,) = problems_of(write(tmp_path, text), framework)
    assert "rule 'improvement_plan'" in problem and "missing parameter 'watch_quarters'" in problem
    assert "|rules.3.when.for_quarters|" in problem


def test_unknown_condition_band_and_domain_are_each_named(
    tmp_path: Path, framework: Framework
) -> None:
    text = (
        NATIONAL.replace("{condition: persistently_failing}", "{condition: persistently_failng}", 1)
        .replace("deficit_band_in: [closer_look]}\n", "deficit_band_in: [closer]}\n", 1)
        .replace("finance_domain: finance", "finance_domain: money")
    )
    problems = problems_of(write(tmp_path, text), framework)
    joined = "\n".join(problems)
    assert "no condition named 'persistently_failng'" in joined
    assert "no deficit band 'closer'" in joined and "rule 'deficit_closer_look'" in joined


def test_an_unknown_domain_is_named(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("finance_domain: finance", "finance_domain: money")
    (problem,) = problems_of(write(tmp_path, text), framework)
    assert "|capital.finance_domain|unknown domain 'money'" in problem


def test_duplicate_rules_are_refused(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("id: turnaround_team", "id: leadership_review")
    (problem,) = problems_of(write(tmp_path, text), framework)
    assert "|rules.8.id|rule 'leadership_review': the id is already used by rules.7" in problem


def test_a_segment_outside_1_to_5_is_refused(tmp_path: Path, framework: Framework) -> None:
    text = NATIONAL.replace("when: {segment_in: [5]}", "when: {segment_in: [6]}")
    (problem,) = problems_of(write(tmp_path, text), framework)
    assert "|rules.4.when.segment_in|rule 'recovery_support': segments run 1 to 5, not 6" in problem


def test_a_variant_changes_only_what_differs(tmp_path: Path, framework: Framework) -> None:
    path = write(
        tmp_path,
        "id: north-east\nversion: '1'\nextends: national-2025-26\n"
        "parameters: {persistent_failure_quarters: 2}\n"
        "remove_rules: [capital_priority]\n"
        "rules:\n"
        "  - id: recovery_support\n    kind: intervention\n    title: Regional recovery\n"
        "    consequences: [Regional recovery board]\n    reason: Segment 5.\n"
        "    when: {segment_in: [5]}\n    effective_from: Q3 2025/26\n",
    )
    policy = load_policy(path, framework)
    assert policy.id == "north-east"
    assert policy.conditions["persistently_failing"].for_quarters == 2
    assert "capital_priority" not in {r.id for r in policy.rules}
    rule = next(r for r in policy.rules if r.id == "recovery_support")
    assert rule.title == "Regional recovery" and rule.effective_from == "Q3 2025/26"


# The ladder: a < overspend <= b, lower edge exclusive, upper edge inclusive (docs/policy.md).
LADDER = [
    DeficitBand(id="no_action", label="", up_to=20),
    DeficitBand(id="closer_look", label="", above=20, up_to=30),
    DeficitBand(id="intervention", label="", above=30),
]


@pytest.mark.parametrize(
    ("overspend", "band"),
    [
        (-5.0, "no_action"),  # a surplus
        (0.0, "no_action"),
        (20.0, "no_action"),  # "up to and including £20m"
        (20.000001, "closer_look"),
        (30.0, "closer_look"),  # "over £30m" is intervention, so exactly 30 is not
        (30.01, "intervention"),
        (1e6, "intervention"),
    ],
)
def test_deficit_bands_are_inclusive_and_exclusive_as_documented(
    overspend: float, band: str
) -> None:
    assert band_for(overspend, LADDER).id == band


def test_pounds_are_used_when_turnover_is_known(framework: Framework) -> None:
    ladder = load_policy(None, framework).deficit_ladder
    by_percent = place(ladder, None, 1.5)
    by_pounds = place(ladder, 31.0, 1.5)
    assert by_percent is not None and by_percent.band == "closer_look"
    assert by_percent.basis == "percent"
    assert by_pounds is not None and by_pounds.band == "intervention"
    assert by_pounds.basis == "gbp_m"
    assert place(ladder, None, None) is None
