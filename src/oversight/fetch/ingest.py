"""Handing fetched files to ingest: ONE entry point, :func:`ingest_paths`.

A thin adapter over what ingests today: NOF data files and league tables
(:mod:`oversight.ingest.nof` + :func:`oversight.store.releases.store_file`) and monthly A&E
files (:mod:`oversight.ingest.ae_monthly` + :func:`oversight.store.ae.store_ae_files`). Files of
the other collections (recognised by content) are reported as downloaded but not yet ingestable
here; when the single recognising ``oversight ingest`` lands, this function calls it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from oversight.errors import UserError
from oversight.frameworks import load_framework
from oversight.ingest.ae_monthly import parse_ae_file
from oversight.ingest.nof import parse_nof_file
from oversight.ingest.readers.recognise import recognise
from oversight.store import connect
from oversight.store.ae import store_ae_files
from oversight.store.releases import store_file

Status = Literal["stored", "already ingested", "unchanged", "not ingestable", "refused"]
DONE: frozenset[str] = frozenset({"stored", "already ingested", "unchanged"})


@dataclass(frozen=True)
class IngestOutcome:
    path: Path
    status: Status
    detail: str

    @property
    def done(self) -> bool:
        """Ingested (or found already in the store): no need to hand it over again."""
        return self.status in DONE


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.readline(64 * 1024)
    except OSError:
        return ""
    return head.decode("utf-8-sig", errors="replace").casefold()


def kind_of(path: Path) -> str:
    """``nof``, ``ae_monthly``, a declared collection's id, or ``unknown``, by content."""
    if path.suffix.casefold() == ".csv":
        header = _first_line(path)
        if "metric_id" in header or "average_score" in header:
            return "nof"
        if header.startswith("period") and "org code" in header and "a&e attendances" in header:
            return "ae_monthly"
    found = recognise(path)
    return found.id if found is not None else "unknown"


def ingest_paths(db_path: Path, paths: list[Path], new_revision: bool) -> list[IngestOutcome]:
    """Ingest downloaded files into the store at ``db_path``, one outcome per path, in order.
    A refused file is reported (with its problems) and does not stop the others."""
    if not paths:
        return []
    con = connect(db_path)
    try:
        return [_ingested(path, kind_of(path), con, new_revision) for path in paths]
    finally:
        con.close()


def _ingested(path: Path, kind: str, con: Any, new_revision: bool) -> IngestOutcome:
    # con is the store's connection, typed Any so that fetch never imports duckdb itself
    try:
        if kind == "nof":
            r = store_file(con, parse_nof_file(path, load_framework()), new_revision)
            if r.already_ingested:
                return IngestOutcome(path, "already ingested", "same sha256 already in the store")
            if not r.stored:
                return IngestOutcome(path, "unchanged", f"same content as {', '.join(r.unchanged)}")
            stored = ", ".join(f"{q} revision {rev}" for q, rev in sorted(r.stored.items()))
            return IngestOutcome(path, "stored", f"NOF {r.kind} for {r.trust_type}: {stored}")
        if kind == "ae_monthly":
            (a,) = store_ae_files(con, [parse_ae_file(path)], new_revision)
            if a.status == "stored":
                return IngestOutcome(path, "stored", f"A&E {a.month:%Y-%m} revision {a.revision}")
            status: Status = "unchanged" if a.status == "unchanged" else "already ingested"
            return IngestOutcome(path, status, f"A&E {a.month:%Y-%m}: {a.status}")
    except UserError as exc:
        return IngestOutcome(path, "refused", str(exc))
    what = "not recognised" if kind == "unknown" else f"collection {kind}"
    return IngestOutcome(
        path,
        "not ingestable",
        f"downloaded, not yet ingestable by fetch ({what}); kept in the cache",
    )
