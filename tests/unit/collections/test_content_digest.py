"""A period's content digest (what tells an unchanged re-publication from a revision) is the
sha256 of its rows sorted and joined by newlines: hashing in slices, or from values held wide
(one row per organisation), must give exactly that, or a store built before would see every
re-ingested period as changed."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.frameworks.collections import collection
from oversight.ingest import release, wide_values
from oversight.ingest.readers import reader_for
from oversight.ingest.wide_values import Cell, WideValues
from tests.ae_files import AUG_2025


def naive(parsed: release.ParsedRelease, period: date | None = None) -> str:
    """The definition, written the slow way: every row a Python string, sorted, joined."""
    digest = hashlib.sha256()
    for tag, table in (("V", parsed.long_values()), ("T", parsed.totals)):
        if table is None:
            continue
        if period is not None:
            table = table.filter(pc.equal(table.column("period"), pa.scalar(period, pa.date32())))
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


def _ae() -> release.ParsedRelease:
    ae = collection("ae_monthly")
    return reader_for(ae)(AUG_2025, ae)


def _with(parsed: release.ParsedRelease, values: pa.Table | WideValues) -> release.ParsedRelease:
    return release.ParsedRelease(
        parsed.collection,
        parsed.path,
        parsed.sha256,
        parsed.layout,
        parsed.periods,
        values,
        parsed.totals,
    )


@pytest.mark.parametrize("size", [7, 100, 65536])
def test_sliced_digest_equals_the_sorted_join(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    parsed = _ae()
    assert isinstance(parsed.values, WideValues)  # the A&E reader holds its providers wide
    monkeypatch.setattr(release, "_SLICE", size)
    monkeypatch.setattr(wide_values, "_SLICE", size)
    assert parsed.content_sha256(parsed.periods[0]) == naive(parsed)
    long = _with(parsed, parsed.long_values())  # the same rows, long: sorted by the fields
    assert long.content_sha256(parsed.periods[0]) == naive(parsed)


def test_dictionary_and_plain_text_give_one_digest() -> None:
    """A store built when the reader's text columns were plain strings recognises the same
    month read now (held wide, or dictionary-encoded) as unchanged."""
    parsed = _ae()
    assert parsed.totals is not None
    plain = release.ParsedRelease(
        parsed.collection,
        parsed.path,
        parsed.sha256,
        parsed.layout,
        parsed.periods,
        parsed.long_values().cast(release.VALUE_SCHEMA),
        parsed.totals.cast(release.VALUE_SCHEMA),
    )
    assert plain.content_sha256(parsed.periods[0]) == parsed.content_sha256(parsed.periods[0])


@pytest.mark.parametrize("mark", ["\t", "\x1f", "\x01", " "])
def test_a_control_character_in_a_field_keeps_the_sorted_join(mark: str) -> None:
    """Below \\x20 the joined rows' order is not the fields' order ("R1" + tab sorts before
    "R1" + the separator): such rows are sorted by their joined text, as before, whether
    held long or wide."""
    parsed = _ae()
    assert isinstance(parsed.values, WideValues)
    rows = parsed.values.rows
    codes = rows.column("org_code").to_pylist()
    codes[:4] = ["R1", "R1" + mark + "B", "R1" + mark, "R1B"]  # one code a prefix of another
    index = rows.schema.get_field_index("org_code")
    wide = WideValues(rows.set_column(index, "org_code", pa.array(codes)), parsed.values.cells)
    changed = _with(parsed, wide)
    assert changed.content_sha256(parsed.periods[0]) == naive(changed)
    long = _with(parsed, wide.long())
    assert long.content_sha256(parsed.periods[0]) == naive(changed)


_PLAIN = st.text(alphabet=st.sampled_from(["A", "B", "a", " ", "é", "Z"]), max_size=3)
_CONTROL = st.text(alphabet=st.sampled_from(["A", "\t", "\x1f", "\x01"]), min_size=1, max_size=3)
_NOISY = st.one_of(_PLAIN, _PLAIN, _PLAIN, _CONTROL)


@st.composite
def wide_tables(draw: st.DrawFn) -> WideValues:
    """Small wide tables with what the fast digest must notice: shared codes, empty and null
    names, control characters, two columns with one split and measure, two periods, gaps."""
    n = draw(st.integers(0, 12))
    # a quarter of the tables have control characters here and there (then the rows are
    # sorted whole); the rest have none, so the organisations' order is what is tested
    text = _NOISY if draw(st.integers(0, 3)) == 0 else _PLAIN
    split = st.one_of(st.sampled_from(["T1", "T1 ", "a"]), text)  # shared splits: often
    code = st.one_of(st.sampled_from(["R1", "R1A", "R2"]), text)  # shared codes: often
    cell = st.builds(Cell, split, st.sampled_from(["all", "x"]), split)
    distinct = st.lists(cell, min_size=1, max_size=4, unique=True)
    cells = tuple(draw(st.one_of(distinct, distinct, distinct, st.lists(cell, min_size=2))))
    nullable = st.one_of(st.none(), text)
    periods = [date(2025, 8, 1), date(2025, 9, 1)]
    rows = pa.table(
        {
            "line": pa.array(range(2, n + 2), pa.int32()),
            "period": pa.array([draw(st.sampled_from(periods)) for _ in range(n)], pa.date32()),
            "org_code": pa.array([draw(code) for _ in range(n)], pa.string()),
            "org_name": pa.array([draw(nullable) for _ in range(n)], pa.string()),
            "parent_org": pa.array([draw(nullable) for _ in range(n)], pa.string()),
            **{
                f"v{i}": pa.array(
                    [draw(st.one_of(st.none(), st.integers(0, 10**12))) for _ in range(n)],
                    pa.int64(),
                )
                for i in range(len(cells))
            },
        }
    )
    return WideValues(rows, cells)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(wide_tables(), st.integers(1, 5))
def test_wide_values_give_the_digest_of_their_long_rows(wide: WideValues, size: int) -> None:
    slice_was = wide_values._SLICE
    wide_values._SLICE = size  # small slices: organisations split across them
    try:
        parsed = release.ParsedRelease(
            "ae_monthly",
            Path("x.csv"),
            "0" * 64,
            "x",
            (date(2025, 8, 1), date(2025, 9, 1)),
            wide,
        )
        for period in parsed.periods:
            assert parsed.content_sha256(period) == naive(parsed, period)
    finally:
        wide_values._SLICE = slice_was
