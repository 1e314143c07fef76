"""Writing checked releases of any collection into the shared store tables, in one transaction.

Rules (so a published period is never silently overwritten or counted twice):

* the same file again (same sha256) is a no-op;
* a period stored with the same content (whatever the file's bytes: BOM, line endings, row
  order, file name) is recorded but adds no release ("unchanged");
* a period stored with different content is a *revision*, accepted only when asked for: by the
  caller (``new_revision``, the CLI's ``--new-revision``), or by an ingest plan
  (:class:`~oversight.ingest.manifest.RevisionPlan`) saying this exact file supersedes the exact
  file the stored release came from. A file's name never makes it a revision. It becomes
  revision n+1, the current one for the period, and the earlier release stays queryable;
* in one batch, files are taken first period first, then in the plan's order (a file after
  the one it supersedes), otherwise as given. Two files of one period with different content
  and no plan between them are refused, even with ``new_revision``: nothing says which is later;
* a national total row further from its organisations' sum than the collection declares
  (``totals: checked``, ``total_tolerance``) refuses the file;
* any problem refuses the whole batch and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef, bundled_collections
from oversight.ingest.manifest import RevisionPlan
from oversight.ingest.release import ParsedRelease, WideValues, free_unused
from oversight.ingest.totals import number, total_differences, total_problems
from oversight.ingest.value_schema import key_codes
from oversight.periods import Month

Key = tuple[str, date]  # (collection, period)


@dataclass
class PeriodOutcome:
    period: date
    status: str  # "stored" or "unchanged"
    revision: int | None = None


@dataclass
class ReleaseReport:
    collection: str
    file_name: str
    sha256: str
    status: str  # "stored", "unchanged" (every period as stored), "already ingested"
    periods: list[PeriodOutcome] = field(default_factory=list)
    file_id: int | None = None


def period_label(period: date, definition: CollectionDef | None) -> str:
    frequency = definition.frequency if definition else "monthly"
    if frequency == "monthly":
        return Month.of(period).name
    return f"{period:%Y}" if frequency == "annual" else str(period)


@dataclass
class _Current:
    """The release a period holds now: in the store, or planned earlier in this batch."""

    revision: int
    content: str  # content_sha256
    file_sha256: str  # of the file it came from
    file: str | None = None  # the file's path when it is earlier in this batch


def store_releases(
    con: duckdb.DuckDBPyConnection,
    releases: list[ParsedRelease],
    new_revision: bool = False,
    definitions: Mapping[str, CollectionDef] | None = None,
    period_field: str = "period",
    own_transaction: bool = True,
    plan: RevisionPlan | None = None,
) -> list[ReleaseReport]:
    """Plan every file's periods against the store, then write them all in one transaction.

    ``definitions`` names the collections by id (default: the bundled ones) for messages;
    ``period_field`` is the field a conflicting period is reported against; ``plan`` says which
    file supersedes which (see the module docstring). With ``own_transaction=False`` the writes
    join the caller's open transaction (the unified ingest stores every kind of file at once)
    and committing or rolling back is the caller's.
    """
    defs = dict(definitions or {c.id: c for c in bundled_collections()})
    plan = plan or RevisionPlan()
    order = sorted(releases, key=lambda p: (p.periods[:1], plan.depth(p.sha256)))
    known = {sha for (sha,) in con.execute("SELECT sha256 FROM source_file").fetchall()}
    current: dict[Key, _Current] = {
        (c, p): _Current(rev, content, sha)
        for c, p, rev, content, sha in con.execute(
            "SELECT r.collection, r.period, r.revision, r.content_sha256, f.sha256 "
            "FROM collection_current_release r JOIN source_file f USING (file_id)"
        ).fetchall()
    }
    reports: list[ReleaseReport] = []
    writes: list[tuple[ParsedRelease, ReleaseReport, dict[date, str]]] = []
    conflicts: list[Problem] = []
    bad_totals: list[Problem] = []
    for parsed in order:
        report = ReleaseReport(
            parsed.collection, parsed.path.name, parsed.sha256, "already ingested"
        )
        reports.append(report)
        if parsed.sha256 in known:
            continue
        known.add(parsed.sha256)
        bad_totals += total_problems(parsed, defs.get(parsed.collection))
        digests: dict[date, str] = {}
        for period in parsed.periods:
            digest = parsed.content_sha256(period)
            stored = current.get((parsed.collection, period))
            if stored is not None and stored.content == digest:
                report.periods.append(PeriodOutcome(period, "unchanged"))
                continue
            label = period_label(period, defs.get(parsed.collection))
            refusal = _refusal(parsed, stored, label, new_revision, plan)
            if refusal is not None:
                conflicts.append(Problem(refusal, str(parsed.path), None, period_field))
                continue
            revision = 1 if stored is None else stored.revision + 1
            current[(parsed.collection, period)] = _Current(
                revision, digest, parsed.sha256, str(parsed.path)
            )
            report.periods.append(PeriodOutcome(period, "stored", revision))
            digests[period] = digest
        report.status = "stored" if digests else "unchanged"
        writes.append((parsed, report, digests))
    if bad_totals:
        files = sorted({Path(str(p.file)).name for p in bad_totals})
        raise UserError(
            f"{', '.join(files)}: a total row disagrees with the organisations' sum", bad_totals
        )
    if conflicts:
        noun = "months" if all(_monthly(p, defs) for p in releases) else "periods"
        raise UserError(f"The files would overwrite published {noun}", conflicts)
    if writes and own_transaction:
        con.execute("BEGIN TRANSACTION")
        try:
            _write(con, writes)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    elif writes:
        _write(con, writes)
    return reports


def _refusal(
    parsed: ParsedRelease,
    stored: _Current | None,
    label: str,
    new_revision: bool,
    plan: RevisionPlan,
) -> str | None:
    """Why a period with new content cannot be stored (None: it can)."""
    if stored is None or plan.supersedes.get(parsed.sha256) == stored.file_sha256:
        return None
    if stored.file is not None:
        # both in this batch and no plan between them: nothing says which is the later release
        return (
            f"{label} is also in {stored.file} with different content; nothing was stored. "
            "Ingest the first release, then the revised one with --new-revision (or list both "
            "in a MANIFEST.csv whose supersedes column names the earlier)"
        )
    if new_revision:
        return None
    return (
        f"{label} is already stored (revision {stored.revision}) with different content; "
        "nothing was stored. If this is the publisher's revised release, re-run with "
        "--new-revision to keep both"
    )


def _monthly(parsed: ParsedRelease, defs: Mapping[str, CollectionDef]) -> bool:
    found = defs.get(parsed.collection)
    return found is None or found.frequency == "monthly"


def total_mismatches(parsed: ParsedRelease) -> list[str]:
    """Measures where the organisations' sum differs from the published national total."""
    out = []
    for row, ours in total_differences(parsed):
        split = str(row["breakdown"]) + ("" if row["subgroup"] == "all" else f" {row['subgroup']}")
        out.append(
            f"{row['measure']} {split}: providers sum to {number(ours)}, total row says "
            f"{number(float(str(row['value'])))}"
        )
    return out


def _write(
    con: duckdb.DuckDBPyConnection,
    plan: list[tuple[ParsedRelease, ReleaseReport, dict[date, str]]],
) -> None:
    """Four bulk inserts (files, releases, values, totals), inside the caller's transaction."""
    now = datetime.now(UTC).replace(tzinfo=None)
    ids = [
        i
        for (i,) in con.execute(
            "SELECT nextval('source_file_id') FROM range(?)", [len(plan)]
        ).fetchall()
    ]
    files, release_rows, values, totals = [], [], [], []
    wide: list[tuple[WideValues, str, int, int]] = []  # unpivoted by DuckDB as it inserts
    for file_id, (parsed, report, digests) in zip(ids, plan, strict=True):
        report.file_id = file_id
        files.append(_source_row(parsed, file_id, now))
        revisions = {o.period: o.revision for o in report.periods if o.status == "stored"}
        for period, digest in digests.items():
            part = _period(parsed.values, period)
            release_rows.append(
                {
                    "collection": parsed.collection,
                    "period": period,
                    "revision": revisions[period],
                    "file_id": file_id,
                    "content_sha256": digest,
                    "row_count": _rows(part),
                    "has_total": parsed.totals is not None
                    and _rows(_period(parsed.totals, period)) > 0,
                    "layout": parsed.layout,
                    "ingested_at": now,
                }
            )
            rev = revisions[period]
            assert rev is not None
            if isinstance(part, WideValues):
                wide.append((part, parsed.collection, file_id, rev))
            else:
                values.append(_provenance(part, parsed.collection, file_id, rev))
            if parsed.totals is not None:
                tot = _period(parsed.totals, period)
                assert isinstance(tot, pa.Table)  # total rows are always long
                totals.append(_provenance(tot, parsed.collection, file_id, rev))
    free_unused()  # the digests' temporary arrays, before DuckDB allocates for the insert
    _insert(con, "source_file", [pa.Table.from_pylist(files)])
    if release_rows:
        _insert(con, "collection_release", [pa.Table.from_pylist(release_rows)])
    _insert(con, "collection_value", values)
    for part, collection, file_id, revision in wide:
        _insert_wide(con, part, collection, file_id, revision)
    _insert(con, "collection_total", totals)


def _source_row(parsed: ParsedRelease, file_id: int, now: datetime) -> dict[str, object]:
    return {
        "file_id": file_id,
        "file_name": parsed.path.name,
        "sha256": parsed.sha256,
        "kind": parsed.collection,
        "trust_type": "all providers",
        "row_count": max((_rows(_period(parsed.values, p)) for p in parsed.periods), default=0),
        "quarters": [f"{p:%Y-%m}" for p in parsed.periods],
        "ingested_at": now,
    }


def _period(table: pa.Table | WideValues, period: date) -> pa.Table | WideValues:
    if isinstance(table, WideValues):
        return table.for_period(period)
    keep = pc.fill_null(pc.equal(table.column("period"), pa.scalar(period, pa.date32())), False)
    # a one-period file (every monthly one) is kept as it is rather than copied
    return table if pc.all(keep).as_py() else table.filter(keep)


def _rows(table: pa.Table | WideValues) -> int:
    """Organisation rows as published: distinct (sheet, line) the values came from."""
    if isinstance(table, WideValues):
        return table.organisation_rows()
    if table.num_rows == 0:
        return 0
    # integer codes, not a hash grouping of the text (which took several times the table)
    sheet = key_codes(table.column("sheet"))
    line = table.column("line").to_numpy().astype(np.int64)
    return len(np.unique(sheet * (int(line.max()) + 1) + (line - int(line.min()))))


def _provenance(table: pa.Table, collection: str, file_id: int, revision: int) -> pa.Table:
    n = table.num_rows
    return (
        table.append_column(
            # one text for every row: held once (DuckDB reads the dictionary as VARCHAR)
            "collection",
            pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), [collection]),
        )
        .append_column("file_id", pa.repeat(pa.scalar(file_id, pa.int32()), n))
        .append_column("revision", pa.repeat(pa.scalar(revision, pa.int32()), n))
    )


def _insert(con: duckdb.DuckDBPyConnection, table_name: str, parts: list[pa.Table]) -> None:
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return
    incoming = pa.concat_tables(parts)
    con.register("incoming", incoming)
    try:
        names = ", ".join(incoming.column_names)
        con.execute(f"INSERT INTO {table_name} ({names}) SELECT {names} FROM incoming")
    finally:
        con.unregister("incoming")


def _insert_wide(
    con: duckdb.DuckDBPyConnection, part: WideValues, collection: str, file_id: int, revision: int
) -> None:
    """Organisation rows held wide, made long by DuckDB as it writes them (UNPIVOT drops the
    cells without a value): the long rows never exist whole outside the store."""
    con.register("incoming_rows", part.rows)
    con.register("incoming_cells", part.cell_table())
    try:
        cells = ", ".join(f'"{c}"' for c in part.value_columns)
        con.execute(
            "INSERT INTO collection_value (collection, file_id, revision, sheet, line, period, "
            "org_code, org_name, parent_org, breakdown, subgroup, measure, value) "
            "SELECT ?, ?, ?, NULL, u.line, u.period, u.org_code, u.org_name, u.parent_org, "
            "c.breakdown, c.subgroup, c.measure, u.value::DOUBLE "
            f"FROM (UNPIVOT incoming_rows ON {cells} INTO NAME cell VALUE value) u "
            "JOIN incoming_cells c USING (cell)",
            [collection, file_id, revision],
        )
    finally:
        con.unregister("incoming_rows")
        con.unregister("incoming_cells")
