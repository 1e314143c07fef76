"""Write synthetic records to Parquet in chunks, with progress, labelled synthetic."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from oversight.engine.patient_level import RECORD_SCHEMA
from oversight.synthetic.counts import COUNTS_SCHEMA
from oversight.synthetic.generate import generate
from oversight.synthetic.labels import label_metadata

CHUNK_ROWS = 4_000_000


def replicate(counts: pa.Table, rows: int) -> pa.Table:
    """Copies of ``counts`` in earlier and earlier months until about ``rows`` attendances.

    For benchmarks: copy k is moved k spans of months back (a span = the months in
    ``counts``), so provider-months never collide; the last copy keeps only as many whole
    provider-month-type rows as fit. The total is ``rows`` give or take one such row.
    """
    total = int(pc.sum(counts.column("attendances")).as_py() or 0)
    if total == 0:
        raise ValueError("counts have no attendances to replicate")
    months = sorted(set(counts.column("month").to_pylist()))
    span = (months[-1].year - months[0].year) * 12 + months[-1].month - months[0].month + 1
    copies = []
    left = rows
    for k in range(math.ceil(rows / total)):
        shifted = [_months_back(m, k * span) for m in counts.column("month").to_pylist()]
        copy = counts.set_column(
            counts.schema.get_field_index("month"), "month", pa.array(shifted, pa.date32())
        )
        if left < total:
            cum = np.cumsum(copy.column("attendances").to_numpy())
            copy = copy.slice(0, int(np.searchsorted(cum, left)) + 1)
        copies.append(copy)
        left -= total
    return pa.concat_tables(copies)


def _months_back(m: date, k: int) -> date:
    index = m.year * 12 + m.month - 1 - k
    return date(index // 12, index % 12 + 1, 1)


def write_records(
    counts: pa.Table,
    out: Path,
    seed: int,
    description: str,
    source: str,
    on_rows: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Generate records for ``counts`` chunk by chunk into ``out``; returns the record count.

    Chunks are whole provider-month-type rows of about ``chunk_rows`` records, each with its own
    random stream (seed, chunk number), sorted by arrival within the chunk. The file is written
    to a temporary name and renamed, so an interrupted run leaves no half file behind.
    """
    counts = counts.cast(COUNTS_SCHEMA)
    sizes = counts.column("attendances").to_numpy()
    bounds = _chunk_bounds(sizes, chunk_rows)
    schema = RECORD_SCHEMA.with_metadata(label_metadata(description, seed, source))
    tmp = out.with_name(out.name + ".partial")
    written = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for number, (lo, hi) in enumerate(bounds):
            rng = np.random.default_rng([seed, number])
            records = generate(counts.slice(lo, hi - lo), rng)
            order = pc.sort_indices(records, sort_keys=[("arrival", "ascending")])
            writer.write_table(records.take(order), row_group_size=1_000_000)
            written += records.num_rows
            if on_rows is not None:
                on_rows(records.num_rows)
    tmp.replace(out)
    return written


def _chunk_bounds(sizes: np.ndarray, chunk_rows: int) -> list[tuple[int, int]]:
    bounds, lo, acc = [], 0, 0
    for i, s in enumerate(sizes):
        acc += int(s)
        if acc >= chunk_rows:
            bounds.append((lo, i + 1))
            lo, acc = i + 1, 0
    if lo < len(sizes):
        bounds.append((lo, len(sizes)))
    return bounds
