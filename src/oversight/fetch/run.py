"""One fetch run: for each publication, read its landing page, download the files it links to
into the cache, then hand new and changed files to :func:`oversight.fetch.ingest.ingest_paths`.

Failures of one page or one file are recorded and the run goes on with the rest; the summary
says what happened to every file. Exit status (decided here, rendered by the CLI): 1 when
nothing at all could be fetched, or when ingest refused a file; a missing file or page among
others that were fetched is reported as a warning and the run succeeds.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from oversight.fetch.cache import Entry, Manifest, load_manifest
from oversight.fetch.http import Downloaded, FetchError, Validators, download, get_page
from oversight.fetch.ingest import IngestOutcome, ingest_paths
from oversight.fetch.sources import FileLink, file_links, rewrite
from oversight.frameworks.fetch_model import FetchSource

FileStatus = Literal["new", "changed", "unchanged", "failed"]


@dataclass
class FileResult:
    publication: str
    name: str
    url: str
    status: FileStatus
    detail: str = ""
    resumed_from: int = 0
    paths: list[Path] = field(default_factory=list)  # what ingest is given (zip: its members)


@dataclass
class FetchSummary:
    files: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # pages and publications, one line each
    ingested: list[IngestOutcome] = field(default_factory=list)

    @property
    def fetched(self) -> list[FileResult]:
        return [f for f in self.files if f.status != "failed"]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def exit_code(self) -> int:
        if not self.fetched:
            return 1
        return 1 if any(o.status == "refused" for o in self.ingested) else 0


class RunHooks:
    """What a run reports as it goes; silent here, the CLI draws progress bars from it."""

    def files_found(self, count: int) -> None:
        pass

    def started(self, name: str, total: int | None, already: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass

    def file_done(self) -> None:
        pass


def fetch(
    sources: list[FetchSource],
    cache_dir: Path,
    db_path: Path | None,
    base_url: str | None = None,
    hooks: RunHooks | None = None,
) -> FetchSummary:
    """Fetch every source; ingest into ``db_path`` unless it is None (``--no-ingest``)."""
    hooks = hooks or RunHooks()
    manifest = load_manifest(cache_dir)
    summary = FetchSummary()
    found: list[tuple[FetchSource, FileLink]] = []
    for source in sources:
        found += [(source, link) for link in _links(source, base_url, summary)]
    hooks.files_found(len(found))
    for source, link in found:
        summary.files.append(_fetch_file(source, link, manifest, base_url, hooks))
        manifest.save()  # after every file, so an interrupted run keeps what it finished
        hooks.file_done()
    if db_path is not None:
        summary.ingested = _ingest(summary, manifest, db_path)
        manifest.save()
    return summary


def _links(source: FetchSource, base_url: str | None, summary: FetchSummary) -> list[FileLink]:
    try:
        html = get_page(rewrite(source.page, base_url))
    except FetchError as exc:
        summary.problems.append(f"{source.id}: landing page unavailable: {exc}")
        return []
    # resolved against the publisher's page URL, so the cache records publishers' URLs
    links = file_links(source, html, source.page)
    if not links:
        summary.problems.append(
            f"{source.id}: no link on {source.page} matches {source.links!r} "
            "(the page may have changed layout)"
        )
    return links


def _request_url(url: str, base_url: str | None) -> str:
    if base_url and url.startswith(base_url.rstrip("/") + "/"):
        return url  # a mirror's page linking to itself
    return rewrite(url, base_url)


def _fetch_file(
    source: FetchSource, link: FileLink, manifest: Manifest, base_url: str | None, hooks: RunHooks
) -> FileResult:
    dest = manifest.file_path(source.id, link.name)
    entry = manifest.get(source.id, link.name)
    known = None
    if entry is not None and dest.exists():
        known = Validators(entry.etag, entry.last_modified)
    try:
        got = download(_request_url(link.url, base_url), dest, known, hooks)
        paths = _unpacked(source, dest)
    except FetchError as exc:
        return FileResult(source.id, link.name, link.url, "failed", str(exc))
    status, entry = _record(source, link, got, entry, manifest)
    detail = f"resumed from byte {got.resumed_from}" if got.resumed_from else ""
    return FileResult(source.id, link.name, link.url, status, detail, got.resumed_from, paths)


def _record(
    source: FetchSource,
    link: FileLink,
    got: Downloaded,
    entry: Entry | None,
    manifest: Manifest,
) -> tuple[FileStatus, Entry]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if got.not_modified and entry is not None:
        entry.fetched_at = now
        return "unchanged", entry
    status: FileStatus = "new"
    if entry is not None:
        status = "unchanged" if entry.sha256 == got.sha256 else "changed"
    new = Entry(
        source.id,
        link.name,
        link.url,
        got.sha256,
        got.size,
        got.validators.etag,
        got.validators.last_modified,
        now,
        entry.ingested_sha256 if entry is not None else None,
    )
    manifest.put(new)
    return status, new


def _unpacked(source: FetchSource, path: Path) -> list[Path]:
    """A zip archive's declared members, extracted beside it; any other file as it is."""
    if path.suffix.casefold() != ".zip" or not source.extract:
        return [path]
    try:
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name.casefold(): n for n in archive.namelist()}
            out = []
            for wanted in source.extract:
                member = names.get(wanted.casefold())
                if member is None:
                    raise FetchError(f"{path.name}: the archive has no {wanted}")
                target = path.with_name(Path(member).name)
                target.write_bytes(archive.read(member))
                out.append(target)
            return out
    except (zipfile.BadZipFile, OSError) as exc:
        raise FetchError(f"{path.name}: not a readable zip archive ({exc})") from None


def _ingest(summary: FetchSummary, manifest: Manifest, db_path: Path) -> list[IngestOutcome]:
    """New files, and files never ingested yet, as first releases; files whose content
    changed since they were ingested as new revisions (that file only)."""
    first: list[tuple[Entry, Path]] = []
    revised: list[tuple[Entry, Path]] = []
    for result in summary.fetched:
        entry = manifest.get(result.publication, result.name)
        if entry is None or not entry.needs_ingest:
            continue
        for path in result.paths:
            (revised if entry.is_revision else first).append((entry, path))
    outcomes: list[IngestOutcome] = []
    for batch, new_revision in ((first, False), (revised, True)):
        done = ingest_paths(db_path, [p for _, p in batch], new_revision)
        for (entry, _), outcome in zip(batch, done, strict=True):
            if outcome.done:
                entry.ingested_sha256 = entry.sha256
        outcomes += done
    return outcomes
