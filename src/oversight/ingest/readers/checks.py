"""Checks every collection's values must pass, whatever reader produced them, against what the
collection declares: each period within the publication's life (not before it began, not after
the current month), and each value within its measure's valid range (whole numbers where
declared). Every failure names the file, sheet, row and measure; the file is refused whole.
"""

from __future__ import annotations

import math
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef
from oversight.ingest.release import ParsedRelease
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
    table: pa.Table, parsed: ParsedRelease, definition: CollectionDef
) -> list[Problem]:
    problems: list[Problem] = []
    values = table.column("value")
    for measure in definition.measures:
        rows = pc.equal(table.column("measure"), measure.id)
        mine = pc.filter(values, rows)
        if len(mine) == 0:
            continue
        v = measure.valid
        bad = pc.or_kleene(pc.is_nan(mine), pc.is_inf(mine))
        if v.min is not None:
            bad = pc.or_kleene(bad, pc.less(mine, v.min))
        if v.max is not None:
            bad = pc.or_kleene(bad, pc.greater(mine, v.max))
        if v.integer:
            bad = pc.or_kleene(bad, pc.not_equal(pc.floor(mine), mine))
        bad = pc.fill_null(bad, False)
        if not pc.any(bad).as_py():
            continue
        where = pc.filter(table.filter(rows), bad)
        for row in where.slice(0, MAX_PROBLEMS).to_pylist():
            value = row["value"]
            shown = value if math.isfinite(value) else str(value)
            rule = " to ".join(str(x) for x in (v.min, v.max) if x is not None)
            problems.append(
                Problem(
                    f"{shown} is outside the valid range of {measure.title}"
                    + (f" ({rule}{', whole numbers' if v.integer else ''})" if rule else ""),
                    str(parsed.path),
                    row["line"],
                    measure.id,
                    row["sheet"],
                )
            )
    return problems


def check_release(parsed: ParsedRelease, definition: CollectionDef, today: date) -> None:
    problems = _period_problems(parsed, definition, today)
    for table in (parsed.values, parsed.totals):
        if table is not None and table.num_rows:
            problems += _value_problems(table, parsed, definition)
    if problems:
        raise UserError(
            f"{parsed.path.name} does not fit the {definition.title} declaration; nothing was "
            "stored",
            problems[:MAX_PROBLEMS],
        )
