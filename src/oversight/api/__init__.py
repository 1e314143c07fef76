"""The HTTP API (FastAPI): read-only views of the engine's results, and an admin ingest."""
