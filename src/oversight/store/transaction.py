"""One transaction around writes of several kinds: what a single ``oversight ingest`` stores
(NOF files and releases of every collection) is committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from oversight.store.schema import Connection


@contextmanager
def transaction(con: Connection) -> Iterator[None]:
    """BEGIN; COMMIT when the block ends normally, ROLLBACK when it raises (then re-raise).

    The writers called inside must join it rather than open their own
    (:func:`oversight.store.releases.store_file_in_transaction`,
    :func:`oversight.store.collections.store_releases` with ``own_transaction=False``).
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
