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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

VALUE_SCHEMA = pa.schema(
    [
        ("sheet", pa.string()),
        ("line", pa.int32()),
        ("period", pa.date32()),
        ("org_code", pa.string()),
        ("org_name", pa.string()),
        ("parent_org", pa.string()),
        ("breakdown", pa.string()),
        ("subgroup", pa.string()),
        ("measure", pa.string()),
        ("value", pa.float64()),
    ]
)
_SLICE = 65536  # rows hashed at a time
_CONTENT = ("org_code", "org_name", "parent_org", "breakdown", "subgroup", "measure")


@dataclass(frozen=True)
class ParsedRelease:
    """A checked publisher file: which collection, which periods, and every value in it."""

    collection: str  # the declared collection's id, e.g. "ae_monthly", "cancer_waiting_times"
    path: Path
    sha256: str  # of the file's bytes
    layout: str  # which of the collection's declared layouts the file matched
    periods: tuple[date, ...]  # every period the file carries values for, ascending
    values: pa.Table  # VALUE_SCHEMA: organisation rows
    totals: pa.Table | None = None  # VALUE_SCHEMA: national total rows as published
    notes: list[str] = field(default_factory=list)  # e.g. empty columns ignored

    def content_sha256(self, period: date) -> str:
        """One period's content, independent of row order, line endings and file name: a
        later file that carries the same period unchanged is not a new revision."""
        digest = hashlib.sha256()
        for tag, table in (("V", self.values), ("T", self.totals)):
            if table is None:
                continue
            keep = pc.fill_null(
                pc.equal(table.column("period"), pa.scalar(period, pa.date32())), False
            )
            part = table if pc.all(keep).as_py() else table.filter(keep)  # one period: no copy
            cols = [pc.fill_null(part.column(c), "") for c in _CONTENT]
            if tag == "T":  # how a total row's code is spelt is not content
                cols[0] = pa.array(["TOTAL"] * part.num_rows, pa.string())
            rows = pc.binary_join_element_wise(
                *cols, pc.cast(part.column("value"), pa.string()), "\x1f"
            )
            digest.update(tag.encode())
            # sorted and hashed in Arrow, a slice at a time: the same bytes as
            # "\n".join(sorted(rows)) (UTF-8 byte order is code point order), without a
            # Python string per row
            ordered = pc.take(rows, pc.sort_indices(rows))
            for start in range(0, len(ordered), _SLICE):
                piece = ordered.slice(start, _SLICE)
                if start:
                    digest.update(b"\n")
                digest.update("\n".join(piece.to_pylist()).encode())
        return digest.hexdigest()
