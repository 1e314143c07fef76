"""The store owns persistence: outside ``oversight/store`` no module imports duckdb or holds
SQL text (the patient-level compiler, which builds its queries through Ibis, excepted)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "oversight"
OWNERS = ("store/", "engine/patient_level/")
# SQL statements, upper case as written in queries (prose says "select" in lower case).
SQL = re.compile(
    r"\bSELECT\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bCREATE\s+(?:OR\s+REPLACE\s+)?"
    r"(?:TABLE|VIEW|SEQUENCE)\b|\bDELETE\s+FROM\b|\bUPDATE\s+\w+\s+SET\b"
)
ALLOWED: set[str] = set()  # every module outside the store is clean


def violations(path: Path) -> list[str]:
    """Each duckdb import and each string constant holding SQL, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            modules = []
        if any(m.split(".")[0] == "duckdb" for m in modules):
            found.append(f"line {node.lineno}: imports duckdb")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                found.append(f"line {node.lineno}: SQL {node.value.strip()[:50]!r}")
    return found


def modules() -> list[str]:
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if not p.relative_to(PACKAGE).as_posix().startswith(OWNERS)
    )


@pytest.mark.parametrize("module", [m for m in modules() if m not in ALLOWED])
def test_no_sql_or_duckdb_outside_the_store(module: str) -> None:
    assert violations(PACKAGE / module) == []


def test_the_check_finds_sql_and_duckdb(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import duckdb\n"
        "from duckdb import connect\n"
        "Q = f'SELECT count(*) FROM {t}'\n"
        "D = 'CREATE OR REPLACE VIEW v AS SELECT 1'\n"
        "I = 'INSERT OR REPLACE INTO meta VALUES (1)'\n"
        "prose = 'select the organisations to compare'\n"
    )
    lines = sorted(int(v.split(":")[0].removeprefix("line ")) for v in violations(bad))
    assert lines == [1, 2, 3, 4, 5]


def test_the_allow_list_names_only_files_that_still_need_it() -> None:
    # an entry whose file is clean (or gone) must be removed, so the list only shrinks
    stale = [
        m for m in sorted(ALLOWED) if not (PACKAGE / m).exists() or not violations(PACKAGE / m)
    ]
    assert stale == []
