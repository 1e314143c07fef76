"""Which file is which kind, by its content: the first step of the unified ingest
(:mod:`oversight.service.ingest`).

NOF data files and league tables are known by their header; monthly A&E and every other declared
collection (cancer waiting times, DM01, AmbSYS, the staff survey, ODS and ONS reference files)
by :func:`oversight.ingest.readers.recognise.recognise`. Folders are walked recursively; a file
in a folder that nothing recognises is skipped (and reported), a file named explicitly that
nothing recognises is refused. A ``MANIFEST.csv`` found among them (or just above a folder
given) is an ingest plan saying which file revises which (:mod:`oversight.ingest.manifest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import bundled_collections
from oversight.ingest.manifest import (
    RevisionPlan,
    is_manifest,
    manifest_above,
    merge_plans,
    read_manifest,
)
from oversight.ingest.readers.diagnose import diagnose
from oversight.ingest.readers.recognise import recognise

NOF = "nof"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Planned:
    path: Path
    kind: str  # NOF, or a declared collection's id
    named: bool  # given explicitly (not found by walking a folder)


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True)
class IngestPlan:
    files: tuple[Planned, ...]
    skipped: tuple[Skipped, ...] = ()
    revisions: RevisionPlan = RevisionPlan()  # from the MANIFEST.csv files found


def header(path: Path) -> str:
    """The first line of a text file, lower-cased ("" if unreadable)."""
    try:
        with path.open("rb") as fh:
            head = fh.readline(64 * 1024)
    except OSError:
        return ""
    return head.decode("utf-8-sig", errors="replace").casefold()


def is_nof(path: Path, named: bool = True) -> bool:
    """A NOF data file (a Metric_ID column) or league table (Average_score). Found in a folder
    it must also have the Quarter and Trust_code columns every publisher file has, so that
    tables of published values kept beside them (no Quarter) are not taken for one."""
    if path.suffix.casefold() != ".csv":
        return False
    first = header(path)
    if "metric_id" not in first and "average_score" not in first:
        return False
    return named or ("quarter" in first and "trust_code" in first)


def kind_of(path: Path, named: bool = True) -> str:
    """``nof``, a declared collection's id, or ``unknown``, by the file's content."""
    if is_nof(path, named):
        return NOF
    found = recognise(path)
    return found.id if found is not None else UNKNOWN


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, in path order; hidden files and folders left out."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def expand_paths(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """Every file to look at, with whether it was named explicitly: files as given, folders
    walked recursively; each file once. Raises :class:`UserError` for a path that is missing."""
    missing = [Problem("no such file or folder", str(p)) for p in paths if not p.exists()]
    if missing:
        raise UserError("Nothing was ingested: a path does not exist", missing)
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for given in paths:
        above = manifest_above(given) if given.is_dir() else None
        for path, named in (
            [(p, False) for p in [*_walk(given), *([above] if above else [])]]
            if given.is_dir()
            else [(given, True)]
        ):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, named))
    return found


def recognise_files(
    found: Sequence[tuple[Path, bool]], on_file: Callable[[Path], None] | None = None
) -> IngestPlan:
    """Which file is which kind. A file named explicitly that nothing recognises is refused
    (:class:`UserError`); one found in a folder is skipped."""
    files: list[Planned] = []
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    plans: list[RevisionPlan] = []
    for path, named in found:
        if is_manifest(path):
            plans.append(read_manifest(path))
            if on_file is not None:
                on_file(path)
            continue
        kind = kind_of(path, named)
        if kind != UNKNOWN:
            files.append(Planned(path, kind, named))
        elif named:
            problems.append(diagnose(path) or Problem(_not_recognised(), str(path)))
        else:
            skipped.append(Skipped(path, "not a publication any collection recognises"))
        if on_file is not None:
            on_file(path)
    if problems:
        names = ", ".join(Path(str(p.file)).name for p in problems)
        raise UserError(f"Nothing was ingested: {names} cannot be ingested", problems)
    return IngestPlan(tuple(files), tuple(skipped), merge_plans(plans))


def recognise_paths(paths: Sequence[Path]) -> IngestPlan:
    """:func:`expand_paths`, then :func:`recognise_files`."""
    return recognise_files(expand_paths(paths))


def _not_recognised() -> str:
    ids = ", ".join(c.id for c in bundled_collections())
    return (
        "not a file oversight recognises (a NOF data file or league table, or a file of a "
        f"declared collection: {ids})"
    )
