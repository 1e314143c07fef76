"""Which stored quarter a user meant: one resolver for the CLI, the API and the web pages.

Every spelling ``Quarter.parse`` accepts ("Q4 2025/26", "q4 2025-26", "2025-26-q4", "2025/26 Q4")
names the same stored quarter, whichever face it was typed into.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from oversight.errors import Problem, UserError
from oversight.periods import PeriodError, Quarter


class NotFound(UserError):
    """Something named in a request (quarter, trust type, organisation, metric) is not stored."""


def quarter_slug(quarter: str) -> str:
    """'Q4 2025/26' -> '2025-26-q4' (safe in a path and sorts by year then quarter)."""
    try:
        return Quarter.parse(quarter).slug
    except PeriodError:  # not a NOF quarter: still a safe path segment
        return re.sub(r"[^a-z0-9]+", "-", quarter.casefold()).strip("-")


def resolve_quarter(stored: Sequence[str], given: str | None) -> str:
    """The stored quarter's text for ``given`` in any accepted spelling; None is the latest.

    Raises NotFound (a UserError) naming the stored quarters when there is no match.
    """
    if given is None or not given.strip():
        if not stored:
            raise NotFound(
                "The store has no NOF data yet",
                [Problem("run `oversight ingest FILE...` (or `oversight demo`) first")],
            )
        return stored[-1]
    listed = Problem(f"quarters stored: {', '.join(stored) or 'none'}", field="quarter")
    try:
        wanted = Quarter.parse(given)
    except PeriodError as exc:
        raise NotFound(f"No NOF data for quarter {given!r}", [*exc.problems, listed]) from None
    for q in stored:
        if Quarter.parse(q) == wanted:
            return q
    raise NotFound(f"No NOF data for quarter {given!r}", [listed])
