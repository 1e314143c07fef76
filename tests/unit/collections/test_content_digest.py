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
        # the reader's text columns are dictionary-encoded: read as the strings they hold
        cols = [pc.fill_null(table.column(c).cast(pa.string()), "") for c in release._CONTENT]
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


def _plain(table: pa.Table) -> pa.Table:
    return table.cast(release.VALUE_SCHEMA)


def test_dictionary_and_plain_text_give_one_digest() -> None:
    """A store built when the reader's text columns were plain strings recognises the same
    month read now (dictionary-encoded) as unchanged."""
    ae = collection("ae_monthly")
    parsed = reader_for(ae)(AUG_2025, ae)
    assert parsed.totals is not None
    plain = release.ParsedRelease(
        parsed.collection,
        parsed.path,
        parsed.sha256,
        parsed.layout,
        parsed.periods,
        _plain(parsed.values),
        _plain(parsed.totals),
    )
    assert plain.content_sha256(parsed.periods[0]) == parsed.content_sha256(parsed.periods[0])


@pytest.mark.parametrize("mark", ["\t", "\x1f", "\x01", " "])
def test_a_control_character_in_a_field_keeps_the_sorted_join(mark: str) -> None:
    """Below \\x20 the joined rows' order is not the fields' order ("R1" + tab sorts before
    "R1" + the separator): such a table is sorted by its joined rows, as before."""
    ae = collection("ae_monthly")
    parsed = reader_for(ae)(AUG_2025, ae)
    assert parsed.totals is not None
    codes = parsed.values.column("org_code").cast(pa.string()).to_pylist()
    codes[:40] = ["R1"] * 20 + ["R1" + mark + "B"] * 20  # one code a prefix of the other
    values = parsed.values.set_column(
        parsed.values.schema.get_field_index("org_code"), "org_code", pa.array(codes)
    )
    changed = release.ParsedRelease(
        parsed.collection,
        parsed.path,
        parsed.sha256,
        parsed.layout,
        parsed.periods,
        values,
        parsed.totals,
    )
    assert changed.content_sha256(parsed.periods[0]) == naive(changed)
