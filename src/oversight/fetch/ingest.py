"""Handing fetched files to ingest: ONE entry point, :func:`ingest_paths`.

A thin adapter over the unified ingest (:mod:`oversight.service.ingest`): every publication it
recognises (NOF files, monthly A&E and every declared collection) is stored. Unlike
``oversight ingest``, each downloaded file is its own transaction, so one file the publisher got
wrong is reported and does not hold back the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from oversight.errors import UserError
from oversight.frameworks import load_framework
from oversight.frameworks.model import Framework
from oversight.service.ingest import FileOutcome, ingest_plan
from oversight.service.ingest_plan import NOF, UNKNOWN, IngestPlan, Planned, kind_of
from oversight.store import Connection, connect

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


def ingest_paths(db_path: Path, paths: list[Path], new_revision: bool) -> list[IngestOutcome]:
    """Ingest downloaded files into the store at ``db_path``, one outcome per path, in order.
    A refused file is reported (with its problems) and does not stop the others."""
    if not paths:
        return []
    framework = load_framework()
    con = connect(db_path)
    try:
        return [_ingested(path, con, framework, new_revision) for path in paths]
    finally:
        con.close()


def _ingested(
    path: Path, con: Connection, framework: Framework, new_revision: bool
) -> IngestOutcome:
    kind = kind_of(path)
    if kind == UNKNOWN:
        why = "downloaded, not recognised by any collection; kept in the cache"
        return IngestOutcome(path, "not ingestable", why)
    try:
        result = ingest_plan(con, IngestPlan((Planned(path, kind, True),)), framework, new_revision)
    except UserError as exc:
        return IngestOutcome(path, "refused", str(exc))
    (outcome,) = result.files
    return IngestOutcome(path, _status(outcome), _detail(kind, outcome))


def _status(outcome: FileOutcome) -> Status:
    if outcome.status == "stored":
        return "stored"
    return "unchanged" if outcome.status == "unchanged" else "already ingested"


def _detail(kind: str, o: FileOutcome) -> str:
    if o.status == "already ingested":
        return "same sha256 already in the store"
    if o.status == "unchanged":
        return f"same content as {', '.join(o.unchanged)}"
    stored = ", ".join(f"{label} revision {rev}" for label, rev in o.stored)
    if kind == NOF and o.nof is not None:
        return f"NOF {o.kind} for {o.nof.trust_type}: {stored}"
    return f"{'A&E' if o.kind == 'ae_monthly' else o.kind} {stored}"
