"""When the store's data last changed: the latest time any published file was ingested (every
file, NOF or any collection's, is recorded in ``source_file`` with its ingest time, UTC)."""

from __future__ import annotations

from datetime import datetime

from oversight.store.schema import Connection


def last_ingested(con: Connection) -> datetime | None:
    """The latest ingest time (naive UTC), or None for a store with no file yet."""
    row = con.execute("SELECT max(ingested_at) FROM source_file").fetchone()
    return None if row is None else row[0]
