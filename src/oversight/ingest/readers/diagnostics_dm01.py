"""Monthly diagnostics waiting times and activity (DM01), provider file (xls).

The 'Provider by Test' sheet has a title block (the month in the 'Period:' row), then a header
row and one row per provider and test, with a 'Total' test row per provider (stored as
breakdown ``all``) and an England 'Total' row first (stored as the published total). Columns are
found by their published titles (declared in the layout), so a moved column is still read and a
missing one refuses the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from oversight.errors import UserError
from oversight.frameworks.collections import CollectionDef
from oversight.ingest.readers import register
from oversight.ingest.readers._sheets import Values, read_sheet, slug, text
from oversight.ingest.release import ParsedRelease
from oversight.periods import Month


class Dm01Layout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sheet: str
    period_label: str  # the title-block label whose next cell holds the month
    header_first_cell: str  # the header row is the first with a cell reading this
    region: str
    org_code: str
    org_name: str
    test_name: str
    all_tests: str  # test name of a provider's all-tests row
    measures: dict[str, str]  # column title -> measure id


@register("diagnostics_dm01")
def read(path: Path, collection: CollectionDef) -> ParsedRelease:
    layout = Dm01Layout.model_validate(collection.layout)
    out = Values(path, collection, sheet=layout.sheet, org_field=layout.org_code)
    rows = read_sheet(path, layout.sheet)
    month, header_at = _title_block(out, layout, rows)
    out.raise_if_problems("the title block is not a DM01 provider file's")
    assert month is not None and header_at is not None
    header = [text(c).casefold() for c in rows[header_at]]
    wanted = [layout.region, layout.org_code, layout.org_name, layout.test_name, *layout.measures]
    where: dict[str, int] = {}
    for title in wanted:
        if title.casefold() in header:
            where[title] = header.index(title.casefold())
        else:
            out.problem(f"no column {title!r} in the header row", header_at + 1, title)
    out.raise_if_problems("the header row is not a DM01 provider file's")
    for i in range(header_at + 1, len(rows)):
        read_row(out, layout, rows[i], i + 1, month, where)
        if len(out.problems) > 200:
            break
    return out.release("dm01-provider-by-test")


def _title_block(
    out: Values, layout: Dm01Layout, rows: list[list[Any]]
) -> tuple[Month | None, int | None]:
    month: Month | None = None
    header_at: int | None = None
    for i, row in enumerate(rows[:40]):
        cells = [text(c).casefold() for c in row]
        label = layout.period_label.casefold()
        if label in cells and cells.index(label) + 1 < len(row):
            value = text(row[cells.index(label) + 1])
            try:
                month = Month.parse(value)
            except UserError:
                out.problem(f"{value!r} is not a month", i + 1, layout.period_label)
                return None, None
        if layout.header_first_cell.casefold() in cells:
            header_at = i
            break
    if month is None:
        out.problem(f"no {layout.period_label!r} row in the title block", None, "period")
    if header_at is None:
        out.problem(f"no header row starting {layout.header_first_cell!r}", None, "header")
    return month, header_at


def read_row(
    out: Values,
    layout: Dm01Layout,
    row: list[Any],
    line: int,
    month: Month,
    where: dict[str, int],
) -> None:
    """One provider-and-test row into its values (problems are collected, not raised)."""

    def cell(title: str) -> Any:
        i = where[title]
        return row[i] if i < len(row) else ""

    code, name = text(cell(layout.org_code)).upper(), text(cell(layout.org_name))
    if not code and not name:
        return  # spacer row
    national = not code and name.casefold() == "total"
    if not code and not national:
        out.problem("no provider code", line, layout.org_code)
        return
    test = text(cell(layout.test_name))
    breakdown = "all" if national or test.casefold() == layout.all_tests.casefold() else slug(test)
    split = out.collection.breakdown
    if split is not None and breakdown not in split.values:
        out.problem(f"undeclared diagnostic test {test!r}", line, layout.test_name)
        return
    parent = text(cell(layout.region)).upper() or None
    for title, measure_id in layout.measures.items():
        measure = out.measure(measure_id)
        if measure is None:
            continue
        value = out.number(cell(title), measure, line, title)
        if value is not None:
            out.add(
                line,
                month.first_day,
                ("TOTAL" if national else code, name, parent),
                (breakdown, "all"),
                measure_id,
                value,
                total=national,
            )
