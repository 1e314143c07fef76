"""End to end through the installed `oversight` command, on the bundled NHS England files.

Each test runs the command in process (tests/functional/inprocess.py), with the store chosen by
``--db`` or ``OVERSIGHT_DB`` and the working directory an empty temporary folder, and checks the
output against NHS England's published files. One test runs the installed console script itself.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import MH_DATA, MH_LEAGUE
from tests.functional.inprocess import oversight

OVERSIGHT = Path(sys.executable).parent / "oversight"
MH = "Mental health and community trust"
Q4 = "Q4 2025/26"
LEAGUE_HEADER = [
    "quarter",
    "trust_code",
    "trust_name",
    "trust_type",
    "average_score",
    "average_score_low",
    "average_score_high",
    "segment",
    "in_financial_deficit",
    "rank",
    "rank_low",
    "rank_high",
]
TABLES = ("source_file", "release", "nof_value", "nof_league_row")


def cli(
    *args: str | Path,
    cwd: Path,
    db: Path | None = None,
    env_db: Path | None = None,
    wide: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `oversight [--db DB] ARGS` with OVERSIGHT_DB set to ``env_db`` (or unset).

    The console is 80 columns wide (as when output goes to a pipe) unless ``wide``.
    """
    return oversight(*args, cwd=cwd, db=db, env_db=env_db, wide=wide)


def flat(text: str) -> str:
    """Output with line wrapping undone (rich wraps at the console width)."""
    return " ".join(text.split())


def published_league() -> dict[str, dict[str, str]]:
    with MH_LEAGUE.open(encoding="utf-8-sig", newline="") as fh:
        return {r["Trust_code"]: r for r in csv.DictReader(fh)}


def published_value(metric_id: str, code: str, quarter: str) -> float:
    with MH_DATA.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = [
            r
            for r in csv.DictReader(fh)
            if r["Metric_ID"] == metric_id and r["Trust_code"] == code and r["Quarter"] == quarter
        ]
    return float(row["Value"])


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cwd")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, workdir: Path) -> tuple[Path, str]:
    """A store with both bundled files ingested through the CLI (OVERSIGHT_DB), and its output."""
    db = tmp_path_factory.mktemp("store") / "cli.duckdb"
    done = cli("ingest", MH_DATA, MH_LEAGUE, cwd=workdir, env_db=db)
    assert done.returncode == 0, done.stderr
    return db, done.stdout


def assert_user_error(done: subprocess.CompletedProcess[str], *names: str) -> None:
    """Exit 1, no traceback, and one 'error:' line naming the problem (then its hints)."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), done.stderr
    for name in names:
        assert name in lines[0], done.stderr
    assert all(line.startswith("  - ") for line in lines[1:]), done.stderr


def malformed_copy(path: Path, keep: int, row: int) -> Path:
    """The real data file's first ``keep`` rows, data row ``row`` (0-based) given a bad Value."""
    with MH_DATA.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[: keep + 1]
    rows[row + 1][rows[0].index("Value")] = "not-a-number"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    return path


# --- ingest ------------------------------------------------------------------------------------


def test_ingest_then_again_says_already_ingested(ingested: tuple[Path, str], workdir: Path) -> None:
    db, first = ingested
    text = flat(first)
    for path in (MH_DATA, MH_LEAGUE):
        assert path.name in first.replace("\n", "")
    assert "Q4 2025/26 revision 1" in text and "already ingested" not in text
    before = counts(db)
    assert before["nof_value"] == 8771 and before["nof_league_row"] == 61
    again = cli("ingest", MH_DATA, MH_LEAGUE, cwd=workdir, env_db=db)
    assert again.returncode == 0, again.stderr
    assert flat(again.stdout).count("already ingested") == 2
    assert counts(db) == before
    assert not (workdir / "oversight.duckdb").exists()


def test_ingest_malformed_file_exits_1_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    assert cli("ingest", MH_LEAGUE, cwd=tmp_path, db=db).returncode == 0
    before = counts(db)
    bad = malformed_copy(tmp_path / "malformed.csv", keep=200, row=57)  # line 59
    done = cli("ingest", bad, cwd=tmp_path, db=db)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    message = flat(done.stderr)
    assert message.startswith("error:")
    assert "malformed.csv" in message and "line 59" in message and "'Value'" in message
    assert counts(db) == before


def test_long_errors_are_one_line_per_problem(tmp_path: Path) -> None:
    bad = malformed_copy(tmp_path / MH_DATA.name, keep=10, row=3)  # the publisher's long name
    done = cli("ingest", bad, cwd=tmp_path, db=tmp_path / "store.duckdb")
    assert_user_error(done, MH_DATA.name)
    (problem,) = done.stderr.splitlines()[1:]
    assert str(bad) in problem and "line 5," in problem and "field 'Value'" in problem


# --- league table, explain, verify -------------------------------------------------------------


def test_league_table_csv_is_the_published_league_table(
    ingested: tuple[Path, str], workdir: Path
) -> None:
    db, _ = ingested
    done = cli("league-table", "-t", MH, "-q", Q4, "--format", "csv", cwd=workdir, env_db=db)
    assert done.returncode == 0, done.stderr
    reader = csv.DictReader(done.stdout.splitlines())
    assert reader.fieldnames == LEAGUE_HEADER
    rows = list(reader)
    published = published_league()
    assert len(rows) == len(published) == 61
    assert {r["trust_code"] for r in rows} == set(published)
    for r in rows:
        p = published[r["trust_code"]]
        assert r["quarter"] == Q4 and r["trust_type"] == MH
        assert float(r["average_score"]) == float(p["Average_score"]), r["trust_code"]
        assert int(r["segment"]) == int(float(p["Segment"])), r["trust_code"]
        assert int(r["rank"]) == int(float(p["Rank"])), r["trust_code"]
        assert r["in_financial_deficit"] == p["Trust_in_financial_deficit"], r["trust_code"]
    # rows come in league order
    assert [int(r["rank"]) for r in rows] == sorted(int(r["rank"]) for r in rows)


def test_league_table_json(ingested: tuple[Path, str], workdir: Path) -> None:
    db, _ = ingested
    done = cli("league-table", "-t", MH, "-q", Q4, "--format", "json", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["meta"]["quarter"] == Q4
    assert len(data["rows"]) == 61
    assert all(list(row) == LEAGUE_HEADER for row in data["rows"])
    published = published_league()
    for row in data["rows"]:
        assert row["average_score"] == float(published[row["trust_code"]]["Average_score"])


def test_explain_json(ingested: tuple[Path, str], workdir: Path) -> None:
    db, _ = ingested
    done = cli("explain", "RYY", "-q", Q4, "--format", "json", cwd=workdir, db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["trust_code"] == "RYY" and data["quarter"] == Q4
    assert data["metrics"] and all("metric_id" in m and "score" in m for m in data["metrics"])
    assert data["steps"] and all(isinstance(s, str) and s for s in data["steps"])
    assert data["average_score"] == published_value("OF5002", "RYY", Q4)
    assert data["segment"] == published_value("OF5000", "RYY", Q4)


def test_verify_league_table(ingested: tuple[Path, str], workdir: Path) -> None:
    db, _ = ingested
    done = cli("verify", MH_LEAGUE, cwd=workdir, db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "full agreement" in flat(done.stdout)
    assert "disagreement" not in done.stdout


# --- errors and store selection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["league-table", "-t", MH, "-q", "Q9 2030/31"], ["quarter", "Q9 2030/31"]),
        (["league-table", "-t", "Dental trust", "-q", Q4], ["trust type", "Dental trust"]),
        (["explain", "ZZZ9", "-q", Q4], ["ZZZ9"]),
    ],
    ids=["unknown-quarter", "unknown-trust-type", "unknown-ods-code"],
)
def test_user_errors_exit_1_with_one_line(
    ingested: tuple[Path, str], workdir: Path, args: list[str], names: list[str]
) -> None:
    db, _ = ingested
    assert_user_error(cli(*args, cwd=workdir, db=db), *names)


def test_db_option_and_environment_select_the_store(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    db, _ = ingested
    missing = tmp_path / "missing.duckdb"
    query = ("explain", "RYY", "-q", Q4, "--format", "json")
    by_env = cli(*query, cwd=tmp_path, env_db=db)
    assert by_env.returncode == 0, by_env.stderr
    by_option = cli(*query, cwd=tmp_path, db=db, env_db=missing)  # --db wins over the variable
    assert by_option.returncode == 0, by_option.stderr
    assert json.loads(by_env.stdout) == json.loads(by_option.stdout)
    # (wide: what is checked here is the store chosen, not how long messages are laid out)
    no_store = f"No store at {missing}"
    assert_user_error(cli(*query, cwd=tmp_path, db=missing, env_db=db, wide=True), no_store)
    assert_user_error(cli(*query, cwd=tmp_path, env_db=missing, wide=True), no_store)
    assert_user_error(cli(*query, cwd=tmp_path, wide=True), "No store at oversight.duckdb")
    assert not missing.exists() and not (tmp_path / "oversight.duckdb").exists()
    # ingest writes where --db says, not to the default store in the working directory
    elsewhere = tmp_path / "elsewhere.duckdb"
    assert cli("ingest", MH_LEAGUE, cwd=tmp_path, db=elsewhere).returncode == 0
    assert counts(elsewhere)["nof_league_row"] == 61
    assert not (tmp_path / "oversight.duckdb").exists()


def test_whatif_and_gap_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    cli("ingest", MH_DATA, cwd=tmp_path, db=db)
    done = cli(
        "whatif",
        "RWR",
        "-q",
        "Q4 2025/26",
        "--set",
        "deficit=0",
        "--format",
        "json",
        cwd=tmp_path,
        db=db,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    fields = {r["field"]: r for r in payload["comparison"]}
    assert fields["segment"]["before"] == 3 and fields["segment"]["after"] == 2
    assert fields["rank"]["after"] < fields["rank"]["before"]
    done = cli("gap", "RAT", "-q", "Q4 2025/26", "--format", "json", cwd=tmp_path, db=db)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["segment"] == 2 and report["target_segment"] == 1
    assert any(g["needed"] is not None for g in report["gaps"])
    bad = cli("whatif", "RWR", "--set", "OF9999=1", cwd=tmp_path, db=db)
    assert bad.returncode == 1 and "OF9999" in bad.stderr and "Traceback" not in bad.stderr


def test_the_console_script_maps_user_errors_to_one_line_and_exit_1(tmp_path: Path) -> None:
    """The installed `oversight` itself (the in-process runs above stand in for it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("OVERSIGHT_DB", "COLUMNS", "LINES")}
    missing = tmp_path / "missing.duckdb"
    done = subprocess.run(
        [str(OVERSIGHT), "--db", str(missing), "releases"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert_user_error(done, "No store at")
