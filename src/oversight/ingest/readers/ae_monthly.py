"""NHS England's monthly "A&E Attendances and Emergency Admissions" provider CSVs: the reader of
the ``ae_monthly`` collection.

Parsing and checking only; writing to the store is :mod:`oversight.store.collections` (through
:mod:`oversight.store.ae`). Which columns a file may have is data (the ``layout`` block of
``frameworks/definitions/collections/ae_monthly.yaml``); this module
matches a header against it, finds the month and the England total row, and turns every count
into one long row (organisation, department type, measure, value) with its line number. Every
problem found is collected and reported with file, line and field.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AeFileLayout, ae_layout, normalise_header
from oversight.frameworks.collections import CollectionDef
from oversight.frameworks.collections import collection as ae_collection
from oversight.ingest.ae_counts import parse_counts
from oversight.ingest.csv_text import CsvText, read_csv
from oversight.ingest.readers import register
from oversight.ingest.readers.checks import check_release
from oversight.ingest.release import ParsedRelease, free_unused, system_allocator
from oversight.ingest.wide_values import Cell, WideValues
from oversight.periods import Month, PeriodError

_PERIOD = re.compile(r"^MSitAE-([A-Za-z]+)-(\d{4})$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Za-z0-9]{3,7}$")
IDENTITY = ("period", "org_code", "parent_org", "org_name")
# Text columns are dictionary-encoded: a provider's code, name and parent are held once and
# each long row points at them (as plain strings, repeated for every measure, they were most of
# a large file's ingest memory). Arrow compute, ``to_pylist`` and DuckDB read them as strings.
TEXT = pa.dictionary(pa.int32(), pa.string())
LONG_SCHEMA = pa.schema(
    [
        ("line", pa.int32()),
        ("org_code", TEXT),
        ("org_name", TEXT),
        ("parent_org", TEXT),
        ("department_type", TEXT),
        ("measure", TEXT),
        ("value", pa.int64()),
    ]
)


@dataclass(frozen=True)
class ParsedAeMonth:
    """A checked monthly file: its month, provider values and published England total."""

    path: Path
    sha256: str
    month: date
    layout: str
    wide: WideValues  # one row per provider, one count column per department type and measure
    total_wide: WideValues | None  # the England total row; org_code as published
    provider_rows: int
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def values(self) -> pa.Table:
        """LONG_SCHEMA, one row per provider, department type and measure with a count."""
        return _as_long(self.wide.long())

    @property
    def total(self) -> pa.Table | None:
        """LONG_SCHEMA for the total row."""
        return None if self.total_wide is None else _as_long(self.total_wide.long())

    def release(self, collection: str = "ae_monthly") -> ParsedRelease:
        """The same values in the shape every collection's reader hands to the store (the
        providers' held wide, made long as the store writes them)."""
        return ParsedRelease(
            collection,
            self.path,
            self.sha256,
            self.layout,
            (self.month,),
            self.wide,
            None if self.total_wide is None else self.total_wide.long(),
            [f"ignored empty column {c}" for c in self.ignored_columns],
        )


def _as_long(table: pa.Table) -> pa.Table:
    """The long rows under this module's column names, counts as whole numbers."""
    return pa.table(
        {
            **{k: table.column(k) for k in ("line", "org_code", "org_name", "parent_org")},
            "department_type": table.column("breakdown"),
            "measure": table.column("measure"),
            "value": pc.cast(table.column("value"), pa.int64()),
        },
        schema=LONG_SCHEMA,
    )


_CHUNK = 8192


class _TextColumn:
    """One column's cells as Arrow string chunks: Python strings live for a chunk only (a
    large file's cells as Python objects took about 100 times the file's size)."""

    def __init__(self) -> None:
        self._chunks: list[pa.Array] = []
        self._pending: list[str] = []

    def append(self, cell: str) -> None:
        self._pending.append(cell)
        if len(self._pending) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._chunks.append(pa.array(self._pending, pa.string()))
            self._pending = []

    def array(self) -> pa.Array:
        self._flush()
        if not self._chunks:
            return pa.array([], pa.string())
        if len(self._chunks) > 1:  # held once, whole, from now on
            self._chunks = [pa.concat_arrays(self._chunks)]
        return self._chunks[0]


@dataclass
class _RowGroup:
    """Rows of one kind (providers, or the England total) held by column: what the checks
    read (line, Period) and what the long table is built from (Arrow columns)."""

    roles: dict[str, int]
    measures: dict[str, int]
    code_as_published: bool = False  # the total row's code is kept as spelt (TOTAL, blank ...)
    lines: array[int] = field(default_factory=lambda: array("i"))
    periods: list[str] = field(default_factory=list)
    ident: dict[str, _TextColumn] = field(default_factory=dict)
    counts: dict[str, _TextColumn] = field(default_factory=dict)
    _seen: dict[str, str] = field(default_factory=dict)  # one object per distinct Period text

    def __post_init__(self) -> None:
        self.ident = {k: _TextColumn() for k in IDENTITY[1:]}
        self.counts = {k: _TextColumn() for k in self.measures}

    def add(self, line: int, row: list[str]) -> None:
        self.lines.append(line)
        period = row[self.roles["period"]].strip()
        self.periods.append(self._seen.setdefault(period, period))
        code = row[self.roles["org_code"]]
        self.ident["org_code"].append(code if self.code_as_published else code.strip())
        for k in ("parent_org", "org_name"):
            self.ident[k].append(row[self.roles[k]].strip())
        for k, i in self.measures.items():
            self.counts[k].append(row[i])


@dataclass
class _SplitRows:
    providers: _RowGroup
    totals: list[tuple[int, list[str]]]  # every England total row (one is expected)
    first_total: _RowGroup


def _split_rows(doc: CsvText, roles: dict[str, int], measures: dict[str, int]) -> _SplitRows:
    """One pass over the rows: providers by column, total rows as read."""
    providers = _RowGroup(roles, measures)
    totals: list[tuple[int, list[str]]] = []
    for line, row in doc.rows:
        if _is_total(*(row[roles[k]].strip() for k in IDENTITY)):
            totals.append((line, row))
        else:
            providers.add(line, row)
    first_total = _RowGroup(roles, measures, code_as_published=True)
    for line, row in totals[:1]:
        first_total.add(line, row)
    return _SplitRows(providers, totals, first_total)


@register("ae_monthly")
def read_ae_release(path: Path, collection: CollectionDef) -> ParsedRelease:
    """The registered reader: one monthly provider file as a :class:`ParsedRelease`.

    :func:`~oversight.ingest.readers.reader_for` checks the release against ``collection``
    after this returns; the bundled declaration's check is run here only when ``collection``
    is another one (checking the same release against the same declaration twice was a pure
    repeat, and held a second copy of its temporaries).
    """
    with system_allocator():
        release = _parse_unchecked(path).release(collection.id)
        bundled = ae_collection("ae_monthly")
        if collection != bundled:
            check_release(release, bundled, date.today())
            free_unused()
    return release


def parse_ae_file(path: Path) -> ParsedAeMonth:
    """Read one monthly provider file and check every row; raise UserError listing problems."""
    with system_allocator():
        parsed = _parse_unchecked(path)
        # what every collection must pass: the month within the publication's life (not 2031,
        # not year 1), every count within its declared range
        check_release(parsed.release("ae_monthly"), ae_collection("ae_monthly"), date.today())
        free_unused()
    return parsed


def _parse_unchecked(path: Path) -> ParsedAeMonth:
    """The file read and its rows checked, before the checks every collection must pass."""
    doc = read_csv(path)
    layout = ae_layout()
    roles, measures, layout_name, ignored = _match_header(doc, layout)
    where = str(path)
    problems: list[Problem] = []
    width = len(doc.header)
    used = max([*roles.values(), *measures.values()])
    for line, row in doc.rows:
        if len(row) <= used:
            problems.append(
                Problem(f"the row has {len(row)} fields, the header {width}", where, line)
            )
        elif len(row) > width and any(c.strip() for c in row[width:]):
            problems.append(
                Problem(f"the row has {len(row)} fields, the header only {width}", where, line)
            )
    if problems:
        raise UserError(f"{path.name} has rows of the wrong length", problems)

    groups = _split_rows(doc, roles, measures)
    providers, total_rows = groups.providers, groups.totals
    if len(total_rows) > 1:
        problems += [
            Problem("more than one England total row", where, ln, doc.header[roles["org_code"]])
            for ln, _ in total_rows[1:]
        ]
    month = _file_month(doc, providers, total_rows, roles, problems)
    _check_codes(doc, providers, problems)
    counts = _checked_counts(doc, groups, measures, problems)
    if problems:
        raise UserError(f"{path.name} was refused; nothing was stored", problems)
    assert month is not None
    cells = tuple(
        Cell(c.department_type, "all", c.measure) for c in (layout.column(k) for k in measures)
    )
    wide = _wide(providers, counts[0], cells, month)
    total = _wide(groups.first_total, counts[1], cells, month) if total_rows else None
    provider_rows = len(providers.lines)
    del groups, providers, counts  # the rows by column: what is needed is in the wide tables
    free_unused()
    return ParsedAeMonth(path, doc.sha256, month, layout_name, wide, total, provider_rows, ignored)


def _match_header(
    doc: CsvText, layout: AeFileLayout
) -> tuple[dict[str, int], dict[str, int], str, list[str]]:
    """Positions of the identity and measure columns, the layout's name, and ignored columns.

    A column not named in the layout file is refused unless it is empty in every row.
    """
    by_name, identity = layout.column_by_name(), layout.identity_by_name()
    where = str(doc.path)
    roles: dict[str, int] = {}
    measures: dict[str, int] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for i, header in enumerate(doc.header):
        key = normalise_header(header)
        target, name = (roles, identity[key]) if key in identity else (measures, None)
        if name is None and key in by_name:
            name = by_name[key].key
        if name is None:
            if any(i < len(r) and r[i].strip() for _, r in doc.rows):
                problems.append(Problem("unrecognised column", where, 1, header or f"#{i + 1}"))
            else:
                ignored.append(header or f"#{i + 1}")
            continue
        if name in target:
            problems.append(Problem("the same column appears twice", where, 1, header))
        target[name] = i
    if problems:
        known = "; ".join(f"{lay.name}: {len(lay.columns) + 4} columns" for lay in layout.layouts)
        raise UserError(
            f"{doc.path.name} has a layout Oversight does not recognise (known layouts: {known}); "
            "nothing was stored",
            problems,
        )
    present = set(measures)
    best = min(layout.layouts, key=lambda lay: len(present.symmetric_difference(lay.columns)))
    for role in IDENTITY:
        if role not in roles:
            wanted = getattr(layout.identity, role)[0]
            problems.append(Problem("missing column", where, 1, wanted))
    for key in best.columns:
        if key not in present:
            problems.append(
                Problem(f"missing column (layout {best.name!r})", where, 1, _name(layout, key))
            )
    for key in sorted(present - set(best.columns), key=lambda k: measures[k]):
        problems.append(
            Problem(
                f"column not expected with the others (layout {best.name!r})",
                where,
                1,
                doc.header[measures[key]],
            )
        )
    if problems:
        raise UserError(f"{doc.path.name} is missing columns; nothing was stored", problems)
    return roles, measures, best.name, ignored


def _name(layout: AeFileLayout, key: str) -> str:
    return layout.column(key).names[0]


def _is_total(period: str, code: str, parent: str, name: str) -> bool:
    """The England total row: coded TOTAL in any case or spacing, or with a blank code."""
    marks = {period.casefold(), code.casefold(), parent.casefold(), name.casefold()}
    return code.casefold() == "total" or (code == "" and "total" in marks)


def _file_month(
    doc: CsvText,
    providers: _RowGroup,
    totals: list[tuple[int, list[str]]],
    roles: dict[str, int],
    problems: list[Problem],
) -> date | None:
    """The month every provider row's Period names; rows naming another month are refused."""
    where, field_name = str(doc.path), doc.header[roles["period"]]
    months: dict[int, date] = {}
    for line, text in zip(providers.lines, providers.periods, strict=True):
        named = _named_month(text)
        if named is None:
            problems.append(
                Problem(f"Period {text!r} is not like MSitAE-APRIL-2024", where, line, field_name)
            )
            continue
        months[line] = named.first_day
    if not providers.lines:
        problems.append(Problem("the file has no provider rows", where, None))
        return None
    if not months:
        return None
    counts = Counter(months.values())
    month, n = counts.most_common(1)[0]
    if len(counts) > 1 and counts.most_common(2)[1][1] == n:
        problems.append(
            Problem("rows name different months equally often", where, None, field_name)
        )
        return None
    for line, m in months.items():
        if m != month:
            problems.append(
                Problem(
                    f"Period names {m:%B %Y}, the rest of the file ({n} rows) {month:%B %Y}",
                    where,
                    line,
                    field_name,
                )
            )
    for line, row in totals:
        named = _named_month(row[roles["period"]].strip())
        if named is not None and named.month != month.month:
            problems.append(Problem("the total row names another month", where, line, field_name))
    return month


def _named_month(text: str) -> Month | None:
    """The month a Period cell names (``MSitAE-APRIL-2024``, full or short month name)."""
    if _PERIOD.match(text) is None:
        return None
    try:
        return Month.parse(text)
    except PeriodError:
        return None


def _check_codes(doc: CsvText, providers: _RowGroup, problems: list[Problem]) -> None:
    where, field_name = str(doc.path), doc.header[providers.roles["org_code"]]
    first: dict[str, int] = {}
    # the codes as Python strings only while they are checked (kept as such through the read,
    # they were scattered among its freed rows and held that memory)
    codes = providers.ident["org_code"].array().to_pylist()  # a provider's code is trimmed
    for line, code in zip(providers.lines, codes, strict=True):
        if not _CODE.match(code):
            problems.append(
                Problem(f"organisation code {code!r} is not an ODS code", where, line, field_name)
            )
        elif code.upper() in first:
            problems.append(
                Problem(
                    f"{code} appears twice (also on line {first[code.upper()]})",
                    where,
                    line,
                    field_name,
                )
            )
        else:
            first[code.upper()] = line


def _checked_counts(
    doc: CsvText,
    groups: _SplitRows,
    measures: dict[str, int],
    problems: list[Problem],
) -> list[pa.Array]:
    """Each row group's counts (providers, then the total row), checked a column at a time:
    one int64 array per group, a column's cells after the previous column's."""
    out: list[pa.Array] = []
    keys = list(measures)
    fields = [doc.header[measures[k]] for k in keys]
    for group in (groups.providers, groups.first_total):
        cells = pa.concat_arrays([group.counts.pop(k).array() for k in keys])
        out.append(
            parse_counts(cells, group.lines, fields, len(group.lines), str(doc.path), problems)
        )
        del cells
        free_unused()  # the checks' temporary columns
    return out


def _wide(group: _RowGroup, counts: pa.Array, cells: tuple[Cell, ...], month: date) -> WideValues:
    """A row group's rows held wide: its identity and one column of counts per cell (in 32
    bits where every count fits, as every published one does: half the memory)."""
    n = len(group.lines)
    most = pc.max(counts).as_py()
    if most is None or most < 2**31:
        counts = counts.cast(pa.int32())
    return WideValues(
        pa.table(
            {
                "line": pa.array(np.asarray(group.lines, dtype=np.int32), pa.int32()),
                "period": pa.repeat(pa.scalar(month, pa.date32()), n),
                **{k: group.ident[k].array() for k in ("org_code", "org_name", "parent_org")},
                **{f"v{i}": counts.slice(i * n, n) for i in range(len(cells))},
            }
        ),
        cells,
    )


def parse_ae_files(
    paths: list[Path], on_file: Callable[[Path], None] | None = None
) -> list[ParsedAeMonth]:
    """Parse every file, collecting every refusal; raise once if any file was refused."""
    parsed: list[ParsedAeMonth] = []
    errors: list[tuple[Path, UserError]] = []
    for path in paths:
        try:
            parsed.append(parse_ae_file(path))
        except UserError as exc:
            errors.append((path, exc))
        if on_file is not None:
            on_file(path)
    if len(errors) == 1 and len(paths) == 1:
        raise errors[0][1]
    if errors:
        raise UserError(
            f"{len(errors)} of {len(paths)} files refused, nothing was stored: "
            + "; ".join(f"{exc.summary}" for _, exc in errors),
            [p for _, exc in errors for p in (exc.problems or [Problem(exc.summary)])],
        )
    return parsed
