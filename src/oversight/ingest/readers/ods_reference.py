"""Reference files: ODS organisation files (etr.csv trusts, eccg.csv sub-ICB locations; the ODS
standard 27-field format with no header row), the ODS successions file (succ.csv, 5 fields, no
header) and ONS's ICB names and codes (a CSV with a header).

They have no reporting period. The period stored is the first of the month of the latest date
the file's content carries (open, close or effective dates), a content-derived stand-in for
the extract's snapshot month, which the files do not print; the ONS lookup's period is declared
(its publication month), since it carries no dates at all.

Dates are stored as numbers ``yyyymmdd`` (measures ``open_date``, ``close_date``,
``effective_date``), so they pass through the one numeric value column unchanged.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from oversight.frameworks.collections import CollectionDef
from oversight.ingest.readers import register
from oversight.ingest.readers._sheets import Values
from oversight.ingest.release import ParsedRelease


class CsvLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: int  # every record has exactly this many fields
    header: list[str] = []  # the header row, when the file has one
    code: int  # 1-based field numbers below
    name: int | None = None
    parent: int | None = None
    breakdown: int | None = None
    dates: dict[str, int] = {}  # measure id -> field holding a yyyymmdd date
    numbers: dict[str, int] = {}  # measure id -> field holding a number
    period: str | None = None  # 'YYYY-MM' for files with no dates


def _records(out: Values, layout: CsvLayout) -> list[tuple[int, list[str]]]:
    raw = out.path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.problem("the file is not UTF-8 text", 1, None)
        out.raise_if_problems("not a reference CSV")
    records = list(csv.reader(io.StringIO(content, newline="")))
    start = 0
    if layout.header:
        got = [c.strip() for c in records[0]] if records else []
        if [g.casefold() for g in got] != [h.casefold() for h in layout.header]:
            out.problem(f"header is {got}, expected {layout.header}", 1, "header")
        start = 1
    rows = []
    for n, rec in enumerate(records[start:], start=start + 1):
        if not any(c.strip() for c in rec):
            continue
        if len(rec) != layout.fields:
            out.problem(f"{len(rec)} fields, expected {layout.fields}", n, f"field {len(rec)}")
            continue
        rows.append((n, [c.strip() for c in rec]))
    out.raise_if_problems("not a valid reference file of this collection")
    return rows


def _yyyymmdd(out: Values, value: str, line: int, name: str) -> float | None:
    if not value:
        return None
    try:
        date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        if len(value) != 8:
            raise ValueError(value)
    except ValueError:
        out.problem(f"{value!r} is not a date written yyyymmdd", line, name)
        return None
    return float(value)


@register("ods_reference")
def read(path: Path, collection: CollectionDef) -> ParsedRelease:
    layout = CsvLayout.model_validate(collection.layout)
    out = Values(path, collection)
    out.org_field = f"field {layout.code}"
    rows = _records(out, layout)
    pending: list[tuple[int, tuple[str, str | None, str | None], str, str, float]] = []
    latest = 0.0
    for line, rec in rows:
        code = rec[layout.code - 1].upper()
        if not code:
            out.problem("no organisation code", line, f"field {layout.code}")
            continue
        name = rec[layout.name - 1] if layout.name else None
        parent = (rec[layout.parent - 1].upper() or None) if layout.parent else None
        split = (rec[layout.breakdown - 1].upper() or "none") if layout.breakdown else "all"
        if collection.breakdown is not None and split not in collection.breakdown.values:
            out.problem(f"undeclared {collection.breakdown.name} {split!r}", line, "breakdown")
            continue
        for measure_id, at in layout.dates.items():
            value = _yyyymmdd(out, rec[at - 1], line, measure_id)
            if value is not None:
                latest = max(latest, value)
                pending.append((line, (code, name, parent), split, measure_id, value))
        for measure_id, at in layout.numbers.items():
            measure = collection.measure(measure_id)
            if measure is None:
                continue
            number = out.number(rec[at - 1], measure, line, f"field {at}")
            if number is not None:
                pending.append((line, (code, name, parent), split, measure_id, number))
        if not layout.dates and not layout.numbers:
            pending.append((line, (code, name, parent), split, "listed", 1.0))
    if layout.period:
        period = date(int(layout.period[:4]), int(layout.period[5:7]), 1)
    elif latest:
        text = f"{int(latest)}"
        period = date(int(text[:4]), int(text[4:6]), 1)
    else:
        out.problem("no dates in the file to place it in time", None, None)
        out.raise_if_problems("not a valid reference file")
        raise AssertionError("unreachable")
    for line, org, split, measure_id, value in pending:
        out.add(line, period, org, (split, "all"), measure_id, value)
    return out.release(collection.id)
