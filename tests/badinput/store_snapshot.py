"""The store's content as one hash, to show a refused input changed nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


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
