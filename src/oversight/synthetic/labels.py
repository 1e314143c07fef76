"""How a synthetic records file says what it is: keys in the Parquet file's metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

KEY = b"oversight.synthetic"


def label_metadata(description: str, seed: int, source: str) -> dict[bytes, bytes]:
    body = {"synthetic": True, "description": description, "seed": seed, "source": source}
    return {KEY: json.dumps(body).encode()}


def synthetic_label(path: str | Path) -> str | None:
    """The file's synthetic-data description, or None for a file not written as synthetic."""
    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return None
    raw = meta.get(KEY)
    if raw is None:
        return None
    body = json.loads(raw)
    return f"{body['description']} (seed {body['seed']}; from {body['source']})"
