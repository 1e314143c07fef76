"""The DuckDB schema: source files with provenance, releases (revisions) per quarter, values.

A *release* is one publication of one kind of file, for one trust type and one quarter. The
same quarter published again with different content is a new *revision*; every revision stays
queryable and the latest is current unless a query names another.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from oversight.errors import Problem, UserError
from oversight.store.ae_schema import AE_DDL
from oversight.store.pause import pause_at

# The one connection type every layer above the store passes around (only the store opens it).
Connection = duckdb.DuckDBPyConnection

SCHEMA_VERSION = 1

# Pre-registered evaluation plans (by the hash of their canonical content) and the results
# recorded against them; see oversight.store.evaluations.
EVALUATION_DDL = [
    """CREATE TABLE IF NOT EXISTS evaluation_plan (
        plan_hash VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        registered_at TIMESTAMP NOT NULL,
        plan_json VARCHAR NOT NULL,
        source_text VARCHAR,
        data_fingerprint VARCHAR
    )""",
    """CREATE SEQUENCE IF NOT EXISTS evaluation_result_id""",
    """CREATE TABLE IF NOT EXISTS evaluation_result (
        result_id INTEGER PRIMARY KEY DEFAULT nextval('evaluation_result_id'),
        plan_hash VARCHAR NOT NULL,
        run_at TIMESTAMP NOT NULL,
        data_fingerprint VARCHAR NOT NULL,
        method VARCHAR NOT NULL,
        estimate DOUBLE,
        ci_low DOUBLE,
        ci_high DOUBLE,
        p_value DOUBLE,
        result_json VARCHAR NOT NULL
    )""",
]

DDL = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE SEQUENCE IF NOT EXISTS source_file_id""",
    """CREATE TABLE IF NOT EXISTS source_file (
        file_id INTEGER PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL UNIQUE,
        kind VARCHAR NOT NULL,
        trust_type VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        quarters VARCHAR[] NOT NULL,
        ingested_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS release (
        kind VARCHAR NOT NULL,
        trust_type VARCHAR NOT NULL,
        quarter VARCHAR NOT NULL,
        revision INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        content_sha256 VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (kind, trust_type, quarter, revision)
    )""",
    """CREATE TABLE IF NOT EXISTS nof_value (
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        quarter VARCHAR NOT NULL,
        region VARCHAR,
        trust_type VARCHAR NOT NULL,
        trust_subtype VARCHAR,
        trust_code VARCHAR NOT NULL,
        trust_name VARCHAR,
        domain VARCHAR,
        sub_domain VARCHAR,
        metric_id VARCHAR NOT NULL,
        metric_description VARCHAR,
        reporting_date VARCHAR,
        units VARCHAR,
        value DOUBLE,
        median DOUBLE,
        lower_quartile DOUBLE,
        upper_quartile DOUBLE,
        rank DOUBLE
    )""",
    """CREATE TABLE IF NOT EXISTS nof_league_row (
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        quarter VARCHAR NOT NULL,
        region VARCHAR,
        trust_type VARCHAR NOT NULL,
        trust_subtype VARCHAR,
        trust_code VARCHAR NOT NULL,
        trust_name VARCHAR,
        average_score DOUBLE,
        average_low DOUBLE,
        average_high DOUBLE,
        segment DOUBLE,
        in_financial_deficit BOOLEAN,
        rank DOUBLE,
        rank_low DOUBLE,
        rank_high DOUBLE
    )""",
    # The current revision of every release, so readers never repeat the max() logic.
    """CREATE OR REPLACE VIEW current_release AS
        SELECT r.* FROM release r
        QUALIFY r.revision = max(r.revision) OVER (PARTITION BY kind, trust_type, quarter)""",
    *AE_DDL,
    *EVALUATION_DDL,
]

# Tables a store must have to be read at all; a store missing one was never completely created.
CORE_TABLES = ("meta", "source_file", "release", "nof_value", "nof_league_row")

DEFAULT_DB = "oversight.duckdb"


def default_db_path() -> Path:
    return Path(os.environ.get("OVERSIGHT_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None, read_only: bool = False) -> Connection:
    """Open (creating if need be) the store and make sure its schema is in place.

    The schema is created (or completed) in one transaction, so a store is never left with
    only some of its tables. DuckDB lets one process write a store file at a time: if another
    holds it, this raises a UserError naming that process. See docs/store.md.
    """
    target = str(path) if path is not None else str(default_db_path())
    if read_only and target != ":memory:" and Path(target).exists():
        con = _open(target, read_only=True)
        missing = [t for t in CORE_TABLES if not table_exists(con, t)]
        if missing:
            con.close()
            raise UserError(
                f"the store at {target} is incomplete (missing tables: {', '.join(missing)})",
                [Problem("open it for writing once (e.g. `oversight ingest FILE`) to complete it")],
            )
        return con
    con = _open(target, read_only=False)
    create_schema(con)
    return con


def create_schema(con: Connection) -> None:
    """Create every missing table, view and sequence, all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in DDL:
            con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        pause_at("schema-before-commit")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    pause_at("schema-committed")


_HOLDER = re.compile(r"PID (\d+)")
# A bulk insert is written to the file a row group at a time (DuckDB's default buffers five,
# about 600,000 rows, in memory first): a 5 MB monthly A&E file's 650,000 long rows took
# about 110 MB of memory to insert with five, 40 MB with one. Set, not passed as connect's
# config: a second connection to the same file with another config is refused.
_WRITE_BUFFER = "SET GLOBAL write_buffer_row_group_count = 1"


def _open(target: str, read_only: bool) -> Connection:
    """duckdb.connect, with another process's lock on the file reported as a UserError."""
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" not in text.casefold():
            raise
        found = _HOLDER.search(text)
        holder = f"process {found.group(1)}" if found else "another process"
        raise UserError(
            f"the store at {target} is in use by {holder}",
            [Problem("wait for it to finish (only one program can write a store at a time)")],
        ) from None
    if not read_only:
        con.execute(_WRITE_BUFFER)
    return con


def table_exists(con: Connection, table: str) -> bool:
    """Whether the store holds ``table`` (a read-only store made by an older version may not)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(found and found[0])


def row_count(con: Connection, table: str) -> int:
    """Rows in ``table``; 0 when the store has no such table."""
    if not table_exists(con, table):
        return 0
    # the name is an existing table's (checked above), quoted as an identifier
    quoted = '"' + table.replace('"', '""') + '"'
    found = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()
    return int(found[0]) if found else 0
