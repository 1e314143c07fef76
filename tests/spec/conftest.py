"""Run every spec on every engine. All specs of one definition run as a single batch per
engine (one Parquet file, one query), because a Spark job costs seconds whatever its size."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from oversight.engine.patient_level import (
    MetricValue,
    compute_counts,
    engine,
    metric_values,
)
from oversight.frameworks.patient_level import load_patient_level_definition
from tests.spec.specs_ae import SPECS
from tests.spec.tables import parse_records

ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]

Results = tuple[dict[str, dict[str, int]], dict[str, MetricValue]]


def _run(engine_name: str, month_from: str, folder: Path) -> dict[str, Results]:
    definition = load_patient_level_definition().model_copy(update={"month_from": month_from})
    specs = [s for s in SPECS if s.month_from == month_from]
    table = pa.concat_tables([parse_records(s.records, prefix=f"{s.id}:") for s in specs])
    path = folder / f"specs-{month_from}.parquet"
    pq.write_table(table, path)
    counts = compute_counts(str(path), engine(engine_name), definition)
    out: dict[str, Results] = defaultdict(lambda: ({}, {}))
    for row in counts.to_pylist():
        spec_id, provider = row["provider"].split(":")
        key = f"{provider} {row['month']:%Y-%m} {row['department_type']}"
        out[spec_id][0][key] = row
    for m in metric_values(counts, definition):
        spec_id, provider = m.code.split(":")
        out[spec_id][1][f"{provider} {m.month} {m.metric}"] = m
    return out


@pytest.fixture(scope="session")
def spec_results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Results]:
    """Lazily computed ``(engine, month_from) -> spec id -> results``."""
    cache: dict[tuple[str, str], dict[str, Results]] = {}
    folder = tmp_path_factory.mktemp("specs")

    class Lazy(dict[tuple[str, str], Results]):
        def get_results(self, engine_name: str, month_from: str) -> dict[str, Results]:
            key = (engine_name, month_from)
            if key not in cache:
                cache[key] = _run(engine_name, month_from, folder)
            return cache[key]

    return Lazy()
