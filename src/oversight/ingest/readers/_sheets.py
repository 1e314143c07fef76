"""What the spreadsheet and reference-file readers share: opening a worksheet, collecting every
problem with its file, sheet, row and field, checking numbers against a measure's valid range,
and building the long :data:`~oversight.ingest.release.VALUE_SCHEMA` tables.

The spreadsheet library (python-calamine, which reads both xls and xlsx) is imported inside the
functions, so importing a reader costs nothing until a file is read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef, MeasureDef
from oversight.ingest.release import VALUE_SCHEMA, ParsedRelease
from oversight.ingest.value_schema import key_codes

MISSING = {"", "-", "*", ".", "..", "n/a", "na", "x"}  # published "no value" marks


def read_sheet(path: Path, sheet: str) -> list[list[Any]]:
    """Every row of one worksheet as Python values (row 1 first), or a UserError naming the
    sheets the file does have."""
    rows: list[list[Any]] = _sheet(path, sheet).to_python(skip_empty_area=False)
    return rows


def sheet_rows(path: Path, sheet: str) -> Iterator[list[Any]]:
    """The same rows one at a time, for a reader that reads them in order: only one row is a
    Python list at a time (a cancer extract's 61,650 rows as Python lists were about 50 MB)."""
    found = _sheet(path, sheet)
    if tuple(found.start) != (0, 0):  # the used area starts below or right of A1
        yield from found.to_python(skip_empty_area=False)
        return
    yield from found.iter_rows()


def _sheet(path: Path, sheet: str) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise UserError(
            f"Cannot read {path.name} as a spreadsheet",
            [Problem(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, file=str(path))],
        ) from None
    if sheet not in book.sheet_names:
        raise UserError(
            f"{path.name} has no sheet {sheet!r}",
            [Problem(f"sheets are: {', '.join(book.sheet_names)}", file=str(path), sheet=sheet)],
        )
    return book.get_sheet_by_name(sheet)


def text(cell: Any) -> str:
    """A cell as trimmed text ('' for empty); whole floats lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


@cache
def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")


@dataclass
class Values:
    """Long values being collected from one file, with every problem found on the way."""

    path: Path
    collection: CollectionDef
    sheet: str | None = None
    org_field: str | None = None  # the column organisation codes are read from, for problems
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in VALUE_SCHEMA.names}
    )
    totals: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in VALUE_SCHEMA.names}
    )

    _measures: dict[str, MeasureDef] = field(default_factory=dict)

    def measure(self, measure_id: str) -> MeasureDef | None:
        """The declared measure (looked up once per id: readers ask for every value)."""
        if not self._measures:
            self._measures.update({m.id: m for m in self.collection.measures})
        return self._measures.get(measure_id)

    def problem(self, message: str, line: int | None = None, column: str | None = None) -> None:
        self.problems.append(
            Problem(message, file=str(self.path), line=line, field=column, sheet=self.sheet)
        )

    def number(self, cell: Any, measure: MeasureDef, line: int, column: str) -> float | None:
        """A cell checked against the measure's valid range; None for a published blank."""
        if isinstance(cell, bool):
            cell = float(cell)
        if isinstance(cell, str):
            raw = cell.strip().replace(",", "")
            if raw.casefold() in MISSING:
                return None
            try:
                cell = float(raw)
            except ValueError:
                self.problem(f"{cell!r} is not a number ({measure.id})", line, column)
                return None
        if not isinstance(cell, int | float):
            self.problem(f"{cell!r} is not a number ({measure.id})", line, column)
            return None
        value = float(cell)
        valid = measure.valid
        if value != value:  # NaN
            return None
        if valid.min is not None and value < valid.min:
            self.problem(f"{value:g} is below {valid.min:g} ({measure.id})", line, column)
        elif valid.max is not None and value > valid.max:
            self.problem(f"{value:g} is above {valid.max:g} ({measure.id})", line, column)
        elif valid.integer and not value.is_integer():
            self.problem(f"{value:g} is not a whole number ({measure.id})", line, column)
        else:
            return value
        return None

    def add(
        self,
        line: int,
        period: date,
        org: tuple[str, str | None, str | None],
        split: tuple[str, str],
        measure: str,
        value: float,
        total: bool = False,
    ) -> None:
        t = self.totals if total else self.columns
        t["sheet"].append(self.sheet)
        t["line"].append(line)
        t["period"].append(period)
        t["org_code"].append(org[0])
        t["org_name"].append(org[1])
        t["parent_org"].append(org[2])
        t["breakdown"].append(split[0])
        t["subgroup"].append(split[1])
        t["measure"].append(measure)
        t["value"].append(value)

    def check_header(self, found: list[Any], expected: list[str], line: int) -> None:
        """Each expected column title must be the published one at its place (trimmed,
        case-insensitive); the file is refused otherwise, naming the column."""
        for i, title in enumerate(expected):
            got = text(found[i]) if i < len(found) else ""
            if got.casefold() != " ".join(title.split()).casefold():
                self.problem(
                    f"expected column {title!r} in column {_column_letter(i)}, found {got!r}",
                    line,
                    title,
                )

    def raise_if_problems(self, summary: str) -> None:
        if self.problems:
            raise UserError(f"{self.path.name}: {summary}", self.problems)

    def release(self, layout: str, notes: list[str] | None = None) -> ParsedRelease:
        self.raise_if_problems("not a valid file of this collection")
        values = pa.table(self.columns, schema=VALUE_SCHEMA)
        totals = pa.table(self.totals, schema=VALUE_SCHEMA) if self.totals["value"] else None
        self.problems += identity_problems(values, str(self.path), self.org_field)
        self.raise_if_problems("not a valid file of this collection")
        periods = sorted(set(self.columns["period"]) | set(self.totals["period"]))
        if not periods:
            raise UserError(
                f"{self.path.name}: no values found",
                [Problem("the file has no data rows", file=str(self.path), sheet=self.sheet)],
            )
        return ParsedRelease(
            collection=self.collection.id,
            path=self.path,
            sha256=hashlib.sha256(self.path.read_bytes()).hexdigest(),
            layout=layout,
            periods=tuple(periods),
            values=values,
            totals=totals,
            notes=notes or [],
        )


_KEY = ["sheet", "period", "org_code", "parent_org", "breakdown", "subgroup", "measure"]
_SHOWN = 10  # problems of each kind named; the rest are counted by the summary


def identity_problems(values: pa.Table, file: str, org_field: str | None) -> list[Problem]:
    """Organisation codes that are not ODS codes, and values given twice (the same sheet,
    period, organisation, parent, breakdown, subgroup and measure on two rows): either would
    be stored under a key nothing can look up, or make one of the two rows silently win."""
    import pyarrow.compute as pc

    problems: list[Problem] = []
    codes = values.column("org_code")
    bad = values.filter(pc.invert(pc.match_substring_regex(codes, ODS_PATTERN)))
    seen: set[tuple[int, str]] = set()
    for row in bad.select(["line", "org_code", "sheet"]).to_pylist():
        if (row["line"], row["org_code"]) in seen or len(seen) >= _SHOWN:
            continue
        seen.add((row["line"], row["org_code"]))
        message = f"{row['org_code']!r} is not an ODS code (3 to 9 letters and digits)"
        problems.append(Problem(message, file, row["line"], org_field, row["sheet"]))
    repeated: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in _given_twice(values):
        repeated.setdefault((row["line_max"], row["line_min"]), []).append(row)
    for (line, first), rows in list(repeated.items())[:_SHOWN]:
        row = rows[0]
        split = "/".join(str(row[k]) for k in ("breakdown", "subgroup") if row[k] != "all")
        more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
        measures = ", ".join(r["measure"] for r in rows[:3]) + more
        place = "row" if row["sheet"] else "line"
        problems.append(
            Problem(
                f"{row['org_code']}{' ' + split if split else ''} for {row['period']:%B %Y} is "
                f"given again ({measures}; first on {place} {first})",
                file,
                line,
                org_field,
                row["sheet"],
            )
        )
    return problems


def _given_twice(values: pa.Table) -> list[dict[str, Any]]:
    """Each key (:data:`_KEY`) on more than one row, with its first and last line and how many
    rows, in the order the keys first appear. Each key column is read as integer codes and
    the rows sorted by them: a hash grouping of the text columns took about five times the
    table's size (113 MB for a cancer extract's 184,947 values)."""
    import numpy as np

    if values.num_rows < 2:
        return []
    codes = [key_codes(values.column(k)) for k in _KEY]
    order = np.lexsort(codes[::-1])  # by the first key column, then the next ...
    same = np.ones(len(order) - 1, dtype=bool)  # a row's key equals the row before it
    for c in codes:
        ranked = c[order]
        same &= ranked[1:] == ranked[:-1]
    del codes
    if not same.any():
        return []
    lines = values.column("line").to_numpy()
    edges = np.diff(np.concatenate(([0], same.view(np.int8), [0])))
    groups = []  # rows order[start .. end] share a key
    for start, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        rows, mine = order[start : end + 1], lines[order[start : end + 1]]
        groups.append((int(rows.min()), int(mine.min()), int(mine.max()), len(rows)))
    out = []
    for row, low, high, count in sorted(groups):
        found = {k: values.column(k)[row].as_py() for k in _KEY}
        out.append({**found, "line_min": low, "line_max": high, "line_count": count})
    return out


# as oversight.periods.OdsCode, but up to 9 characters: the successions file also carries
# 9-character site codes (F81067001)
ODS_PATTERN = r"^[A-Z0-9]{3,9}$"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
