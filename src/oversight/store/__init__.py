"""The DuckDB store: every table definition and every query of the system.

Layers above (engine, policy, evaluation, service, faces) call the read and write functions of
the domain modules here (``nof``, ``releases``, ``evaluations``, ...), which return typed rows
(frozen dataclasses) or Arrow tables; none of them imports duckdb or holds SQL text.
"""

from oversight.store.schema import Connection, connect, default_db_path, row_count, table_exists

__all__ = ["Connection", "connect", "default_db_path", "row_count", "table_exists"]
