"""A&E metrics from attendance-level records, one definition run on DuckDB or Spark."""

from oversight.engine.patient_level.compute import compute_counts, counts_schema
from oversight.engine.patient_level.engines import Engine, EngineName, engine
from oversight.engine.patient_level.metrics import METRIC_COLUMNS, MetricValue, metric_values
from oversight.engine.patient_level.records import RECORD_SCHEMA

__all__ = [
    "METRIC_COLUMNS",
    "RECORD_SCHEMA",
    "Engine",
    "EngineName",
    "MetricValue",
    "compute_counts",
    "counts_schema",
    "engine",
    "metric_values",
]
