"""An ingest plan: a ``MANIFEST.csv`` that says which file revises which.

A publisher sometimes issues a period twice (NHS England's revised A&E months). Which file is the
revision is never guessed from its name: it is stated, either by the user (``--new-revision``)
or by a manifest beside the files. A manifest is a CSV file named ``MANIFEST.csv`` with at least
the columns ``file`` (a path, as the manifest's own rows refer to each other), ``sha256`` (of the
file's bytes) and ``supersedes`` (the ``file`` of the earlier release this one replaces, or
empty). Files are matched to its rows by their sha256, so a copied or renamed file keeps its
place in the plan, and a manifest that lists none of the files has no effect.

A row with ``supersedes`` lets that exact file be stored as a new revision of its period only
over the exact release it names; over anything else it is refused like any changed period.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oversight.errors import Problem, UserError

MANIFEST_NAME = "manifest.csv"
_COLUMNS = {"file", "sha256", "supersedes"}


@dataclass(frozen=True)
class RevisionPlan:
    """sha256 of a revised release -> sha256 of the release it supersedes."""

    supersedes: Mapping[str, str] = field(default_factory=dict)

    def depth(self, sha256: str) -> int:
        """How many releases come before this one in its chain (0 for a first release)."""
        seen: set[str] = set()
        while sha256 in self.supersedes and sha256 not in seen:
            seen.add(sha256)
            sha256 = self.supersedes[sha256]
        return len(seen)


def is_manifest(path: Path) -> bool:
    """A file named MANIFEST.csv whose header has the plan's columns."""
    if path.name.casefold() != MANIFEST_NAME or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return _COLUMNS <= {h.strip() for h in header}


def read_manifest(path: Path) -> RevisionPlan:
    """The revisions a manifest declares; a ``supersedes`` naming no row of it is refused."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UserError(
            f"{path.name} cannot be read as an ingest plan", [Problem(str(exc), str(path))]
        ) from exc
    sha_of = {(r.get("file") or "").strip(): (r.get("sha256") or "").strip() for r in rows}
    plan: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        earlier = (row.get("supersedes") or "").strip()
        if not earlier:
            continue
        if not sha_of.get(earlier):
            problems.append(
                Problem(
                    f"names {earlier!r}, which no row of the file lists",
                    str(path),
                    line,
                    "supersedes",
                )
            )
            continue
        plan[(row.get("sha256") or "").strip()] = sha_of[earlier]
    if problems:
        raise UserError(f"{path.name} is not a usable ingest plan", problems)
    return RevisionPlan(plan)


def merge_plans(plans: Iterable[RevisionPlan]) -> RevisionPlan:
    merged: dict[str, str] = {}
    for p in plans:
        merged.update(p.supersedes)
    return RevisionPlan(merged)


def manifest_above(folder: Path) -> Path | None:
    """The ingest plan in the folder just above ``folder``, if any (the bundled
    ``data/nhs/ae/MANIFEST.csv`` sits above the files it lists, in ``data/nhs/ae/monthly``)."""
    for candidate in sorted(folder.resolve().parent.glob("*")):
        if is_manifest(candidate):
            return candidate
    return None
