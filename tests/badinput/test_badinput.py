"""Every bad-input case (``*_cases.py`` in this folder) through the CLI: exit status 1, a
one-line reason containing the expected fragment, no traceback, and the store's tables
exactly as they were (the store holds the real league table before each case)."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

from oversight.cli.main import main
from tests.badinput.cases import Case
from tests.badinput.store_snapshot import store_digest


def _all_cases() -> list[Case]:
    found: list[Case] = []
    for path in sorted(Path(__file__).parent.glob("*_cases.py")):
        found += importlib.import_module(f"tests.badinput.{path.stem}").CASES
    return found


CASES = _all_cases()


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len([c for c in CASES if c.id.split("-")[0] in ("data", "league", "batch")]) >= 30


def test_every_reader_and_yaml_kind_has_its_cases() -> None:
    """At least 8 cases for each collection's reader and each YAML kind a user passes."""
    prefixes = {c.id.split("-")[0] for c in CASES}
    kinds = {
        "ae": ("ae",),
        "cancer waiting times": ("cwt",),
        "DM01": ("dm01",),
        "AmbSYS": ("ambsys",),
        "staff survey": ("nss",),
        "ODS and ONS reference": ("etr", "succ", "ons"),
        "framework": ("fw",),
        "policy": ("policy",),
        "evaluation plan": ("plan",),
    }
    for kind, names in kinds.items():
        assert set(names) <= prefixes, kind
        assert len([c for c in CASES if c.id.split("-")[0] in names]) >= 8, kind


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused(
    case: Case,
    seeded_store: Path,
    seed_digest: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copy(seeded_store, db)
    before = seed_digest  # the copy's tables are the seed's
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
