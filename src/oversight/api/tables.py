"""Any list of flat rows as CSV, Parquet or JSON bytes: the downloads behind every table."""

from __future__ import annotations

import io
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from oversight import csv_out

CSV_TYPE = "text/csv; charset=utf-8"
PARQUET_TYPE = "application/vnd.apache.parquet"
JSON_TYPE = "application/json"


class TableFormat(StrEnum):
    json = "json"
    csv = "csv"
    parquet = "parquet"


MEDIA = {TableFormat.json: JSON_TYPE, TableFormat.csv: CSV_TYPE, TableFormat.parquet: PARQUET_TYPE}

# What OpenAPI says a table endpoint can return besides its JSON model.
TABLE_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    PARQUET_TYPE: {"schema": {"type": "string", "format": "binary"}},
}


def columns_of(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def records(rows: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in rows]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_csv(rows: Sequence[BaseModel], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv_out.Writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in records(rows):
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def to_parquet(rows: Sequence[BaseModel], columns: list[str]) -> bytes:
    data = records(rows)
    table = pa.table({c: [r.get(c) for r in data] for c in columns})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def render(
    fmt: TableFormat, whole: BaseModel, rows: Sequence[BaseModel], row_model: type[BaseModel]
) -> tuple[bytes, str]:
    """JSON is the whole response model (with its meta); CSV and Parquet are just the rows."""
    if fmt is TableFormat.csv:
        return to_csv(rows, columns_of(row_model)), CSV_TYPE
    if fmt is TableFormat.parquet:
        return to_parquet(rows, columns_of(row_model)), PARQUET_TYPE
    return whole.model_dump_json().encode("utf-8"), JSON_TYPE
