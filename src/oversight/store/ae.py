"""Writing checked monthly A&E files into the store, all of them in one transaction.

Rules (so a published month is never silently overwritten or counted twice):

* the same file again (same sha256) is a no-op;
* a file whose month is stored with the same content (whatever its bytes: BOM, line endings,
  row order) is recorded but adds no release;
* a file for a stored month with different content is a *revision*: accepted only if the
  caller says so (``new_revision``) or the publisher's file name says ``revised``; it becomes
  revision n+1, the current one for the month, and the earlier release stays queryable;
* in one batch, files of the same month are taken first release first (names saying
  ``revised`` last), so a folder holding both releases ingests in one go;
* any problem refuses the whole batch and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa

from oversight.errors import Problem, UserError
from oversight.ingest.ae_monthly import ParsedAeMonth

KIND = "ae_monthly"
_REVISED = re.compile(r"revised", re.IGNORECASE)


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


def says_revised(parsed: ParsedAeMonth) -> bool:
    return bool(_REVISED.search(parsed.path.name))


def store_ae_files(
    con: duckdb.DuckDBPyConnection, files: list[ParsedAeMonth], new_revision: bool = False
) -> list[AeIngestReport]:
    """Plan every file against the store, then write them all in one transaction."""
    order = sorted(files, key=lambda p: (p.month, says_revised(p), p.path.name))
    known = {sha for (sha,) in con.execute("SELECT sha256 FROM source_file").fetchall()}
    current: dict[date, tuple[int, str]] = {
        m: (rev, sha)
        for m, rev, sha in con.execute(
            "SELECT month, revision, content_sha256 FROM ae_current_release"
        ).fetchall()
    }
    reports: list[AeIngestReport] = []
    to_record: list[ParsedAeMonth] = []
    releases: dict[int, int] = {}  # index in to_record -> revision written
    conflicts: list[Problem] = []
    for parsed in order:
        report = AeIngestReport(
            parsed.path.name,
            parsed.month,
            "already ingested",
            provider_rows=parsed.provider_rows,
            total_mismatches=total_mismatches(parsed),
            ignored_columns=parsed.ignored_columns,
        )
        reports.append(report)
        if parsed.sha256 in known:
            continue
        known.add(parsed.sha256)
        digest = parsed.content_sha256
        stored = current.get(parsed.month)
        if stored is not None and stored[1] == digest:
            report.status = "unchanged"
            to_record.append(parsed)
            continue
        if stored is not None and not (new_revision or says_revised(parsed)):
            conflicts.append(
                Problem(
                    f"{parsed.month:%B %Y} is already stored (revision {stored[0]}) with "
                    "different content; nothing was stored. If this is the publisher's revised "
                    "release, re-run with --new-revision to keep both",
                    str(parsed.path),
                    None,
                    "Period",
                )
            )
            continue
        revision = 1 if stored is None else stored[0] + 1
        current[parsed.month] = (revision, digest)
        report.status, report.revision = "stored", revision
        releases[len(to_record)] = revision
        to_record.append(parsed)
    if conflicts:
        raise UserError("The files would overwrite published months", conflicts)
    if to_record:
        _write(con, to_record, releases)
    return reports


def total_mismatches(parsed: ParsedAeMonth) -> list[str]:
    """Measures where the providers' sum differs from the published England total row."""
    if parsed.total is None:
        return []
    sums = parsed.values.group_by(["department_type", "measure"]).aggregate([("value", "sum")])
    got = {
        (d, m): v
        for d, m, v in zip(*(sums.column(c).to_pylist() for c in sums.column_names), strict=True)
    }
    out = []
    for d, m, v in zip(
        *(parsed.total.column(c).to_pylist() for c in ("department_type", "measure", "value")),
        strict=True,
    ):
        if got.get((d, m), 0) != v:
            out.append(f"{m} {d}: providers sum to {got.get((d, m), 0)}, total row says {v}")
    return out


def _write(
    con: duckdb.DuckDBPyConnection, files: list[ParsedAeMonth], releases: dict[int, int]
) -> None:
    """Four bulk inserts (files, releases, values, totals) inside one transaction."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        ids = [
            i
            for (i,) in con.execute(
                "SELECT nextval('source_file_id') FROM range(?)", [len(files)]
            ).fetchall()
        ]
        source = pa.table(
            {
                "file_id": pa.array(ids, pa.int32()),
                "file_name": [p.path.name for p in files],
                "sha256": [p.sha256 for p in files],
                "kind": [KIND] * len(files),
                "trust_type": ["all providers"] * len(files),
                "row_count": pa.array([p.provider_rows for p in files], pa.int32()),
                "quarters": [[f"{p.month:%Y-%m}"] for p in files],
                "ingested_at": pa.array([now] * len(files), pa.timestamp("us")),
            }
        )
        stored = sorted(releases)
        release = pa.table(
            {
                "month": pa.array([files[i].month for i in stored], pa.date32()),
                "revision": pa.array([releases[i] for i in stored], pa.int32()),
                "file_id": pa.array([ids[i] for i in stored], pa.int32()),
                "content_sha256": [files[i].content_sha256 for i in stored],
                "provider_rows": pa.array([files[i].provider_rows for i in stored], pa.int32()),
                "has_total": [files[i].total is not None for i in stored],
                "layout": [files[i].layout for i in stored],
                "ingested_at": pa.array([now] * len(stored), pa.timestamp("us")),
            }
        )
        values = [
            _with_provenance(files[i].values, ids[i], files[i].month, releases[i]) for i in stored
        ]
        totals = [
            _with_provenance(t, ids[i], files[i].month, releases[i])
            for i in stored
            if (t := files[i].total) is not None
        ]
        for table_name, parts in (
            ("source_file", [source]),
            ("ae_release", [release]),
            ("ae_value", values),
            ("ae_published_total", totals),
        ):
            if parts:
                incoming = pa.concat_tables(parts)
                con.register("incoming", incoming)
                names = ", ".join(incoming.column_names)
                con.execute(f"INSERT INTO {table_name} ({names}) SELECT {names} FROM incoming")
                con.unregister("incoming")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _with_provenance(table: pa.Table, file_id: int, month: date, revision: int) -> pa.Table:
    n = table.num_rows
    return (
        table.append_column("file_id", pa.array([file_id] * n, pa.int32()))
        .append_column("month", pa.array([month] * n, pa.date32()))
        .append_column("revision", pa.array([revision] * n, pa.int32()))
        .append_column("release", pa.array([release_label(revision)] * n, pa.string()))
    )
