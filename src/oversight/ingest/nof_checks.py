"""Checks of a NOF file beyond its columns' types: stray columns, cells that are not plain
data (a quote left open, a spreadsheet formula), and values outside the ranges declared in
``frameworks/definitions/nof-publication.yaml``.

Formula-like cells are refused at ingest (not neutralised on export): a cell starting with
``=``, or with ``+``, ``-`` or ``@`` followed by a letter, is never a NOF number or name, and a
store that never holds one cannot leak it into a CSV export opened in a spreadsheet.
"""

from __future__ import annotations

import re
from collections import defaultdict

from oversight.errors import Problem
from oversight.frameworks.nof_publication import ValueRange
from oversight.ingest.csv_text import CsvText

_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z])")
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+to\s+(-?\d+(?:\.\d+)?)\s*$")


def structure_problems(doc: CsvText, expected: list[str]) -> tuple[list[Problem], set[int]]:
    """Problems with the file's shape, and the lines too broken to check further."""
    f = str(doc.path)
    problems: list[Problem] = []
    broken: set[int] = set()
    known = set(expected)
    extra = {i: name for i, name in enumerate(doc.header) if name not in known}
    reported: set[int] = set()
    for line, row in doc.rows:
        for i, cell in enumerate(row):
            name = doc.header[i] if i < len(doc.header) else None
            if "\n" in cell or "\r" in cell:
                problems.append(
                    Problem(
                        'a quoted cell runs over several lines: is a closing quote (") missing?',
                        f,
                        line,
                        name,
                    )
                )
                broken.add(line)
                break
            if _FORMULA.match(cell):
                problems.append(
                    Problem(
                        f"{cell[:40]!r} looks like a spreadsheet formula, not published data",
                        f,
                        line,
                        name,
                    )
                )
                broken.add(line)
            if (i in extra or i >= len(doc.header)) and cell.strip() and i not in reported:
                reported.add(i)
                label = name or f"column {i + 1} (no header)"
                problems.append(
                    Problem(
                        f"extra column {label!r} has a value ({cell[:40]!r}); a NOF file has "
                        f"only the columns {', '.join(expected)}",
                        f,
                        line,
                        label,
                    )
                )
    return problems, broken


def trusts_per_quarter(doc: CsvText, index: dict[str, int]) -> dict[str, int]:
    """How many distinct trusts the file has in each quarter (the highest valid rank)."""
    q, c = index["Quarter"], index["Trust_code"]
    found: dict[str, set[str]] = defaultdict(set)
    for _, row in doc.rows:
        if q < len(row) and c < len(row):
            found[row[q].strip()].add(row[c].strip())
    return {k: len(v) for k, v in found.items()}


def check_range(
    value: float | None,
    rule: ValueRange,
    what: str,
    where: tuple[str, int, str],
    problems: list[Problem],
    trusts: int | None = None,
) -> None:
    """A problem if a (non-missing) value is outside its declared range."""
    if value is None or rule.contains(value, trusts):
        return
    f, line, col = where
    problems.append(
        Problem(f"{value:g} is out of range: {what} must be {rule.describe(trusts)}", f, line, col)
    )


def likely_range(
    text: str,
    point: float | None,
    rule: ValueRange,
    where: tuple[str, int, str],
    problems: list[Problem],
    trusts: int | None = None,
) -> tuple[float | None, float | None]:
    """Parse 'a to b' and check a <= b, both valid values, and the point value inside."""
    f, line, col = where
    m = _RANGE.match(text)
    if m is None:
        if text not in ("", "NA"):
            problems.append(Problem(f"{text!r} is not a range like '1.2 to 1.89'", f, line, col))
        return None, None
    low, high = float(m.group(1)), float(m.group(2))
    bounds = ValueRange(min=rule.min, max=rule.max, at_most_trusts=rule.at_most_trusts)
    if low > high:
        problems.append(
            Problem(f"{text!r} runs backwards: {low:g} is above {high:g}", f, line, col)
        )
    elif not (bounds.contains(low, trusts) and bounds.contains(high, trusts)):
        problems.append(Problem(f"{text!r} goes outside {bounds.describe(trusts)}", f, line, col))
    elif point is not None and not low <= point <= high:
        problems.append(
            Problem(f"{text!r} does not contain the point value {point:g}", f, line, col)
        )
    return low, high
