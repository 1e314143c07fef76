"""One seeded store (the real mental health league table) shared by every bad-input case, and
its digest, computed once: each case copies the store and compares against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file
from tests.badinput.store_snapshot import store_digest
from tests.conftest import MH_LEAGUE


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("badinput") / "seed.duckdb"
    con = connect(path)
    store_file(con, parse_nof_file(MH_LEAGUE, load_framework()))
    con.close()
    return path


@pytest.fixture(scope="session")
def seed_digest(seeded_store: Path) -> str:
    return store_digest(seeded_store)
