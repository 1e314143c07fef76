"""The DuckDB store: schema, provenance, releases and revisions, and reads for the engine."""

from oversight.store.schema import connect, default_db_path

__all__ = ["connect", "default_db_path"]
