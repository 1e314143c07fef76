"""Bad YAML files of every kind a user writes: frameworks (``--framework``), policies
(``--policy``) and evaluation plans (``evaluate run``), each a bundled file with one change
(or a small file of its kind), refused before anything is read from or written to the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from tests.badinput.cases import Case

DEFINITIONS = Path(__file__).resolve().parents[2] / "src/oversight/frameworks/definitions"
FRAMEWORK = DEFINITIONS / "nof-2025-26.yaml"
POLICY = DEFINITIONS / "policy-national-2025-26.yaml"
MPDTA = Path(__file__).resolve().parents[2] / "data/reference/mpdta/mpdta.csv"
AE_PLAN = Path(__file__).resolve().parents[2] / "examples/evaluations/ae_merger_raj.yaml"
FW = ("-f",)
LEAGUE = ("league-table", "-t", "mental_health_community")
CONSEQUENCES = ("consequences", "--policy")
EVALUATE = ("evaluate", "run")
Make = Callable[[Path], Sequence[Path]]


def edited(source: Path, name: str, change: Callable[[str], str]) -> Make:
    def make(folder: Path) -> Sequence[Path]:
        target = folder / name
        target.write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
        return [target]

    return make


def written(name: str, content: bytes | str) -> Make:
    def make(folder: Path) -> Sequence[Path]:
        target = folder / name
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
        return [target]

    return make


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return change


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
PLAN = f"""name: bad-plan
intervention: State minimum-wage increase
frequency: year
data:
  source: csv
  path: {MPDTA}
  unit_column: countyreal
  period_column: year
treated:
  - {{unit: '8001', start: 2007}}
outcome:
  primary: lemp
  smallest_effect: 0.02
pre_period:
  start: 2003
methods:
  - method: callaway_santanna
    control_group: never_treated
"""


def plan(change: Callable[[str], str]) -> Make:
    return written("plan.yaml", change(PLAN))


def framework(change: Callable[[str], str]) -> Make:
    return edited(FRAMEWORK, "framework.yaml", change)


def policy(change: Callable[[str], str]) -> Make:
    return edited(POLICY, "policy.yaml", change)


def fw_case(id_: str, what: str, make: Make, expected: str) -> Case:
    return Case(id_, what, make, expected, FW, LEAGUE)


def policy_case(id_: str, what: str, make: Make, expected: str) -> Case:
    return Case(id_, what, make, expected, CONSEQUENCES)


CASES = [
    # frameworks
    fw_case(
        "fw-not-utf8",
        "a Latin-1 byte in a comment",
        lambda f: [_bytes(f / "framework.yaml", FRAMEWORK.read_bytes() + b"# caf\xe9\n")],
        "UTF-8",
    ),
    fw_case("fw-billion-laughs", "nested aliases", written("framework.yaml", LAUGHS), "anchors"),
    fw_case(
        "fw-tab-indent",
        "a tab indenting a key",
        framework(replace("\nversion:", "\n\tversion:")),
        "line",
    ),
    fw_case(
        "fw-huge",
        "a 3 MB file",
        lambda f: [_bytes(f / "framework.yaml", b"# pad\n" * 500_000)],
        "too large",
    ),
    fw_case(
        "fw-deep", "lists nested 100 deep", written("framework.yaml", "a: " + "[" * 100), "deep"
    ),
    fw_case("fw-a-list", "a list, not a mapping", written("framework.yaml", "- id: nof\n"), ""),
    fw_case("fw-empty", "an empty file", written("framework.yaml", ""), ""),
    fw_case(
        "fw-python-tag",
        "a Python object tag",
        written("framework.yaml", "id: !!python/object/apply:os.system ['true']\n"),
        "line 1",
    ),
    fw_case(
        "fw-unterminated-quote",
        "a quote never closed",
        framework(replace('version: "2025/26"', 'version: "2025/26')),
        "line",
    ),
    fw_case("fw-missing-id", "no id", framework(replace("\nid: nof\n", "\n")), "id"),
    fw_case(
        "fw-quarters-as-text",
        "quarters a string",
        framework(replace('quarters: ["Q1', 'quarters: "Q1 2025/26"\nx_quarters: ["Q1')),
        "quarters",
    ),
    fw_case(
        "fw-unknown-key",
        "an undeclared top-level key",
        framework(replace("\nid: nof\n", "\nid: nof\nweights_typo: 3\n")),
        "weights_typo",
    ),
    # policies
    policy_case(
        "policy-parameters-list",
        "parameters as a list",
        written(
            "policy.yaml",
            "id: p\nversion: '1'\nname: P\nframework: nof\nparameters: [1, 2]\nrules: []\n",
        ),
        "parameters",
    ),
    policy_case(
        "policy-rules-strings",
        "rules as strings",
        written("policy.yaml", "id: p\nversion: '1'\nname: P\nframework: nof\nrules: [a, b]\n"),
        "rules",
    ),
    policy_case(
        "policy-extends-outside",
        "extends /etc/passwd",
        written("policy.yaml", "extends: /etc/passwd\nid: p\n"),
        "extends",
    ),
    policy_case(
        "policy-extends-parent",
        "extends a file in the parent folder",
        written("policy.yaml", "extends: ../policy-national-2025-26.yaml\nid: p\n"),
        "extends",
    ),
    policy_case(
        "policy-extends-missing",
        "extends a policy that is not there",
        written("policy.yaml", "extends: national-2099\nid: p\n"),
        "national-2099",
    ),
    policy_case(
        "policy-billion-laughs",
        "nested aliases",
        written("policy.yaml", LAUGHS),
        "anchors",
    ),
    policy_case(
        "policy-unknown-parameter",
        "a rule using an undefined parameter",
        policy(replace("for_quarters: $freedom_quarters", "for_quarters: $freedom_quaters")),
        "freedom_quaters",
    ),
    policy_case(
        "policy-duplicate-rule",
        "two rules with one id",
        policy(replace("  - id: deficit_closer_look", "  - id: earned_autonomy")),
        "earned_autonomy",
    ),
    policy_case(
        "policy-unknown-kind",
        "a rule of an undeclared kind",
        policy(replace("    kind: freedom", "    kind: bonus")),
        "field 'rules.0.kind'",
    ),
    policy_case(
        "policy-unknown-condition",
        "a condition the engine does not know",
        policy(replace("segment_in: [1], financial_deficit: false, for", "segmnt_in: [1], for")),
        "segmnt_in",
    ),
    policy_case(
        "policy-segment-99",
        "segment 99 in a condition",
        policy(replace("segment_in: [1], financial_deficit: false, for", "segment_in: [99], for")),
        "99",
    ),
    policy_case(
        "policy-not-utf8",
        "a Latin-1 byte",
        lambda f: [_bytes(f / "policy.yaml", POLICY.read_bytes() + b"# \xa3m\n")],
        "UTF-8",
    ),
    # evaluation plans
    Case(
        "plan-unknown-method",
        "method 'magic'",
        plan(replace("callaway_santanna", "magic")),
        "magic",
        EVALUATE,
    ),
    Case(
        "plan-no-outcome",
        "no outcome",
        plan(replace("outcome:\n  primary: lemp\n  smallest_effect: 0.02\n", "")),
        "outcome",
        EVALUATE,
    ),
    Case(
        "plan-a-list",
        "a list, not a mapping",
        written("plan.yaml", "- name: x\n"),
        "mapping",
        EVALUATE,
    ),
    Case(
        "plan-bad-start",
        "a treated start 'soon'",
        plan(replace("start: 2007", "start: soon")),
        "soon",
        EVALUATE,
    ),
    Case(
        "plan-unknown-frequency",
        "frequency 'fortnight'",
        plan(replace("frequency: year", "frequency: fortnight")),
        "field 'frequency'",
        EVALUATE,
    ),
    Case(
        "plan-billion-laughs", "nested aliases", written("plan.yaml", LAUGHS), "anchors", EVALUATE
    ),
    Case(
        "plan-negative-effect",
        "smallest effect -1",
        plan(replace("smallest_effect: 0.02", "smallest_effect: -1")),
        "smallest_effect",
        EVALUATE,
    ),
    Case(
        "plan-ae-without-ae-data",
        "an A&E plan on a store with no A&E data (was an IndexError)",
        edited(AE_PLAN, "ae_plan.yaml", lambda text: text),
        "data.source",
        EVALUATE,
    ),
]


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
