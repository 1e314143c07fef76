"""NHS Staff Survey, detailed organisational results (xlsx; one file a year, weighted).

Each results sheet (THEMES, PEOPLE PROMISE ELEMENTS, ...) has a title block, then a header row:
ODS code, Organisation name, Benchmarking group, Region, ICS, Weighting, and per score a
'<code> - score' column followed by its 'Base (number of responses)'. Scores are 0-10; a
suppressed score (fewer than 10 responses) is a blank and is skipped.

Long values: period = 1 January of the survey year (declared in the layout, since the file
carries it only in its title text); breakdown = the organisation's benchmarking group (the peer
group the survey compares it with); measure = the declared id of each score, and
``<id>_responses`` for its base.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from oversight.frameworks.collections import CollectionDef
from oversight.ingest.readers import register
from oversight.ingest.readers._sheets import Values, read_sheet, slug, text
from oversight.ingest.release import ParsedRelease


class StaffSurveyLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    survey_year: int
    year_text: str  # must appear in the title cell (A1) of every sheet, e.g. "Staff Survey 2024"
    header_row: int  # 1-based
    columns: list[str]  # the identifying columns, in order
    base_title: str
    sheets: dict[str, dict[str, str]]  # sheet -> score column title -> measure id


@register("staff_survey")
def read(path: Path, collection: CollectionDef) -> ParsedRelease:
    layout = StaffSurveyLayout.model_validate(collection.layout)
    period = date(layout.survey_year, 1, 1)
    sheets = []
    problems = []
    for sheet, scores in layout.sheets.items():
        out = Values(path, collection, sheet=sheet, org_field=layout.columns[0])
        read_results_sheet(out, layout, read_sheet(path, sheet), scores, period)
        problems += out.problems
        sheets.append(out)
    merged = sheets[0]
    merged.problems = problems
    for other in sheets[1:]:
        for name, column in other.columns.items():
            merged.columns[name] += column
    return merged.release(f"nss{layout.survey_year % 100:02d}-organisational")


def read_results_sheet(
    out: Values,
    layout: StaffSurveyLayout,
    rows: list[list[Any]],
    scores: dict[str, str],
    period: date,
) -> None:
    title = text(rows[0][0]) if rows and rows[0] else ""
    if layout.year_text.casefold() not in title.casefold():
        out.problem(f"title {title!r} does not name {layout.year_text!r}", 1, "title")
        return
    h = layout.header_row
    header = [text(c) for c in rows[h - 1]] if len(rows) >= h else []
    out.check_header(header, layout.columns, h)
    where: dict[str, int] = {}
    for score in scores:
        if score not in header:
            out.problem(f"no column {score!r} in the header row", h, score)
            continue
        where[score] = header.index(score)
        base = header[where[score] + 1] if where[score] + 1 < len(header) else ""
        if base != layout.base_title:
            out.problem(f"{score!r} is not followed by {layout.base_title!r}", h, score)
    if out.problems:
        return
    for i in range(h, len(rows)):
        read_row(out, rows[i], i + 1, scores, where, period, layout.base_title)
        if len(out.problems) > 200:
            return


def read_row(
    out: Values,
    row: list[Any],
    line: int,
    scores: dict[str, str],
    where: dict[str, int],
    period: date,
    base_title: str = "Base (number of responses)",
) -> None:
    """One organisation's row into its scores and bases (problems collected, not raised)."""
    org, name, group = (text(row[i]) if i < len(row) else "" for i in range(3))
    org = org.upper()
    if not org and not name:
        return
    if not org:
        out.problem("no ODS code", line, "ODS code")
        return
    breakdown = slug(group)
    split = out.collection.breakdown
    if split is not None and breakdown not in split.values:
        out.problem(f"undeclared benchmarking group {group!r}", line, "Benchmarking group")
        return
    for title, measure_id in scores.items():
        i = where[title]
        base = f"{base_title} after {title}"  # the base column's title repeats: say which
        for column, mid, named in (
            (i, measure_id, title),
            (i + 1, f"{measure_id}_responses", base),
        ):
            measure = out.measure(mid)
            if measure is None:
                continue
            value = out.number(row[column] if column < len(row) else "", measure, line, named)
            if value is not None:
                out.add(line, period, (org, name, None), (breakdown, "all"), mid, value)
