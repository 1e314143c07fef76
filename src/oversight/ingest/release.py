"""What every source-statistics reader hands to the store: one file's checked values, long form.

A *collection* (monthly A&E, cancer waiting times, DM01 diagnostics, AmbSYS, the staff survey,
ODS reference files) is declared as data under ``frameworks/definitions/collections/``; its
reader turns a publisher's file into a :class:`ParsedRelease` whose values all share
:data:`VALUE_SCHEMA`, so one set of store tables, one release and revision scheme, and one series
engine serve every collection.

Columns of :data:`VALUE_SCHEMA`:

- ``sheet``: the worksheet a value came from (null for CSV files);
- ``line``: its 1-based line (CSV) or row (worksheet, as a spreadsheet program numbers it), so
  every stored value can be traced back to the cell it was read from;
- ``period``: the first day of the period the value is for (a month; for an annual collection
  such as the staff survey, 1 January of the survey year; the collection declares its frequency);
- ``org_code`` / ``org_name`` / ``parent_org``: the organisation as published (code trimmed);
- ``breakdown``: the collection's first split (A&E department type, DM01 test, cancer type),
  ``all`` where the publisher gives the organisation as a whole;
- ``subgroup``: a second split where there is one (cancer referral route), else ``all``;
- ``measure``: one of the collection's declared measures (``attendances``, ``within_standard``);
- ``value``: the number. Counts are whole numbers held exactly (all below 2**53).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from oversight.ingest.value_schema import (
    CONTENT,
    VALUE_SCHEMA,
    VALUE_SCHEMA_COMPACT,
    free_unused,
    has_control,
    joined_lines,
    system_allocator,
)
from oversight.ingest.wide_values import Cell, WideValues

__all__ = [
    "VALUE_SCHEMA",
    "VALUE_SCHEMA_COMPACT",
    "Cell",
    "ParsedRelease",
    "WideValues",
    "free_unused",
    "system_allocator",
]
_SLICE = 8192  # rows hashed at a time
_CONTENT = CONTENT


@dataclass(frozen=True)
class ParsedRelease:
    """A checked publisher file: which collection, which periods, and every value in it."""

    collection: str  # the declared collection's id, e.g. "ae_monthly", "cancer_waiting_times"
    path: Path
    sha256: str  # of the file's bytes
    layout: str  # which of the collection's declared layouts the file matched
    periods: tuple[date, ...]  # every period the file carries values for, ascending
    # organisation rows: VALUE_SCHEMA, or held wide (one row per organisation) by a reader
    # whose file is wide, made long only as the store writes them
    values: pa.Table | WideValues
    totals: pa.Table | None = None  # VALUE_SCHEMA: national total rows as published
    notes: list[str] = field(default_factory=list)  # e.g. empty columns ignored

    def long_values(self) -> pa.Table:
        """The organisation rows in the long form, whole (built, for wide values)."""
        return self.values.long() if isinstance(self.values, WideValues) else self.values

    def content_sha256(self, period: date) -> str:
        """One period's content, independent of row order, line endings and file name: a
        later file that carries the same period unchanged is not a new revision.

        The sha256 of, for the organisation rows ("V") and then the total rows ("T"), the tag
        and every row's fields (:data:`CONTENT`, then the value) joined by \x1f, the rows
        sorted and joined by newlines."""
        digest = hashlib.sha256()
        for tag, table in (("V", self.values), ("T", self.totals)):
            if table is None:
                continue
            digest.update(tag.encode())
            if isinstance(table, WideValues):
                wide = table.for_period(period)
                lines = wide.digest_lines()
                if lines is not None:
                    for piece in lines:
                        digest.update(piece)
                    continue
                table = wide.long()
            keep = pc.fill_null(
                pc.equal(table.column("period"), pa.scalar(period, pa.date32())), False
            )
            part = table if pc.all(keep).as_py() else table.filter(keep)  # one period: no copy
            cols = [_text(part.column(c)) for c in _CONTENT]
            if tag == "T":  # how a total row's code is spelt is not content
                cols[0] = pa.array(["TOTAL"] * part.num_rows, pa.string())
            cols.append(_value_text(part.column("value")))
            for piece in _sorted_rows(cols):
                digest.update(piece)
        return digest.hexdigest()


def _text(column: pa.ChunkedArray) -> pa.Array:
    """A text column as one array, null as the empty string (dictionary-encoded or not)."""
    # one chunk (every reader's table) is used as it is: combining copies even then
    whole = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    if pa.types.is_dictionary(whole.type) and whole.null_count == 0:
        return pa.DictionaryArray.from_arrays(whole.indices, pc.fill_null(whole.dictionary, ""))
    return pc.fill_null(whole.cast(pa.string()), "")


def _value_text(column: pa.ChunkedArray) -> pa.Array:
    """The values as text, each distinct value cast once (a dictionary of texts)."""
    coded = pc.dictionary_encode(column).combine_chunks()
    if coded.null_count:
        return pc.cast(column.combine_chunks(), pa.string())
    return pa.DictionaryArray.from_arrays(coded.indices, pc.cast(coded.dictionary, pa.string()))


def _sorted_rows(cols: list[pa.Array]) -> Iterator[memoryview]:
    """The rows' fields joined by \\x1f, in sorted order, joined by newlines: the bytes of
    ``"\\n".join(sorted(rows))``, a slice at a time (UTF-8 byte order is code point order).

    Where no field holds a character below \\x20, sorting the joined rows is sorting by the
    fields in turn (the separator sorts before every character of a field, so a field that is
    a prefix of another sorts first either way); the order is then found from each field's
    rank among its distinct values, and a row's joined text exists only within its slice.
    Otherwise the joined rows are sorted whole (a copy of every row's text)."""
    if any(has_control(c) for c in cols):
        rows = pc.binary_join_element_wise(*(_plain(c) for c in cols), "\x1f")
        order = pc.sort_indices(rows)
    else:
        keys = pa.table({str(i): _rank(c) for i, c in enumerate(cols)})
        order = pc.sort_indices(keys, [(str(i), "ascending") for i in range(len(cols))])
        rows = None
    for start in range(0, len(order), _SLICE):
        take = order.slice(start, _SLICE)
        fields = [c.take(take) for c in cols] if rows is None else [rows.take(take)]
        yield joined_lines(fields, first=start == 0)
        del fields
        free_unused()


def _plain(column: pa.Array) -> pa.Array:
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _rank(column: pa.Array) -> pa.Array:
    """Each row's place among the column's distinct values (equal texts, equal places), in
    the narrowest unsigned integers that hold it."""
    texts = column.dictionary if pa.types.is_dictionary(column.type) else column
    places = pc.rank(texts, tiebreaker="dense")
    most = len(texts)
    narrow = pa.uint8() if most < 2**8 else pa.uint16() if most < 2**16 else pa.uint32()
    places = pc.cast(places, narrow)
    return places.take(column.indices) if pa.types.is_dictionary(column.type) else places
