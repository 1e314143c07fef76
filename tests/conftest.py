"""Shared fixtures: the bundled NHS England files and a store holding them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from oversight.frameworks import Framework, load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file

ROOT = Path(__file__).resolve().parents[1]
NOF_DIR = ROOT / "data" / "nhs" / "nof" / "2025-26"
MH_DATA = NOF_DIR / "nhs-oversight-framework-mental-health-and-community-trust-data-q4-25-26.csv"
MH_LEAGUE = (
    NOF_DIR / "nhs-oversight-framework-mental-health-and-community-trust-league-table-q4-25-26.csv"
)


@pytest.fixture(scope="session")
def framework() -> Framework:
    return load_framework()


@pytest.fixture(scope="session")
def national_store(tmp_path_factory: pytest.TempPathFactory, framework: Framework) -> Path:
    """A store with every bundled NOF file ingested (built once per test session)."""
    path = tmp_path_factory.mktemp("store") / "national.duckdb"
    con = connect(path)
    for f in sorted(NOF_DIR.glob("*.csv")):
        store_file(con, parse_nof_file(f, framework))
    con.close()
    return path


@pytest.fixture
def store(national_store: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(national_store), read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "empty.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="session")
def ae_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every bundled monthly A&E file ingested, both releases (built once)."""
    from oversight.ingest.ae_monthly import parse_ae_files
    from oversight.store.ae import store_ae_files
    from tests.ae_files import AE_FILES, ae_plan

    path = tmp_path_factory.mktemp("ae") / "ae.duckdb"
    con = connect(path)
    store_ae_files(con, parse_ae_files(AE_FILES), plan=ae_plan())
    con.close()
    return path


@pytest.fixture
def ae_store(ae_store_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(ae_store_path), read_only=True)
    yield con
    con.close()
