"""The CLI run in process (typer's CliRunner): no global state between invocations, commands
registered lazily, every face's quarter spellings accepted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from oversight.cli.main import COMMANDS, app
from oversight.errors import UserError

MH = "Mental health and community trust"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_invocations_do_not_share_state(national_store: Path, tmp_path: Path) -> None:
    first = run("--db", str(national_store), "league-table", "-t", MH, "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["meta"]["quarter"] == "Q4 2025/26"
    # a second invocation in the same process sees its own --db, not the first one's
    missing = tmp_path / "none.duckdb"
    second = run("--db", str(missing), "league-table", "-t", MH)
    assert second.exit_code != 0
    assert isinstance(second.exception, UserError)
    assert f"No store at {missing}" in str(second.exception)


@pytest.mark.parametrize("quarter", ["Q3 2025/26", "2025-26-q3", "q3 2025-26"])
def test_gap_explain_and_whatif_accept_every_spelling(national_store: Path, quarter: str) -> None:
    db = ("--db", str(national_store))
    gap = run(*db, "gap", "RX4", "-q", quarter, "--format", "json")
    assert gap.exit_code == 0, gap.output
    assert json.loads(gap.output)["quarter"] == "Q3 2025/26"
    explained = run(*db, "explain", "RX4", "-q", quarter, "--format", "json")
    assert explained.exit_code == 0, explained.output
    assert json.loads(explained.output)["quarter"] == "Q3 2025/26"
    whatif = run(*db, "whatif", "RX4", "-q", quarter, "--set", "deficit=0", "--format", "json")
    assert whatif.exit_code == 0, whatif.output
    assert json.loads(whatif.output)["quarter"] == "Q3 2025/26"


def test_history_in_process(national_store: Path) -> None:
    done = run("--db", str(national_store), "history", "RX4", "--format", "json")
    assert done.exit_code == 0, done.output
    quarters = [q["quarter"] for q in json.loads(done.output)["quarters"]]
    assert quarters == [f"Q{i} 2025/26" for i in range(1, 5)]


def test_help_lists_every_command_without_importing_them() -> None:
    probe = (
        "import sys\n"
        "from oversight.cli.main import main\n"
        "sys.argv = ['oversight', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('duckdb', 'numpy', 'scipy', 'matplotlib', 'fastapi', 'rich')"
        " if m in sys.modules]\n"
        "commands = [m for m in sys.modules if m.startswith('oversight.cli.') and"
        " m.endswith('_cmd')]\n"
        "print('IMPORTED', heavy + commands)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert "IMPORTED []" in done.stdout
    for name in COMMANDS:
        assert f"  {name} " in done.stdout


def test_a_command_help_loads_that_command_only() -> None:
    done = run("league-table", "--help")
    assert done.exit_code == 0
    assert "--trust-type" in done.output and "--calibrated" in done.output
    group = run("ae", "--help")
    assert group.exit_code == 0 and "releases" in group.output
