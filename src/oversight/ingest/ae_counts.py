"""Published counts, checked a whole column at a time (Arrow compute), errors still per cell.

A count is a whole number, optionally with thousands separators ("1,234"). The publisher's
"not available" markers (blank, "-", "x", ... see :data:`csv_text.MISSING`) mean no value and
are not stored. Anything else - text, a negative or a fraction - is refused, naming the line
and the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem
from oversight.ingest.csv_text import MISSING

_WHOLE = r"^(\d+|\d{1,3}(,\d{3})+)(\.0+)?$"
# "nan" is a program's word for a failed number, not a publisher's mark: never in the bundled
# files, and a count that reads "NaN" is refused rather than taken as "no value"
_MISSING = pa.array(sorted(MISSING - {"nan"}), pa.string())


def parse_counts(
    cells: pa.Array | Sequence[str],
    lines: Sequence[int],
    fields: list[str],
    per_field: int,
    file: str,
    problems: list[Problem],
) -> pa.Array:
    """An int64 array (null where the publisher marked no value); bad cells become problems.

    ``cells`` holds several columns one after another, ``per_field`` cells each, checked a
    column at a time in a handful of vectorised calls; ``fields`` names those columns in order
    and ``lines`` gives the line of each of the ``per_field`` rows. Every column is checked
    for text before any for size, so the problems reported are those of the file as a whole.
    """
    given = cells if isinstance(cells, pa.Array) else pa.array(cells, pa.string())
    # a column at a time: each check's temporary arrays are one column's size, not the file's
    step = per_field or max(len(given), 1)
    blocks = [(i, given.slice(i, step)) for i in range(0, len(given), step)]
    bad = [(i, _shape(block)[2]) for i, block in blocks]  # only the flags are kept
    if any(pc.any(wrong).as_py() for _, wrong in bad):
        for start, wrong in bad:
            for i in pc.indices_nonzero(wrong).to_pylist():
                problems.append(
                    Problem(
                        f"{given[start + i].as_py().strip()!r} is not a count (a whole number of "
                        "people)",
                        file,
                        lines[(start + i) % per_field],
                        fields[(start + i) // per_field],
                    )
                )
        return pa.nulls(len(cells), pa.int64())
    del bad
    counts: list[pa.Array] = []
    too_large: list[int] = []
    for start, block in blocks:
        text, whole, _ = _shape(block)
        digits = pc.replace_substring_regex(pc.replace_substring(text, ",", ""), r"\.0+$", "")
        # no count of people reaches 16 digits; a longer one would not fit the store's integers
        huge = pc.and_(whole, pc.fill_null(pc.greater(pc.utf8_length(digits), 15), False))
        if pc.any(huge).as_py():
            too_large += [start + i for i in pc.indices_nonzero(huge).to_pylist()]
        elif not too_large:
            counts.append(
                pc.cast(pc.if_else(whole, digits, pa.scalar(None, pa.string())), pa.int64())
            )
    if too_large:
        for i in too_large:
            problems.append(
                Problem(
                    f"{given[i].as_py().strip()!r} is too large for a count of people",
                    file,
                    lines[i % per_field],
                    fields[i // per_field],
                )
            )
        return pa.nulls(len(cells), pa.int64())
    return pa.concat_arrays(counts) if counts else pa.array([], pa.int64())


def _shape(cells: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The cells trimmed, which are whole numbers, and which are neither that nor a mark."""
    text = pc.utf8_trim_whitespace(cells)
    whole = pc.match_substring_regex(text, _WHOLE)
    missing = pc.is_in(pc.utf8_lower(text), value_set=_MISSING)
    return text, whole, pc.invert(pc.or_(whole, missing))
