"""Values given twice are found by sorting integer codes of the key columns: the same keys,
lines and counts as grouping the text columns (as the readers did before), nulls included,
in the order the keys first appear."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.ingest.readers._sheets import _KEY, _given_twice
from oversight.ingest.release import VALUE_SCHEMA, VALUE_SCHEMA_COMPACT


@st.composite
def tables(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(0, 30))
    small = st.sampled_from(["A", "B", "AB"])
    maybe = st.one_of(st.none(), small)
    return pa.table(
        {
            "sheet": [draw(maybe) for _ in range(n)],
            "line": [draw(st.integers(1, 9)) for _ in range(n)],
            "period": [
                draw(st.sampled_from([date(2025, 1, 1), date(2025, 2, 1)])) for _ in range(n)
            ],
            "org_code": [draw(small) for _ in range(n)],
            "org_name": [draw(maybe) for _ in range(n)],
            "parent_org": [draw(maybe) for _ in range(n)],
            "breakdown": [draw(small) for _ in range(n)],
            "subgroup": ["all"] * n,
            "measure": [draw(small) for _ in range(n)],
            "value": [1.0] * n,
        },
        schema=VALUE_SCHEMA,
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(tables(), st.booleans())
def test_the_same_groups_as_grouping_the_text(values: pa.Table, coded: bool) -> None:
    if coded:  # text dictionary-encoded, as the A&E reader's long rows are
        values = values.cast(VALUE_SCHEMA_COMPACT)
    counted = (
        values.cast(VALUE_SCHEMA)
        .group_by(_KEY, use_threads=False)
        .aggregate([("line", "min"), ("line", "max"), ("line", "count")])
    )
    expected = [r for r in counted.to_pylist() if r["line_count"] > 1]
    found = _given_twice(values)
    key = lambda r: tuple(str(r[k]) for k in (*_KEY, "line_min", "line_max", "line_count"))  # noqa: E731
    assert sorted(found, key=key) == sorted(expected, key=key)
    # in the order the keys first appear
    rows = values.cast(VALUE_SCHEMA).to_pylist()
    first = [next(i for i, r in enumerate(rows) if all(r[k] == g[k] for k in _KEY)) for g in found]
    assert first == sorted(first)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(tables(), st.booleans())
def test_organisation_rows_are_the_distinct_sheets_and_lines(values: pa.Table, coded: bool) -> None:
    """A release's row count (distinct sheet and line the values came from), counted from
    integer codes, is the count a grouping of the text gives."""
    from oversight.store.collections import _rows

    expected = values.group_by(["sheet", "line"], use_threads=False).aggregate([]).num_rows
    assert _rows(values.cast(VALUE_SCHEMA_COMPACT) if coded else values) == expected
