"""Which published files the store already holds, by the sha256 of their bytes (any kind: NOF
files and every collection's files share ``source_file``)."""

from __future__ import annotations

from collections.abc import Collection

from oversight.store.schema import Connection


def stored_sha256(con: Connection, candidates: Collection[str]) -> set[str]:
    """The hashes among ``candidates`` of files already stored: ingesting them again is a
    no-op, so the unified ingest need not even read them."""
    if not candidates:
        return set()
    rows = con.execute(
        "SELECT DISTINCT sha256 FROM source_file WHERE list_contains(?, sha256)",
        [sorted(candidates)],
    ).fetchall()
    return {sha for (sha,) in rows}
