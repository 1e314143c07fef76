"""`oversight evaluate run|register` on a store without the plan's data: a message, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.inprocess import oversight

PLANS = Path(__file__).resolve().parents[2] / "examples" / "evaluations"


@pytest.mark.parametrize("command", ["run", "register"])
def test_an_ae_plan_on_a_store_without_ae_data(tmp_path: Path, command: str) -> None:
    plan = PLANS / "ae_mergers.yaml"
    done = oversight("evaluate", command, plan, db=tmp_path / "empty.duckdb", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "IndexError" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "error: No data to evaluate 'ae-mergers-4hr'"
    assert str(plan) in lines[1] and "field 'data.source'" in lines[1]
    assert "no monthly A&E data" in lines[1] and "oversight ingest" in lines[1]
