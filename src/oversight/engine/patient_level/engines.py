"""Where the compiled definition runs: embedded DuckDB (default) or Apache Spark, both through
Ibis. Nothing here knows what the metrics are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@dataclass
class Engine:
    name: EngineName
    backend: Any  # an Ibis backend

    def records(self, path: str) -> ir.Table:
        return self.backend.read_parquet(path)

    def execute(self, expr: ir.Table) -> pa.Table:
        result: pa.Table = self.backend.to_pyarrow(expr)
        return result

    def sql(self, expr: ir.Table) -> str:
        return str(ibis.to_sql(expr, dialect=self.backend.name))


def duckdb_engine(threads: int | None = None) -> Engine:
    config = {"threads": threads} if threads else {}
    return Engine(EngineName.duckdb, ibis.duckdb.connect(**config))


def spark_session(master: str | None = None) -> SparkSession:
    """A SparkSession on ``master`` (default: local mode on every core).

    Local mode binds the driver to loopback, so tests never depend on the host name resolving.
    """
    from pyspark.sql import SparkSession

    master = master or "local[*]"
    local = master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("oversight-patient-level")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)) if local else "200")
    )
    if local:
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


@cache
def _spark_engine(master: str | None) -> Engine:
    return Engine(EngineName.spark, ibis.pyspark.connect(spark_session(master)))


def engine(name: EngineName | str, spark_master: str | None = None) -> Engine:
    if EngineName(name) is EngineName.spark:
        return _spark_engine(spark_master)
    return duckdb_engine()
