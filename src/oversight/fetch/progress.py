"""Rich progress bars for a fetch run: one overall (files done of files found) and one for the
file in flight (bytes, speed, time left). Drawn on stderr, so stdout stays the summary."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from oversight.fetch.run import RunHooks


class _BytesSpeed(TransferSpeedColumn):
    """Transfer speed for file tasks only (the overall task counts files, not bytes)."""

    def render(self, task: Task) -> Text:
        return super().render(task) if task.fields.get("bytes") else Text("")


class RichHooks(RunHooks):
    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[amount]}"),
            _BytesSpeed(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._overall: TaskID = self._progress.add_task("all files", total=None, amount="")
        self._file: TaskID | None = None
        self._file_total: int | None = None

    def __enter__(self) -> RichHooks:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def _count(self) -> None:
        task = self._progress.tasks[self._overall]
        amount = f"{task.completed:.0f}/{task.total or 0:.0f} files"
        self._progress.update(self._overall, amount=amount)

    def files_found(self, count: int) -> None:
        self._progress.update(self._overall, total=count)
        self._count()

    def started(self, name: str, total: int | None, already: int) -> None:
        if self._file is not None:
            self._progress.remove_task(self._file)
        self._file_total = total
        self._file = self._progress.add_task(
            name, total=total, completed=already, amount="", bytes=True
        )

    def advanced(self, nbytes: int) -> None:
        if self._file is None:
            return
        self._progress.advance(self._file, nbytes)
        done = next(t.completed for t in self._progress.tasks if t.id == self._file)
        of = f"/{decimal(self._file_total)}" if self._file_total else ""
        self._progress.update(self._file, amount=f"{decimal(int(done))}{of}")

    def file_done(self) -> None:
        if self._file is not None:
            self._progress.remove_task(self._file)
            self._file = None
        self._progress.advance(self._overall, 1)
        self._count()
