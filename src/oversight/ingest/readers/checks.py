"""Checks every collection's values must pass, whatever reader produced them, against what the
collection declares: each period within the publication's life (not before it began, not after
the current month), and each value within its measure's valid range (whole numbers where
declared). Every failure names the file, sheet, row and measure; the file is refused whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef
from oversight.ingest.release import ParsedRelease, WideValues
from oversight.periods import Month

MAX_PROBLEMS = 20  # a file wrong throughout is named by its first problems, not thousands


def _first_period(definition: CollectionDef) -> date:
    year, _, month = definition.started.partition("-")
    return date(int(year), int(month or 1), 1)


def _period_problems(
    parsed: ParsedRelease, definition: CollectionDef, today: date
) -> list[Problem]:
    earliest, latest = _first_period(definition), Month.of(today).first_day
    problems = []
    for period in parsed.periods:
        if period < earliest:
            why = f"is before {definition.title} began ({Month.of(earliest).name})"
        elif period > latest:
            why = f"is in the future (this is {Month.of(today).name})"
        else:
            continue
        problems.append(
            Problem(f"period {Month.of(period).name} {why}", str(parsed.path), field="period")
        )
    return problems


def _value_problems(
    table: pa.Table | WideValues, parsed: ParsedRelease, definition: CollectionDef
) -> list[Problem]:
    problems: list[Problem] = []
    for measure in definition.measures:
        found = 0
        for values, lines, sheets in _measure_values(table, measure.id):
            if found >= MAX_PROBLEMS or len(values) == 0:
                continue
            v = measure.valid
            bad = pc.or_kleene(pc.is_nan(values), pc.is_inf(values))
            if v.min is not None:
                bad = pc.or_kleene(bad, pc.less(values, v.min))
            if v.max is not None:
                bad = pc.or_kleene(bad, pc.greater(values, v.max))
            if v.integer:
                bad = pc.or_kleene(bad, pc.not_equal(pc.floor(values), values))
            bad = pc.fill_null(bad, False)
            if not pc.any(bad).as_py():
                continue
            rows = pc.indices_nonzero(bad).slice(0, MAX_PROBLEMS - found)
            found += len(rows)
            for value, line, sheet in zip(
                values.take(rows).to_pylist(),
                lines.take(rows).to_pylist(),
                sheets.take(rows).to_pylist(),
                strict=True,
            ):
                shown = value if math.isfinite(value) else str(value)
                rule = " to ".join(str(x) for x in (v.min, v.max) if x is not None)
                problems.append(
                    Problem(
                        f"{shown} is outside the valid range of {measure.title}"
                        + (f" ({rule}{', whole numbers' if v.integer else ''})" if rule else ""),
                        str(parsed.path),
                        line,
                        measure.id,
                        sheet,
                    )
                )
    return problems


def _measure_values(
    table: pa.Table | WideValues, measure: str
) -> Iterator[tuple[pa.Array, pa.Array, pa.Array]]:
    """A measure's values (float64) with each one's line and sheet, in the long rows' order:
    a wide table's columns of that measure in turn (no long row made)."""
    if isinstance(table, WideValues):
        lines = table.rows.column("line").combine_chunks()
        sheets = pa.nulls(len(lines), pa.string())
        for name in table.measure_columns(measure):
            column = pc.cast(table.rows.column(name), pa.float64()).combine_chunks()
            valid = column.is_valid()
            yield column.filter(valid), lines.filter(valid), sheets.filter(valid)
        return
    rows = pc.equal(table.column("measure"), measure)
    mine = table.filter(rows)
    yield (
        mine.column("value").combine_chunks(),
        mine.column("line").combine_chunks(),
        mine.column("sheet").combine_chunks(),
    )


def check_release(parsed: ParsedRelease, definition: CollectionDef, today: date) -> None:
    problems = _period_problems(parsed, definition, today)
    for table in (parsed.values, parsed.totals):
        if table is not None:
            problems += _value_problems(table, parsed, definition)
    if problems:
        raise UserError(
            f"{parsed.path.name} does not fit the {definition.title} declaration; nothing was "
            "stored",
            problems[:MAX_PROBLEMS],
        )
