"""Ambulance Quality Indicators, system indicators (AmbSYS) time series (xlsx).

The workbook's front sheets are interactive views; its 'Raw' sheet holds the data, one row per
month and area (England, NHS region or ambulance trust), one column per AmbSYS indicator, with
the indicator codes (A7, A8, A24, ...) in one header row. Columns are found by indicator code
(the first column carrying it), mapped to measures by the declaration. Times are in seconds.

Trust rows are the values (parent_org = the trust's NHS region code), England rows are the
published totals, and region rows are left out (they are sums of trusts, noted in the release).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from oversight.frameworks.collections import CollectionDef
from oversight.ingest.readers import register
from oversight.ingest.readers._sheets import Values, read_sheet, text
from oversight.ingest.release import ParsedRelease
from oversight.periods import MONTH_NAMES


class AmbsysLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sheet: str
    header_row: int  # 1-based row holding Year, Month, Reg, Area, Trust and the indicator codes
    national_area: str  # Area code of the England rows
    region_prefix: str  # Area codes of region rows start with this
    indicators: dict[str, str]  # indicator code -> measure id


_KEYS = ("Year", "Month", "Reg", "Area", "Trust")
_MONTHS = {name.casefold(): i + 1 for i, name in enumerate(MONTH_NAMES)}


@register("ambulance_ambsys")
def read(path: Path, collection: CollectionDef) -> ParsedRelease:
    layout = AmbsysLayout.model_validate(collection.layout)
    out = Values(path, collection, sheet=layout.sheet, org_field="Area")
    rows = read_sheet(path, layout.sheet)
    header = (
        [text(c) for c in rows[layout.header_row - 1]] if len(rows) >= layout.header_row else []
    )
    where: dict[str, int] = {}
    for title in (*_KEYS, *layout.indicators):
        if title in header:
            where[title] = header.index(title)
        else:
            out.problem(f"no column {title!r} in the header row", layout.header_row, title)
    out.raise_if_problems("the Raw sheet's header row is not AmbSYS's")
    regions = 0
    for i in range(layout.header_row, len(rows)):
        regions += read_row(out, layout, rows[i], i + 1, where)
        if len(out.problems) > 200:
            break
    notes = [f"{regions} NHS region rows left out (sums of their trusts)"] if regions else []
    return out.release("ambsys-raw", notes)


def read_row(
    out: Values, layout: AmbsysLayout, row: list[Any], line: int, where: dict[str, int]
) -> int:
    """One month-and-area row into its values; returns 1 for a skipped region row."""

    def cell(title: str) -> Any:
        i = where[title]
        return row[i] if i < len(row) else ""

    area = text(cell("Area")).upper()
    if not area:
        return 0
    if area.startswith(layout.region_prefix):
        return 1
    period = _month(text(cell("Year")), text(cell("Month")))
    if period is None:
        out.problem(f"no month {text(cell('Year'))} {text(cell('Month'))}", line, "Month")
        return 0
    national = area == layout.national_area
    org = ("TOTAL" if national else area, text(cell("Trust")) or None, text(cell("Reg")) or None)
    for code, measure_id in layout.indicators.items():
        measure = out.measure(measure_id)
        if measure is None:
            continue
        value = out.number(cell(code), measure, line, code)
        if value is not None:
            out.add(line, period, org, ("all", "all"), measure_id, value, total=national)
    return 0


def _month(year: str, month: str) -> date | None:
    """'2017-18' and 'AUGUST' -> 2017-08-01; January to March fall in the year's second half."""
    number = _MONTHS.get(month.casefold())
    start = year[:4]
    if number is None or not start.isdigit():
        return None
    return date(int(start) + (1 if number < 4 else 0), number, 1)
