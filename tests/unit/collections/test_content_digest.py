"""A period's content digest (what tells an unchanged re-publication from a revision) is the
sha256 of its rows sorted and joined by newlines: hashing in slices must give exactly that, or
a store built before would see every re-ingested period as changed."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from oversight.frameworks.collections import collection
from oversight.ingest import release
from oversight.ingest.readers import reader_for
from tests.ae_files import AUG_2025


def naive(parsed: release.ParsedRelease) -> str:
    digest = hashlib.sha256()
    for tag, table in (("V", parsed.values), ("T", parsed.totals)):
        assert table is not None
        cols = [pc.fill_null(table.column(c), "") for c in release._CONTENT]
        if tag == "T":
            cols[0] = pa.array(["TOTAL"] * table.num_rows, pa.string())
        rows = pc.binary_join_element_wise(
            *cols, pc.cast(table.column("value"), pa.string()), "\x1f"
        )
        digest.update(tag.encode())
        digest.update("\n".join(sorted(rows.to_pylist())).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("size", [7, 100, 65536])
def test_sliced_digest_equals_the_sorted_join(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    ae = collection("ae_monthly")
    parsed = reader_for(ae)(AUG_2025, ae)
    monkeypatch.setattr(release, "_SLICE", size)
    assert parsed.content_sha256(parsed.periods[0]) == naive(parsed)
