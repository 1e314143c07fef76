"""The local cache of fetched files: ``<cache>/<publication>/<file>`` plus ``manifest.json``.

The manifest records, per file, where it came from, its sha256 and size, the server's
validators (ETag, Last-Modified) and when it was fetched, and the sha256 last handed to ingest:
a file whose sha256 equals that is not ingested again, and a file whose sha256 differs from an
earlier ingested one is ingested as a new revision.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from oversight.errors import Problem, UserError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "oversight"


@dataclass
class Entry:
    publication: str
    file_name: str
    url: str  # the publisher's URL (before any --base-url rewrite)
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None
    fetched_at: str  # ISO 8601, UTC
    ingested_sha256: str | None = None  # the content last ingested successfully

    @property
    def key(self) -> str:
        return f"{self.publication}/{self.file_name}"

    @property
    def needs_ingest(self) -> bool:
        return self.ingested_sha256 != self.sha256

    @property
    def is_revision(self) -> bool:
        """An earlier, different content of this file was ingested: this one revises it."""
        return self.ingested_sha256 is not None and self.ingested_sha256 != self.sha256


class Manifest:
    def __init__(self, folder: Path, entries: dict[str, Entry] | None = None) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = entries or {}

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST

    def file_path(self, publication: str, file_name: str) -> Path:
        return self.folder / publication / file_name

    def get(self, publication: str, file_name: str) -> Entry | None:
        return self.entries.get(f"{publication}/{file_name}")

    def put(self, entry: Entry) -> None:
        self.entries[entry.key] = entry

    def save(self) -> None:
        """Write atomically, so an interrupted run never leaves a half-written manifest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": MANIFEST_VERSION,
            "files": [asdict(e) for _, e in sorted(self.entries.items())],
        }
        tmp = self.path.with_name(MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


def load_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.exists():
        return Manifest(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [Entry(**item) for item in data["files"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(
            f"The fetch cache's manifest {path} cannot be read",
            [
                Problem(
                    f"{type(exc).__name__}: {exc}; delete it (the next fetch downloads "
                    "everything again) or point --cache at another folder",
                    str(path),
                )
            ],
        ) from None
    return Manifest(folder, {e.key: e for e in entries})
