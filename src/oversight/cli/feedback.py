"""What a command tells the person running it while it works and when it writes a file.

Progress bars go to standard error and are drawn only when standard error is a terminal, so a
pipe, a redirect or a test (typer's CliRunner) sees none of them. "Wrote PATH (WHAT)" lines go
to standard error too, so standard output stays the command's data (CSV, JSON) even when a
chart or a report file is written beside it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def stderr_console() -> Console:
    """Standard error as it is now (CliRunner swaps ``sys.stderr`` per invocation)."""
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def progress_wanted() -> bool:
    """Bars only for a person watching: standard error is a terminal."""
    return sys.stderr.isatty()


def progress_bar(counts: str = "count", disable: bool | None = None) -> Progress:
    """A transient bar on standard error: description, bar, done of total (``counts="count"``)
    or a percentage (``counts="percent"``), elapsed and time left. Disabled unless
    standard error is a terminal (or as ``disable`` says)."""
    amount = MofNCompleteColumn() if counts == "count" else TaskProgressColumn()
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        amount,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
        disable=(not progress_wanted()) if disable is None else disable,
    )


@contextmanager
def steps(description: str, total: int | None = None) -> Iterator[tuple[Progress, int]]:
    """One bar for a run of ``total`` steps (a spinner when the total is unknown); yields the
    Progress and its task id for ``advance`` / ``update``."""
    with progress_bar() as bar:
        task = bar.add_task(description, total=total)
        yield bar, task


def wrote(path: Path | str, what: str) -> None:
    """The one line every command prints for each file it writes."""
    stderr_console().print(f"Wrote {path} ({what})", markup=False)
