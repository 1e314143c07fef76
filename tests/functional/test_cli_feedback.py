"""What the CLI tells its user (issue 16, item 5): a "Wrote PATH (WHAT)" line for every file a
command writes, `evaluate run` printing the tables its verdicts refer to, percentages with
their unit, names never cut at a narrow console, and no progress output when standard error
is not a terminal. Every command runs in process (tests/functional/inprocess.py), at the
80 columns of a pipe unless said otherwise."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from oversight.cli.feedback import progress_bar
from tests.functional.inprocess import oversight

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "examples" / "evaluations"
MH = "Mental health and community trust"
# what a drawn bar or a cursor movement leaves in the output
PROGRESS_MARKS = re.compile(r"\x1b|\r|━")


def words(table_text: str) -> list[str]:
    """The table's text as words: box-drawing characters and line ends become spaces, so a
    name wrapped over two lines of a cell still gives all its words."""
    return re.sub(r"[\u2500-\u257f]", " ", table_text).split()


def assert_whole(names: list[str], table_text: str) -> None:
    """Every word of every name appears in the table as a whole word ("inco" is not
    "income"), and a word appears as often as the names hold it."""
    seen = words(table_text)
    for name in names:
        for word in name.split():
            assert word in seen, f"{word!r} of {name!r} is cut or missing"
    wanted: dict[str, int] = {}
    for name in names:
        for word in name.split():
            wanted[word] = wanted.get(word, 0) + 1
    for word, count in wanted.items():
        assert seen.count(word) >= count, f"{word!r}: {seen.count(word)} of {count}"


def _pilot_plan(tmp_path: Path, draws: int = 200) -> Path:
    plan = yaml.safe_load((PLANS / "pilot_design_prop99.yaml").read_text())
    plan["data"]["path"] = str(ROOT / "data" / "reference" / "prop99" / "smoking_data.csv")
    plan["methods"][0]["draws"] = draws
    path = tmp_path / "pilot.yaml"
    path.write_text(yaml.safe_dump(plan))
    return path


def test_spc_chart_says_where_it_wrote(national_store: Path, tmp_path: Path) -> None:
    png = tmp_path / "spc.png"
    done = oversight("spc", "RWR", "OF0082", "--format", "csv", "--chart", png, db=national_store)
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert f"Wrote {png} (SPC chart of RWR OF0082)" in done.stderr.splitlines()
    # standard output stays the CSV alone
    assert done.stdout.splitlines()[0].startswith("period,")
    assert "Wrote" not in done.stdout


def test_funnel_and_rank_probability_charts_say_where(national_store: Path, tmp_path: Path) -> None:
    svg = tmp_path / "p.svg"
    done = oversight(
        "rank-probabilities", "-t", MH, "--format", "json", "--chart", svg, db=national_store
    )
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)  # nothing else on standard output
    assert f"Wrote {svg} (segment probability chart, Q4 2025/26)" in done.stderr
    assert svg.read_text().lstrip().startswith("<?xml")


def test_evaluate_run_prints_its_design_table(tmp_path: Path) -> None:
    plan = _pilot_plan(tmp_path)
    db = str(tmp_path / "s.duckdb")
    report = tmp_path / "report.txt"
    table = oversight("--db", db, "evaluate", "run", plan, "-o", report, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "See the design table" in table.stdout
    assert "Design table (pilot design" in table.stdout
    assert f"Wrote {report} (evaluation report, text)" in table.stderr
    assert "Design table (pilot design" in report.read_text()
    # every design of the JSON report is a row, its power a percentage with one decimal
    as_json = oversight("--db", db, "evaluate", "run", plan, "--format", "json", cwd=tmp_path)
    (result,) = json.loads(as_json.stdout)["results"]
    designs = result["tables"]["designs"]
    assert len(designs) == 6
    rows = [line for line in table.stdout.splitlines() if line.startswith("│")]
    for d in designs:
        power = f"{d['power_at_smallest_effect']:.1%}"
        coverage = f"{d['coverage']:.1%}"
        assert any(
            r.split("│")[1].strip() == str(int(d["organisations"]))
            and r.split("│")[2].strip() == str(int(d["post_periods"]))
            and power in r
            and coverage in r
            for r in rows
        ), (d, rows)
    # not a terminal: no bar, no cursor movement on either stream
    assert not PROGRESS_MARKS.search(table.stderr)
    assert not PROGRESS_MARKS.search(as_json.stdout + as_json.stderr)


def test_evaluate_plots_and_json_report_say_where(tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "reference" / "organ_donation" / "organ_donation.csv", tmp_path)
    plan = yaml.safe_load((PLANS / "organ_donation.yaml").read_text())
    plan["data"]["path"] = "organ_donation.csv"
    path = tmp_path / "od.yaml"
    path.write_text(yaml.safe_dump(plan))
    out = tmp_path / "r.json"
    done = oversight(
        "--db", tmp_path / "s.duckdb", "evaluate", "run", path, "--format", "json", "-o", out,
        "--plots", tmp_path / "plots", "--plot-format", "svg", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert f"Wrote {out} (evaluation report, json)" in lines
    assert f"Wrote {tmp_path / 'plots' / 'twfe-event-study.svg'} (plot)" in lines
    assert json.loads(out.read_text())["results"]


def test_rank_probabilities_show_percentages(national_store: Path) -> None:
    table = oversight("rank-probabilities", "-t", MH, db=national_store)
    as_json = oversight("rank-probabilities", "-t", MH, "--format", "json", db=national_store)
    assert table.returncode == 0, table.stderr
    rows = json.loads(as_json.stdout)["rows"]
    lines = table.stdout.splitlines()
    for r in rows:
        line = next(x for x in lines if f"│ {r['trust_code']} " in x)
        certainty = f"{r['segment_certainty']:.1%}"
        assert f" {certainty} " in line, (certainty, line)
    # no bare fractions in the probability columns: each probability cell ends in %
    cells = [c.strip() for x in lines if x.startswith("│ R") for c in x.split("│")[7:-1]]
    assert cells and all(c.endswith("%") or c == "" for c in cells)


@pytest.mark.parametrize(
    ("command", "rows", "name"),
    [
        (("league-table", "-t", MH), "rows", "trust_name"),
        (("rank-probabilities", "-t", MH), "rows", "trust_name"),
        (("consequences",), "in_force", "trust_name"),
        (("capital", "--envelope", "250m"), "allocations", "trust_name"),
        (("payments", "--contract", "300m"), "payments", "name"),
    ],
)
def test_names_are_never_cut_at_80_columns(
    national_store: Path, command: tuple[str, ...], rows: str, name: str
) -> None:
    as_json = oversight(*command, "--format", "json", db=national_store, wide=True)
    assert as_json.returncode == 0, as_json.stderr
    names = [r[name] for r in json.loads(as_json.stdout)[rows]]
    assert len(names) >= 5
    table = oversight(*command, db=national_store)
    assert table.returncode == 0, table.stderr
    assert "…" not in table.stdout
    assert_whole(names, table.stdout)


def test_gap_uses_explains_metric_ids_and_whole_names(national_store: Path) -> None:
    gap = json.loads(oversight("gap", "RX4", "--format", "json", db=national_store).stdout)
    explained = json.loads(
        oversight("explain", "RX4", "--format", "json", db=national_store).stdout
    )
    explain_ids = {m["metric_id"] for m in explained["metrics"]}
    table = oversight("gap", "RX4", db=national_store).stdout
    ids = re.findall(r"│ (OF\d{4}) ", table)
    assert ids and set(ids) <= explain_ids
    assert ids == [g["metric_id"] for g in gap["gaps"]]
    assert_whole([g["name"] for g in gap["gaps"]], table)


def test_progress_bar_draws_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with progress_bar() as bar:
        assert bar.disable
        bar.add_task("working", total=2)
    assert piped.getvalue() == ""

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar() as bar:
        assert not bar.disable
        task = bar.add_task("working", total=2)
        bar.advance(task, 2)
        bar.refresh()
    assert "working" in terminal.getvalue()
