"""Writing checked publisher files into the store, one transaction per batch of files.

Rules (so a published quarter is never silently overwritten):

* the same file again (same sha256) is a no-op;
* a quarter whose content equals its current revision is left alone (a later release of a
  multi-quarter file repeats earlier quarters unchanged);
* a quarter whose content differs is refused, unless the caller asks for a new revision, in
  which case it is stored as revision n+1 and the old one stays queryable;
* any error (or a crash) rolls back everything the batch would have written: a batch of files
  is stored all or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from oversight.errors import Problem, UserError
from oversight.ingest.nof import ParsedFile
from oversight.periods import Quarter
from oversight.store.pause import pause_at
from oversight.store.schema import Connection

_TABLE = {"nof_data": "nof_value", "nof_league_table": "nof_league_row"}
# Columns that make up a quarter's content (the line number and file do not).
_IGNORED_FOR_CONTENT = {"line"}


@dataclass
class IngestReport:
    file_name: str
    kind: str
    trust_type: str
    rows: int
    already_ingested: bool = False
    stored: dict[str, int] = field(default_factory=dict)  # quarter -> revision written
    unchanged: list[str] = field(default_factory=list)
    undeclared_metrics: list[str] = field(default_factory=list)


def quarter_digests(parsed: ParsedFile) -> dict[str, tuple[str, list[int]]]:
    """Per quarter: a content hash independent of row order, and the row positions."""
    cols = [c for c in parsed.columns if c not in _IGNORED_FOR_CONTENT]
    rows_by_quarter: dict[str, list[int]] = {}
    for i, q in enumerate(parsed.columns["quarter"]):
        rows_by_quarter.setdefault(str(q), []).append(i)
    out = {}
    for q, idx in rows_by_quarter.items():
        lines = sorted("\x1f".join(repr(parsed.columns[c][i]) for c in cols) for i in idx)
        out[q] = (hashlib.sha256("\n".join(lines).encode()).hexdigest(), idx)
    return out


def store_file(con: Connection, parsed: ParsedFile, new_revision: bool = False) -> IngestReport:
    """Store a parsed file transactionally; see the module docstring for the rules."""
    return store_files(con, [parsed], new_revision)[0]


def store_files(
    con: Connection, files: list[ParsedFile], new_revision: bool = False
) -> list[IngestReport]:
    """Store parsed files in one transaction: all of them, or (on any error) none."""
    reports = []
    con.execute("BEGIN TRANSACTION")
    try:
        for i, parsed in enumerate(files):
            reports.append(_store_one(con, parsed, new_revision))
            if i == 0 and len(files) > 1:
                pause_at("batch-mid")
        pause_at("batch-before-commit")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return reports


def store_file_in_transaction(
    con: Connection, parsed: ParsedFile, new_revision: bool = False
) -> IngestReport:
    """Write one file inside the caller's open transaction (no BEGIN, COMMIT or ROLLBACK):
    the unified ingest stores files of every kind in one transaction."""
    return _store_one(con, parsed, new_revision)


def _store_one(con: Connection, parsed: ParsedFile, new_revision: bool) -> IngestReport:
    """Write one file inside the caller's transaction."""
    report = IngestReport(
        parsed.path.name,
        parsed.kind,
        parsed.trust_type,
        len(parsed),
        undeclared_metrics=list(parsed.undeclared_metrics),
    )
    if con.execute("SELECT 1 FROM source_file WHERE sha256 = ?", [parsed.sha256]).fetchone():
        report.already_ingested = True
        return report
    digests = quarter_digests(parsed)
    current = {
        q: (rev, sha)
        for q, rev, sha in con.execute(
            "SELECT quarter, revision, content_sha256 FROM current_release "
            "WHERE kind = ? AND trust_type = ?",
            [parsed.kind, parsed.trust_type],
        ).fetchall()
    }
    plan: dict[str, int] = {}
    conflicts: list[Problem] = []
    for q, (sha, _) in sorted(digests.items()):
        if q not in current:
            plan[q] = 1
        elif current[q][1] == sha:
            report.unchanged.append(q)
        elif new_revision:
            plan[q] = current[q][0] + 1
        else:
            conflicts.append(
                Problem(
                    f"{q} is already stored (revision {current[q][0]}) with different content; "
                    "nothing was stored. Re-run with --new-revision to keep both",
                    str(parsed.path),
                    None,
                    "Quarter",
                )
            )
    if conflicts:
        raise UserError(f"{parsed.path.name} would overwrite published quarters", conflicts)

    now = datetime.now(UTC).replace(tzinfo=None)
    file_id = con.execute("SELECT nextval('source_file_id')").fetchone()[0]  # type: ignore[index]
    con.execute(
        "INSERT INTO source_file VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_id,
            parsed.path.name,
            parsed.sha256,
            parsed.kind,
            parsed.trust_type,
            len(parsed),
            parsed.quarters,
            now,
        ],
    )
    keep = sorted(i for q in plan for i in digests[q][1])
    if keep:
        # every row (a new file): the parsed columns as they are, not copies of them
        every = len(keep) == len(parsed)
        table = pa.table(
            {
                "file_id": pa.array([file_id] * len(keep), pa.int32()),
                **{c: v if every else [v[i] for i in keep] for c, v in parsed.columns.items()},
            }
        )
        con.register("incoming", table)
        names = ", ".join(table.column_names)
        con.execute(f"INSERT INTO {_TABLE[parsed.kind]} ({names}) SELECT {names} FROM incoming")
        con.unregister("incoming")
    for q, rev in plan.items():
        con.execute(
            "INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                parsed.kind,
                parsed.trust_type,
                q,
                rev,
                file_id,
                digests[q][0],
                len(digests[q][1]),
                now,
            ],
        )
    report.stored = plan
    return report


@dataclass(frozen=True)
class StoredRelease:
    """One stored release of a publisher file, with the file it came from."""

    quarter: str
    trust_type: str
    kind: str
    revision: int
    row_count: int
    file_name: str
    sha256: str
    ingested_at: datetime
    current: bool  # the latest revision of its kind, trust type and quarter


def stored_releases(con: Connection) -> list[StoredRelease]:
    """Every stored NOF release, by quarter (in time order), trust type, kind and revision."""
    rows = con.execute(
        """SELECT r.quarter, r.trust_type, r.kind, r.revision, r.row_count, f.file_name,
                  f.sha256, r.ingested_at,
                  r.revision = max(r.revision) OVER (PARTITION BY r.kind, r.trust_type, r.quarter)
           FROM release r JOIN source_file f USING (file_id)
           ORDER BY r.trust_type, r.kind, r.revision"""
    ).fetchall()
    found = [StoredRelease(*row) for row in rows]
    # stable: within a quarter the trust type, kind and revision order above is kept
    return sorted(found, key=lambda r: Quarter.parse(r.quarter))
