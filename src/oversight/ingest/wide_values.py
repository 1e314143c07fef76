"""Organisation rows as a wide file publishes them: one row per organisation, one column per
kind of cell (monthly A&E: a provider's 18 counts on one line).

The store keeps one long row per organisation and cell with a value
(:data:`~oversight.ingest.value_schema.VALUE_SCHEMA`). Built whole in Arrow, that long table
was about seven times the file's size and, with the content digest's sort of it and DuckDB's
insert of it, most of a large file's ingest memory. Held wide, the values take about the file's
size; the checks read the columns, the national-total check sums them, the content digest makes
the long rows a slice at a time in their sorted order, and the store's insert has DuckDB
unpivot them as it writes. :meth:`WideValues.long` builds the long table whole, for the few
uses that want it (tests, a digest whose texts need the general sort).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from oversight.ingest.value_schema import (
    VALUE_SCHEMA_COMPACT,
    free_unused,
    has_control,
    joined_lines,
)

IDENTITY = ("org_code", "org_name", "parent_org")
_SLICE = 8192  # long rows made at a time for the content digest


@dataclass(frozen=True)
class Cell:
    """What one value column holds: its split, second split and measure."""

    breakdown: str
    subgroup: str
    measure: str


@dataclass(frozen=True)
class WideValues:
    """``rows``: ``line`` (int32), ``period`` (date32), ``org_code``, ``org_name``,
    ``parent_org`` (text), then one numeric column per cell, ``v0``, ``v1``, ... in the order of
    ``cells``, null where the publisher gave no value."""

    rows: pa.Table
    cells: tuple[Cell, ...]

    @property
    def value_columns(self) -> list[str]:
        return [f"v{i}" for i in range(len(self.cells))]

    def for_period(self, period: date) -> WideValues:
        keep = pc.fill_null(
            pc.equal(self.rows.column("period"), pa.scalar(period, pa.date32())), False
        )
        # a one-period file (every monthly one) is kept as it is rather than copied
        return self if pc.all(keep).as_py() else WideValues(self.rows.filter(keep), self.cells)

    def _valid(self) -> list[npt.NDArray[np.bool_]]:
        return [
            self.rows.column(c).is_valid().to_numpy(zero_copy_only=False)
            for c in self.value_columns
        ]

    def organisation_rows(self) -> int:
        """Rows with at least one value (as the long table's distinct lines)."""
        valid = self._valid()
        return int(np.logical_or.reduce(valid).sum()) if valid else 0

    def cell_table(self) -> pa.Table:
        """Each value column's name with its split, second split and measure."""
        return pa.table(
            {
                "cell": self.value_columns,
                "breakdown": [c.breakdown for c in self.cells],
                "subgroup": [c.subgroup for c in self.cells],
                "measure": [c.measure for c in self.cells],
            }
        )

    def measure_columns(self, measure: str) -> Iterator[str]:
        """The value columns holding ``measure``, in column order."""
        return (
            n for n, c in zip(self.value_columns, self.cells, strict=True) if c.measure == measure
        )

    def sums(self) -> dict[tuple[date, str, str, str], float]:
        """Each period's sum of each split and measure (as grouping the long rows would)."""
        out: dict[tuple[date, str, str, str], float] = {}
        periods = pc.unique(self.rows.column("period")).to_pylist()
        for period in periods:
            part = self.for_period(period).rows
            for name, c in zip(self.value_columns, self.cells, strict=True):
                column = part.column(name)
                if column.null_count == len(column):
                    continue
                key = (period, c.breakdown, c.subgroup, c.measure)
                total = pc.sum(pc.cast(column, pa.float64())).as_py()
                out[key] = out.get(key, 0.0) + float(total)
        return out

    def long(self) -> pa.Table:
        """The long rows whole (:data:`VALUE_SCHEMA_COMPACT`), a column's cells after the
        previous column's, only those with a value."""
        n = self.rows.num_rows
        blocks = [
            pc.cast(self.rows.column(c), pa.float64()).combine_chunks() for c in self.value_columns
        ]
        values = pa.concat_arrays(blocks) if blocks else pa.array([], pa.float64())
        kept = np.flatnonzero(values.is_valid().to_numpy(zero_copy_only=False))
        row = pa.array((kept % max(n, 1)).astype(np.int32))
        column = kept // max(n, 1)
        return pa.table(
            {
                "sheet": pa.nulls(len(kept), pa.string()),
                "line": self.rows.column("line").combine_chunks().take(row),
                "period": self.rows.column("period").combine_chunks().take(row),
                # the identity columns share one index array: the row
                **{
                    k: pa.DictionaryArray.from_arrays(row, self.rows.column(k).combine_chunks())
                    for k in IDENTITY
                },
                **{
                    k: _by_column([getattr(c, k) for c in self.cells], column)
                    for k in ("breakdown", "subgroup", "measure")
                },
                "value": values.take(pa.array(kept)),
            },
            schema=VALUE_SCHEMA_COMPACT,
        )

    def digest_lines(self) -> Iterator[memoryview] | None:
        """The bytes of the long rows' fields joined by \\x1f, sorted, joined by newlines (see
        :meth:`~oversight.ingest.release.ParsedRelease.content_sha256`), a slice at a time;
        None where that order is not the organisations' order (then sort the long table).

        With no text holding a character below \\x20, sorting the joined rows is sorting by
        the fields in turn; if no two rows share an organisation's code, name and parent and no
        two columns share a split and measure, that is the organisations in order, each with
        its columns in one fixed order, so no long row is made before its slice."""
        texts = [_no_nulls(self.rows.column(k).combine_chunks()) for k in IDENTITY]
        splits = [
            pa.array([getattr(c, k) for c in self.cells], pa.string())
            for k in ("breakdown", "subgroup", "measure")
        ]
        keys = [(c.breakdown, c.subgroup, c.measure) for c in self.cells]
        if any(has_control(t) for t in (*texts, *splits)) or len(set(keys)) < len(keys):
            return None
        if pc.count_distinct(texts[0]).as_py() == len(texts[0]):  # codes alone order them
            order = pc.sort_indices(texts[0])
        else:
            orgs = pa.table(dict(zip(IDENTITY, texts, strict=True)))
            if orgs.group_by(list(IDENTITY)).aggregate([]).num_rows < orgs.num_rows:
                return None
            order = pc.sort_indices(orgs, [(k, "ascending") for k in IDENTITY])
            del orgs
        free_unused()  # the sort's temporaries
        columns = sorted(range(len(keys)), key=keys.__getitem__)
        return self._lines(texts, splits, order, columns)

    def _lines(
        self, texts: list[pa.Array], splits: list[pa.Array], order: pa.Array, columns: list[int]
    ) -> Iterator[memoryview]:
        values = [self.rows.column(f"v{k}") for k in columns]
        width = max(len(columns), 1)
        per = max(1, _SLICE // width)
        first = True
        for start in range(0, len(order), per):
            take = order.slice(start, per)
            parts = [pc.cast(v.take(take), pa.float64()) for v in values]
            valid = np.column_stack([p.is_valid().to_numpy(zero_copy_only=False) for p in parts])
            found = np.flatnonzero(valid.ravel())  # organisation-major: each one's cells in turn
            if not len(found):
                continue
            numbers = np.column_stack([pc.fill_null(p, 0.0).to_numpy() for p in parts]).ravel()
            org = pa.array(take.to_numpy()[found // width])
            cell = pa.array(np.asarray(columns)[found % width])
            fields = [t.take(org) for t in texts] + [s.take(cell) for s in splits]
            fields.append(pc.cast(pa.array(numbers[found], pa.float64()), pa.string()))
            yield joined_lines(fields, first)
            first = False
            del parts, fields
            free_unused()


def _no_nulls(texts: pa.Array) -> pa.Array:
    """Null texts as empty ones (the digest's rule), copying only where there are any."""
    return pc.fill_null(texts, "") if texts.null_count else texts


def _by_column(texts: list[str], column: npt.NDArray[np.intp]) -> pa.DictionaryArray:
    """Each long row's text for its column, with each distinct text once in the dictionary
    (grouping by a dictionary column must not split equal texts)."""
    distinct = sorted(set(texts))
    position = np.array([distinct.index(t) for t in texts], dtype=np.int32)
    return pa.DictionaryArray.from_arrays(
        pa.array(position[column]), pa.array(distinct, pa.string())
    )
