"""`oversight ingest` killed with SIGKILL at named stages leaves a store that is whole.

The ingest runs in a subprocess with ``OVERSIGHT_TEST_PAUSE_AT=<stage>`` (see
:mod:`oversight.store.pause`): at that stage it writes a marker file and sleeps. The test waits
for the marker (never for a length of time), kills the process, reopens the store and checks
that what was committed before is intact, nothing of the killed write is visible, and the same
ingest run again succeeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.pause import STAGES
from oversight.store.releases import store_file
from oversight.store.schema import CORE_TABLES
from tests.badinput.test_badinput import store_digest
from tests.conftest import MH_DATA, MH_LEAGUE

OVERSIGHT = Path(sys.executable).parent / "oversight"
MARKER_TIMEOUT = 300.0  # seconds; generous, as the machine may be loaded


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the real league table (committed before any crash)."""
    path = tmp_path_factory.mktemp("crash") / "seed.duckdb"
    con = connect(path)
    store_file(con, parse_nof_file(MH_LEAGUE, load_framework()))
    con.close()
    return path


def ingest(
    db: Path, *files: Path, pause_at: str | None = None, marker: Path | None = None
) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_")}
    if pause_at is not None and marker is not None:
        env["OVERSIGHT_TEST_PAUSE_AT"] = pause_at
        env["OVERSIGHT_TEST_PAUSE_MARKER"] = str(marker)
    cmd = [str(OVERSIGHT), "--db", str(db), "ingest", *map(str, files)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_at(db: Path, stage: str, marker: Path, *files: Path) -> None:
    """Run the ingest until it reaches ``stage``, then SIGKILL it."""
    proc = ingest(db, *files, pause_at=stage, marker=marker)
    deadline = time.monotonic() + MARKER_TIMEOUT
    try:
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended before reaching {stage}: {out}{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"ingest did not reach {stage} in {MARKER_TIMEOUT} s")
            time.sleep(0.05)
    finally:
        proc.kill()  # SIGKILL: no cleanup, no rollback, no checkpoint
        proc.communicate()
    assert proc.returncode == -9


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db))
    try:
        return {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in ("source_file", "release", "nof_value", "nof_league_row")
        }
    finally:
        con.close()


def rerun_succeeds(db: Path) -> None:
    proc = ingest(db, MH_DATA, MH_LEAGUE)
    out, err = proc.communicate(timeout=MARKER_TIMEOUT)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert counts(db)["nof_value"] == 8771
    assert counts(db)["nof_league_row"] == 61


@pytest.mark.parametrize("stage", STAGES)
def test_kill_during_ingest_into_a_store_with_data(
    stage: str, seeded: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copy(seeded, db)
    before = store_digest(db)
    kill_at(db, stage, tmp_path / "marker", MH_DATA, MH_LEAGUE)
    con = connect(db)  # reopening replays DuckDB's log; the killed write must not be in it
    con.close()
    assert store_digest(db) == before
    rerun_succeeds(db)


@pytest.mark.parametrize("stage", ["schema-before-commit", "schema-committed"])
def test_kill_while_creating_a_new_store(stage: str, tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    kill_at(db, stage, tmp_path / "marker", MH_DATA, MH_LEAGUE)
    if db.exists():
        con = duckdb.connect(str(db))
        tables = {
            t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        con.close()
        # all of the schema or none of it: never some tables without the others
        assert set(CORE_TABLES) <= tables or not tables & set(CORE_TABLES), tables
    rerun_succeeds(db)
