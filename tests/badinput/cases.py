"""The shape of a bad-input case, shared by every reader's case file.

A case file is a module ``tests/badinput/<reader>_cases.py`` with a ``CASES`` list of
:class:`Case`. Each case makes its input files in a temporary folder (usually a bundled real
file with one thing changed), names the CLI command to run on them, and the fragment the error
must contain. ``test_badinput.py`` runs every case through the CLI in-process and checks: exit
status 1, the fragment in the one-line reason, no traceback, and the store's tables unchanged.
To add another reader's cases, add another ``*_cases.py`` file; nothing else needs to change.

The case files: ``nof_cases`` (NOF data files and league tables), ``ae_cases`` (monthly A&E,
through `ae ingest` and the one `ingest`), ``cwt_cases``, ``dm01_cases``, ``ambsys_cases``,
``staff_survey_cases`` and ``ods_cases`` (the other collections; small spreadsheets built by
:mod:`tests.badinput.sheets`), and ``yaml_cases`` (framework, policy and evaluation-plan
files). The API's cases are in ``test_api_badinput.py`` and the library-only declarations
(collections, fetch sources) in ``test_declarations_badinput.py``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

Rows = list[list[str]]


@dataclass(frozen=True)
class Case:
    id: str
    what: str  # the one change made to the real file, in words
    make: Callable[[Path], Sequence[Path]]  # writes the input files into a folder
    expected: str  # fragment of the error message (case-insensitive)
    command: tuple[str, ...] = ("ingest",)  # CLI words before the files
    after: tuple[str, ...] = ()  # CLI words after them (the command a --framework file is for)


def read_rows(path: Path) -> tuple[list[str], Rows]:
    """A CSV's header and data rows, as mutable lists."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [list(r) for r in reader]


def write_rows(path: Path, header: list[str], rows: Rows) -> Path:
    """Write as the publisher does: UTF-8 with a byte-order mark, CRLF line ends."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
