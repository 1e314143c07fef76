"""User-facing errors: one clear sentence naming where the problem is and what to do instead.

Internal faults stay ordinary exceptions (with tracebacks); anything a user can fix by changing
an input is a :class:`UserError`, which the CLI prints as one line per problem and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where: file, sheet (spreadsheets), line (1-based; the
    row number as a spreadsheet program shows it when there is a sheet) and field."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            where.append(f"{'row' if self.sheet else 'line'} {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class UserError(Exception):
    """An input the user can fix. Carries every problem found, not just the first."""

    summary: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.summary]
        shown = self.problems[:20]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)
