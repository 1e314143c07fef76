"""A publisher's national total row against the sum of its organisations' rows.

Where a collection declares ``totals: checked`` (monthly A&E: the England row is the sum of
the providers), a total that differs from the sum by more than the declared
``total_tolerance`` means the file is not what it says it is (a row lost, a value altered), so
the file is refused, naming the total row and the measure.
"""

from __future__ import annotations

from oversight.errors import Problem
from oversight.frameworks.collections import CollectionDef
from oversight.ingest.release import ParsedRelease, WideValues, free_unused

_KEYS = ("period", "breakdown", "subgroup", "measure")


def total_differences(parsed: ParsedRelease) -> list[tuple[dict[str, object], float]]:
    """Each total row with its organisations' sum, where the two differ."""
    if parsed.totals is None:
        return []
    got: dict[tuple[object, ...], float] = {}
    if isinstance(parsed.values, WideValues):  # a column's sum: no long row made
        for key, total in parsed.values.sums().items():
            got[key] = total
    else:
        sums = parsed.values.group_by(list(_KEYS)).aggregate([("value", "sum")])
        got = {tuple(r[k] for k in _KEYS): r["value_sum"] for r in sums.to_pylist()}
        del sums
        free_unused()  # the grouping's hash tables
    out = []
    for row in parsed.totals.to_pylist():
        ours = float(got.get(tuple(row[k] for k in _KEYS), 0.0))
        if ours != row["value"]:
            out.append((row, ours))
    return out


def number(value: float) -> str:
    """A count in full (1433180, not 1.43318e+06); other numbers as Python's short form."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def total_problems(parsed: ParsedRelease, definition: CollectionDef | None) -> list[Problem]:
    """Total rows further from their organisations' sum than the collection allows."""
    if definition is None or definition.totals != "checked":
        return []
    tolerance = definition.total_tolerance
    problems = []
    for row, ours in total_differences(parsed):
        value = float(row["value"])  # type: ignore[arg-type]
        if abs(ours - value) <= tolerance:
            continue
        split = str(row["breakdown"]) + ("" if row["subgroup"] == "all" else f" {row['subgroup']}")
        problems.append(
            Problem(
                f"the total row says {number(value)} but the organisations sum to "
                f"{number(ours)} ({'+' if ours > value else '-'}{number(abs(ours - value))}; "
                f"{definition.id} allows {number(tolerance)}); nothing was stored",
                str(parsed.path),
                row["line"],  # type: ignore[arg-type]
                f"{row['measure']} {split}",
                row["sheet"],  # type: ignore[arg-type]
            )
        )
    return problems
