"""The long form every source-statistics reader's values share, and the memory helpers the
readers use while building it (see :mod:`oversight.ingest.release` for the columns' meaning)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

VALUE_SCHEMA = pa.schema(
    [
        ("sheet", pa.string()),
        ("line", pa.int32()),
        ("period", pa.date32()),
        ("org_code", pa.string()),
        ("org_name", pa.string()),
        ("parent_org", pa.string()),
        ("breakdown", pa.string()),
        ("subgroup", pa.string()),
        ("measure", pa.string()),
        ("value", pa.float64()),
    ]
)
# The same columns with the text dictionary-encoded, for a reader whose rows repeat the same
# few texts (monthly A&E: a provider's names on each of its measures); read as VALUE_SCHEMA.
TEXT = pa.dictionary(pa.int32(), pa.string())
VALUE_SCHEMA_COMPACT = pa.schema(
    [pa.field(f.name, TEXT) if f.type == pa.string() else f for f in VALUE_SCHEMA]
)
# the fields of a value's row in the content digest, before the value itself
CONTENT = ("org_code", "org_name", "parent_org", "breakdown", "subgroup", "measure")


def joined_lines(fields: list[pa.Array], first: bool) -> memoryview:
    """The rows' fields joined by \\x1f and the rows by newlines, as UTF-8 bytes read straight
    from Arrow's buffer (no Python string per row); ``first``: no newline before the first."""
    piece = pc.binary_join_element_wise(*(_plain(f) for f in fields), "\x1f")
    lined = pc.binary_join_element_wise(pa.scalar(""), piece, "\n")
    if lined.null_count:  # not a published value: fail as joining None would
        raise TypeError("a row of the content digest is null")
    _, offsets, data = lined.buffers()
    bounds = np.frombuffer(offsets, np.int32, len(lined) + 1, 4 * lined.offset)
    start, end = int(bounds[0]), int(bounds[-1])
    return memoryview(data)[start + (1 if first else 0) : end]


def _plain(column: pa.Array) -> pa.Array:
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def has_control(column: pa.Array) -> bool:
    """Whether any text holds a character below \\x20 (the separator sorts before it)."""
    texts = column.dictionary if pa.types.is_dictionary(column.type) else column
    return bool(pc.any(pc.match_substring_regex(texts, "[\\x00-\\x1f]")).as_py())


def key_codes(column: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.int64]:
    """A key column as integers, equal where the values are equal (nulls equal each other):
    what a sort or count of distinct keys needs, without hashing the text again per use."""
    whole = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(whole.type):  # its indices may repeat a text, or be null
        whole = whole.cast(whole.type.value_type)
    coded = pc.dictionary_encode(whole, null_encoding="encode")
    return np.asarray(coded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def free_unused() -> None:
    """Hand the memory Arrow has freed back to the system. Arrow's allocator keeps freed pages
    for its own reuse, which DuckDB's and Python's allocators cannot take: without this, the
    parse's and the digest's temporary arrays stayed resident through the store's insert
    (about 60 and 80 MB for a 5 MB A&E file)."""
    pa.default_memory_pool().release_unused()


@contextmanager
def system_allocator() -> Iterator[None]:
    """Arrow allocating from the C library's malloc for the duration, then as before.

    For a parse that builds and drops many temporary arrays: mimalloc (Arrow's default) keeps
    their freed pages resident even after :func:`free_unused`, malloc hands them back, which
    measured 30 MB less at the store's insert for a 5 MB A&E file. Arrays made inside keep the
    pool they came from, so freeing them later is safe whatever the pool is then.
    """
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)
