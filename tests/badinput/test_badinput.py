"""Every bad-input case (``*_cases.py`` in this folder) through the CLI: exit status 1, a
one-line reason containing the expected fragment, no traceback, and the store's tables
exactly as they were (the store holds the real league table before each case)."""

from __future__ import annotations

import hashlib
import importlib
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from oversight.cli.main import main
from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file
from tests.badinput.cases import Case
from tests.conftest import MH_LEAGUE


def _all_cases() -> list[Case]:
    found: list[Case] = []
    for path in sorted(Path(__file__).parent.glob("*_cases.py")):
        found += importlib.import_module(f"tests.badinput.{path.stem}").CASES
    return found


CASES = _all_cases()


def store_digest(path: Path) -> str:
    """A hash of every table's rows (order-independent), not of the file's bytes."""
    # same configuration as the CLI's connection, which may still be open in this process
    # (read-write after an ingest, read-only after a command that only reads the store)
    try:
        con = duckdb.connect(str(path))
    except duckdb.ConnectionException:
        con = duckdb.connect(str(path), read_only=True)
    try:
        digest = hashlib.sha256()
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name"
        ).fetchall()
        for (table,) in tables:
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(table.encode())
            for line in sorted(repr(r) for r in rows):
                digest.update(line.encode())
        return digest.hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("badinput") / "seed.duckdb"
    con = connect(path)
    store_file(con, parse_nof_file(MH_LEAGUE, load_framework()))
    con.close()
    return path


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len([c for c in CASES if c.id.split("-")[0] in ("data", "league", "batch")]) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused(
    case: Case,
    seeded_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copy(seeded_store, db)
    before = store_digest(db)
    files = case.make(tmp_path)
    monkeypatch.setattr(
        sys, "argv", ["oversight", "--db", str(db), *case.command, *map(str, files), *case.after]
    )
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 1, err
    assert "Traceback" not in err
    assert err.startswith("error: "), err
    assert case.expected.casefold() in err.casefold(), err
    # the reason names the file (and, for a row's problem, its line)
    assert any(p.name in err for p in files), err
    assert store_digest(db) == before
