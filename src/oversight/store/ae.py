"""Writing checked monthly A&E files into the store, all of them in one transaction, through
the shared collection tables (:mod:`oversight.store.collections`).

Rules (so a published month is never silently overwritten or counted twice):

* the same file again (same sha256) is a no-op;
* a file whose month is stored with the same content (whatever its bytes: BOM, line endings,
  row order) is recorded but adds no release;
* a file for a stored month with different content is a *revision*: accepted only if the
  caller says so (``new_revision``) or an ingest plan (``plan``, from a MANIFEST.csv) says this
  file supersedes the stored one, never because of its name; it becomes revision n+1, the
  current one for the month, and the earlier release stays queryable;
* in one batch, files of the same month are taken in the plan's order, so a folder holding
  both releases and its manifest ingests in one go;
* any problem refuses the whole batch and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from oversight.ingest.manifest import RevisionPlan
from oversight.ingest.readers.ae_monthly import ParsedAeMonth
from oversight.store.collections import store_releases, total_mismatches

KIND = "ae_monthly"


@dataclass
class AeIngestReport:
    file_name: str
    month: date
    status: str  # "stored", "unchanged" (same content as the stored release), "already ingested"
    revision: int | None = None
    provider_rows: int = 0
    total_mismatches: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def release(self) -> str | None:
        return None if self.revision is None else release_label(self.revision)


def release_label(revision: int) -> str:
    return "first" if revision == 1 else "revised"


def store_ae_files(
    con: duckdb.DuckDBPyConnection,
    files: list[ParsedAeMonth],
    new_revision: bool = False,
    plan: RevisionPlan | None = None,
) -> list[AeIngestReport]:
    """Plan every file against the store, then write them all in one transaction (the shared
    collection tables; see :func:`oversight.store.collections.store_releases`)."""
    by_sha = {p.sha256: p for p in files}
    releases = [p.release(KIND) for p in files]
    release_by_sha = {r.sha256: r for r in releases}
    reports = store_releases(con, releases, new_revision, period_field="Period", plan=plan)
    out = []
    for r in reports:
        parsed = by_sha[r.sha256]
        stored = next((o for o in r.periods if o.status == "stored"), None)
        out.append(
            AeIngestReport(
                r.file_name,
                parsed.month,
                r.status,
                None if stored is None else stored.revision,
                parsed.provider_rows,
                total_mismatches(release_by_sha[r.sha256]),
                parsed.ignored_columns,
            )
        )
    return out
