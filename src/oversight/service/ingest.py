"""One ingest for every publication: recognise each file by its content, check them all, then
store everything in ONE transaction.

1. :func:`~oversight.service.ingest_plan.recognise_paths`: which file is which kind, by content
   (see :mod:`oversight.service.ingest_plan`).
2. :func:`ingest_plan`: every file is parsed and checked before anything is written; all the
   problems of all the files are reported together. Then the NOF files and every collection's
   releases are written in one transaction: all or nothing. The same file again is a no-op; a
   changed quarter or period is refused unless ``new_revision``, or (a period of a collection)
   unless the plan's MANIFEST.csv says the file supersedes the stored release.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef, bundled_collections
from oversight.frameworks.model import Framework
from oversight.ingest.manifest import RevisionPlan
from oversight.ingest.nof import ParsedFile, parse_nof_file
from oversight.ingest.readers import reader_for
from oversight.ingest.release import ParsedRelease
from oversight.periods import Month
from oversight.service.ingest_plan import NOF, IngestPlan, Planned, Skipped
from oversight.service.ingest_plan import header as _header
from oversight.store.collections import ReleaseReport, store_releases
from oversight.store.collections import total_mismatches as collection_total_mismatches
from oversight.store.pause import pause_at
from oversight.store.releases import IngestReport, store_file_in_transaction
from oversight.store.schema import Connection
from oversight.store.source_files import stored_sha256
from oversight.store.transaction import transaction

# the field a conflicting period is named by, as each publisher's file names it
_PERIOD_FIELD = {"ae_monthly": "Period"}


@dataclass(frozen=True)
class FileOutcome:
    """What one file added: ``stored`` (some period), ``unchanged`` (every period as stored)
    or ``already ingested`` (the same bytes are in the store)."""

    file_name: str
    kind: str  # nof_data / nof_league_table, or the collection's id
    status: str
    stored: tuple[tuple[str, int], ...] = ()  # (period label, revision written)
    unchanged: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # ignored columns, national totals that differ
    nof: IngestReport | None = None  # the NOF store's own report, for NOF files


@dataclass(frozen=True)
class KindSummary:
    kind: str
    files: int
    periods_stored: int
    periods_unchanged: int
    revisions: int  # periods stored as revision 2 or later
    already_ingested: int


@dataclass(frozen=True)
class IngestResult:
    files: tuple[FileOutcome, ...]
    skipped: tuple[Skipped, ...] = ()

    def by_kind(self) -> list[KindSummary]:
        kinds = sorted({f.kind for f in self.files})
        out = []
        for kind in kinds:
            mine = [f for f in self.files if f.kind == kind]
            out.append(
                KindSummary(
                    kind,
                    len(mine),
                    sum(len(f.stored) for f in mine),
                    sum(len(f.unchanged) for f in mine),
                    sum(1 for f in mine for _, rev in f.stored if rev > 1),
                    sum(f.status == "already ingested" for f in mine),
                )
            )
        return out


# --- check, then store in one transaction ---------------------------------------------------------


def parse_plan(
    plan: IngestPlan, framework: Framework, on_file: Callable[[Path], None] | None = None
) -> list[ParsedFile | ParsedRelease]:
    """Read and check every planned file; raise one :class:`UserError` with the problems of
    every refused file (nothing is stored)."""
    collections = {c.id: c for c in bundled_collections()}
    parsed: list[ParsedFile | ParsedRelease] = []
    refused: list[UserError] = []
    for planned in plan.files:
        try:
            parsed.append(_parse(planned, framework, collections))
        except UserError as exc:
            refused.append(exc)
        if on_file is not None:
            on_file(planned.path)
    if refused:
        raise _combined(refused, "refused")
    return parsed


def _parse(
    planned: Planned, framework: Framework, collections: dict[str, CollectionDef]
) -> ParsedFile | ParsedRelease:
    if planned.kind == NOF:
        return parse_nof_file(planned.path, framework)
    collection = collections[planned.kind]
    return reader_for(collection)(planned.path, collection)


def store_parsed(
    con: Connection,
    parsed: Sequence[ParsedFile | ParsedRelease],
    new_revision: bool = False,
    revisions: RevisionPlan | None = None,
) -> IngestResult:
    """Write every parsed file in one transaction; any conflict (a changed quarter or period
    without ``new_revision``) refuses them all, naming every conflict."""
    nof_files = [p for p in parsed if isinstance(p, ParsedFile)]
    by_collection: dict[str, list[ParsedRelease]] = {}
    for p in parsed:
        if isinstance(p, ParsedRelease):
            by_collection.setdefault(p.collection, []).append(p)
    defs = {c.id: c for c in bundled_collections()}
    outcomes: list[FileOutcome] = []
    refused: list[UserError] = []
    with transaction(con):
        for i, nof in enumerate(nof_files):
            try:
                outcomes.append(_nof_outcome(store_file_in_transaction(con, nof, new_revision)))
            except UserError as exc:
                refused.append(exc)
            if i == 0:
                pause_at("batch-mid")  # the hook tests/functional/test_ingest_crash.py uses
        for collection, releases in sorted(by_collection.items()):
            try:
                reports = store_releases(
                    con,
                    releases,
                    new_revision,
                    defs,
                    _PERIOD_FIELD.get(collection, "period"),
                    own_transaction=False,
                    plan=revisions,
                )
            except UserError as exc:
                refused.append(exc)
                continue
            outcomes += _release_outcomes(reports, releases, defs.get(collection))
        if refused:
            raise _combined(refused, "would overwrite published periods")
        pause_at("batch-before-commit")
    return IngestResult(tuple(outcomes))


def ingest_plan(
    con: Connection,
    plan: IngestPlan,
    framework: Framework,
    new_revision: bool = False,
    on_file: Callable[[Path], None] | None = None,
    on_store: Callable[[], None] | None = None,
) -> IngestResult:
    """Check every planned file, then store them all in one transaction. ``on_file`` is
    called after each file is checked, ``on_store`` before the writing starts. A file whose
    bytes the store already holds is a no-op and is not read again."""
    digests = {p.path: _sha256(p.path) for p in plan.files}
    known = stored_sha256(con, set(digests.values()))
    fresh = tuple(p for p in plan.files if digests[p.path] not in known)
    already = []
    for p in plan.files:
        if digests[p.path] in known:
            already.append(_already(p))
            if on_file is not None:
                on_file(p.path)
    parsed = parse_plan(IngestPlan(fresh), framework, on_file)
    if on_store is not None:
        on_store()
    result = store_parsed(con, parsed, new_revision, plan.revisions)
    return IngestResult((*already, *result.files), plan.skipped)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:  # in chunks: a large file is not read into memory whole
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _already(planned: Planned) -> FileOutcome:
    name = planned.path.name
    if planned.kind != NOF:
        return FileOutcome(name, planned.kind, "already ingested")
    kind = "nof_data" if "metric_id" in _header(planned.path) else "nof_league_table"
    report = IngestReport(name, kind, "", 0, already_ingested=True)
    return FileOutcome(name, kind, "already ingested", nof=report)


def _nof_outcome(r: IngestReport) -> FileOutcome:
    status = "already ingested" if r.already_ingested else "stored" if r.stored else "unchanged"
    return FileOutcome(
        r.file_name,
        r.kind,
        status,
        tuple(sorted(r.stored.items())),
        tuple(r.unchanged),
        nof=r,
    )


def _release_outcomes(
    reports: Iterable[ReleaseReport],
    releases: Sequence[ParsedRelease],
    definition: CollectionDef | None,
) -> list[FileOutcome]:
    by_sha = {p.sha256: p for p in releases}
    out = []
    for r in reports:
        parsed = by_sha[r.sha256]
        notes = list(parsed.notes) if r.file_id else []
        # only where the publisher's total is a sum of its organisations' values
        if r.file_id and definition is not None and definition.totals == "checked":
            mismatches = collection_total_mismatches(parsed)
            notes += [f"WARNING total row differs: {m}" for m in mismatches]
        out.append(
            FileOutcome(
                r.file_name,
                r.collection,
                r.status,
                tuple(
                    (_label(o.period, definition), o.revision)
                    for o in r.periods
                    if o.status == "stored" and o.revision is not None
                ),
                tuple(_label(o.period, definition) for o in r.periods if o.status == "unchanged"),
                tuple(notes),
            )
        )
    return out


def _label(period: date, definition: CollectionDef | None) -> str:
    """2025-07 for a month, 2024 for a survey year, the date for a reference file."""
    frequency = definition.frequency if definition is not None else "monthly"
    if frequency == "monthly":
        return str(Month.of(period))
    return f"{period:%Y}" if frequency == "annual" else period.isoformat()


def _combined(errors: list[UserError], what: str) -> UserError:
    """One error: the only one as it is, or every file's problems under one summary."""
    if len(errors) == 1:
        return errors[0]
    problems = [p for e in errors for p in (e.problems or [Problem(e.summary)])]
    return UserError(f"{len(errors)} files {what}; nothing was stored", problems)
