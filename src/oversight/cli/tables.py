"""Terminal tables that wrap at spaces and never cut a word, and percentages with their unit.

Rich shares a narrow console's width out among a table's columns; a column may then be
narrower than one of its words, and the word is cut ("inco", "for c"). Each column here is
at least as wide as the longest word it holds (its heading's and its cells'), so Rich wraps
between words and folds a word only when it is longer than ``LONGEST_WORD``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

# a longer "word" (a URL, a file path) may be folded rather than widen its column further
LONGEST_WORD = 24


def percent(value: float | None, places: int = 1) -> str:
    """A fraction as a percentage with its sign: 0.9846 -> "98.5%"."""
    return "" if value is None else f"{value:.{places}%}"


def longest_word(texts: Iterable[str]) -> int:
    return max((len(w) for t in texts for w in t.split()), default=1)


def wrapping_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    right: Iterable[str] = (),
    **table_options: Any,
) -> Table:
    """A table whose columns wrap between words; ``right`` names right-justified columns."""
    body = [list(r) for r in rows]
    rightward = set(right)
    table = Table(**table_options)
    for i, name in enumerate(headers):
        heading = name.replace("_", " ")  # a heading wraps between its words too
        cells = [heading, *(r[i] for r in body)]
        table.add_column(
            heading,
            justify="right" if name in rightward else "left",
            no_wrap=False,
            overflow="fold",
            min_width=min(longest_word(cells), LONGEST_WORD),
        )
    for r in body:
        table.add_row(*r)
    return table


def fits(console: Console, table: Table, width: int) -> bool:
    """Whether Rich lays ``table`` out within ``width`` without cropping columns."""
    inner = width - (len(table.columns) + 1)  # one border character beside each column
    widths = table._calculate_column_widths(console, console.options.update_width(inner))
    return sum(widths) <= inner


def print_table(console: Console, table: Table) -> None:
    """Print ``table`` at the console's width if its words fit, else at the least width at which
    they do: a table too wide for the terminal runs past its edge (the terminal wraps the lines)
    rather than losing columns to cropping."""
    width = console.width
    while not fits(console, table, width) and width < 1_000:
        width += 4
    if width > console.width:
        console = Console(
            file=console.file, width=width, highlight=False, force_terminal=console.is_terminal
        )
    console.print(table)
