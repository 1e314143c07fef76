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

    ``cells`` holds several columns one after another, ``per_field`` cells each, so a whole
    file is checked in a handful of vectorised calls; ``fields`` names those columns in order
    and ``lines`` gives the line of each of the ``per_field`` rows.
    """
    given = cells if isinstance(cells, pa.Array) else pa.array(cells, pa.string())
    text = pc.utf8_trim_whitespace(given)
    whole = pc.match_substring_regex(text, _WHOLE)
    missing = pc.is_in(pc.utf8_lower(text), value_set=_MISSING)
    bad = pc.invert(pc.or_(whole, missing))
    if pc.any(bad).as_py():
        for i in pc.indices_nonzero(bad).to_pylist():
            problems.append(
                Problem(
                    f"{given[i].as_py().strip()!r} is not a count (a whole number of people)",
                    file,
                    lines[i % per_field],
                    fields[i // per_field],
                )
            )
        return pa.nulls(len(cells), pa.int64())
    digits = pc.replace_substring_regex(pc.replace_substring(text, ",", ""), r"\.0+$", "")
    # no count of people reaches 16 digits; a longer one would not fit the store's integers
    huge = pc.fill_null(pc.greater(pc.utf8_length(digits), 15), False)
    if pc.any(pc.and_(whole, huge)).as_py():
        for i in pc.indices_nonzero(pc.and_(whole, huge)).to_pylist():
            problems.append(
                Problem(
                    f"{given[i].as_py().strip()!r} is too large for a count of people",
                    file,
                    lines[i % per_field],
                    fields[i // per_field],
                )
            )
        return pa.nulls(len(cells), pa.int64())
    return pc.cast(pc.if_else(whole, digits, pa.scalar(None, pa.string())), pa.int64())
