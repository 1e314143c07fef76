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

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AeFileLayout, ae_layout, normalise_header
from oversight.frameworks.collections import CollectionDef, collection
from oversight.ingest.ae_counts import parse_counts
from oversight.ingest.csv_text import CsvText, read_csv
from oversight.ingest.readers import register
from oversight.ingest.release import VALUE_SCHEMA, ParsedRelease
from oversight.periods import Month, PeriodError

_PERIOD = re.compile(r"^MSitAE-([A-Za-z]+)-(\d{4})$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Za-z0-9]{3,7}$")
IDENTITY = ("period", "org_code", "parent_org", "org_name")
_CONTENT_TEXT = ("org_name", "parent_org", "department_type", "measure")
LONG_SCHEMA = pa.schema(
    [
        ("line", pa.int32()),
        ("org_code", pa.string()),
        ("org_name", pa.string()),
        ("parent_org", pa.string()),
        ("department_type", pa.string()),
        ("measure", pa.string()),
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
    values: pa.Table  # LONG_SCHEMA, one row per provider, department type and measure
    total: pa.Table | None  # LONG_SCHEMA for the total row; org_code as published
    provider_rows: int
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def content_sha256(self) -> str:
        """The month's content, independent of row order, line endings, BOM and file name."""
        digest = hashlib.sha256()
        for table, tag in ((self.values, "P"), (self.total, "T")):
            if table is None:
                continue
            code = table.column("org_code")
            if tag == "T":  # how the total row's code is spelt is not content
                code = pa.array(["TOTAL"] * table.num_rows, pa.string())
            rows = pc.binary_join_element_wise(
                code,
                *(table.column(c) for c in _CONTENT_TEXT),
                pc.cast(table.column("value"), pa.string()),
                "\x1f",
            )
            digest.update(tag.encode())
            digest.update("\n".join(sorted(rows.to_pylist())).encode())
        return digest.hexdigest()

    def release(self, collection: str = "ae_monthly") -> ParsedRelease:
        """The same values in the shape every collection's reader hands to the store."""
        return ParsedRelease(
            collection,
            self.path,
            self.sha256,
            self.layout,
            (self.month,),
            _as_values(self.values, self.month),
            None if self.total is None else _as_values(self.total, self.month),
            [f"ignored empty column {c}" for c in self.ignored_columns],
        )


def _as_values(table: pa.Table, month: date) -> pa.Table:
    n = table.num_rows
    return pa.table(
        {
            "sheet": pa.nulls(n, pa.string()),
            "line": table.column("line"),
            "period": pa.array([month] * n, pa.date32()),
            "org_code": table.column("org_code"),
            "org_name": table.column("org_name"),
            "parent_org": table.column("parent_org"),
            "breakdown": table.column("department_type"),
            "subgroup": pa.array(["all"] * n, pa.string()),
            "measure": table.column("measure"),
            "value": pc.cast(table.column("value"), pa.float64()),
        },
        schema=VALUE_SCHEMA,
    )


@register("ae_monthly")
def read_ae_release(path: Path, collection: CollectionDef) -> ParsedRelease:
    """The registered reader: one monthly provider file as a :class:`ParsedRelease`."""
    return parse_ae_file(path).release(collection.id)


def parse_ae_file(path: Path) -> ParsedAeMonth:
    """Read one monthly provider file and check every row; raise UserError listing problems."""
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

    def ident(row: list[str], role: str) -> str:
        return row[roles[role]].strip()

    total_rows = [(ln, r) for ln, r in doc.rows if _is_total(*(ident(r, k) for k in IDENTITY))]
    providers = [(ln, r) for ln, r in doc.rows if not _is_total(*(ident(r, k) for k in IDENTITY))]
    if len(total_rows) > 1:
        problems += [
            Problem("more than one England total row", where, ln, doc.header[roles["org_code"]])
            for ln, _ in total_rows[1:]
        ]
    month = _file_month(doc, providers, total_rows, roles, problems)
    _check_codes(doc, providers, roles, problems)
    values, total = _long_tables(doc, providers, total_rows[:1], roles, measures, layout, problems)
    if problems:
        raise UserError(f"{path.name} was refused; nothing was stored", problems)
    assert month is not None
    parsed = ParsedAeMonth(
        path, doc.sha256, month, layout_name, values, total, len(providers), ignored
    )
    # what every collection must pass: the month within the publication's life (not 2031, not
    # year 1), every count within its declared range
    from oversight.ingest.readers.checks import check_release

    definition = collection("ae_monthly")
    check_release(parsed.release(definition.id), definition, date.today())
    return parsed


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
    providers: list[tuple[int, list[str]]],
    totals: list[tuple[int, list[str]]],
    roles: dict[str, int],
    problems: list[Problem],
) -> date | None:
    """The month every provider row's Period names; rows naming another month are refused."""
    where, field_name = str(doc.path), doc.header[roles["period"]]
    months: dict[int, date] = {}
    for line, row in providers:
        text = row[roles["period"]].strip()
        named = _named_month(text)
        if named is None:
            problems.append(
                Problem(f"Period {text!r} is not like MSitAE-APRIL-2024", where, line, field_name)
            )
            continue
        months[line] = named.first_day
    if not providers:
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


def _check_codes(
    doc: CsvText,
    providers: list[tuple[int, list[str]]],
    roles: dict[str, int],
    problems: list[Problem],
) -> None:
    where, field_name = str(doc.path), doc.header[roles["org_code"]]
    first: dict[str, int] = {}
    for line, row in providers:
        code = row[roles["org_code"]].strip()
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


def _long_tables(
    doc: CsvText,
    providers: list[tuple[int, list[str]]],
    totals: list[tuple[int, list[str]]],
    roles: dict[str, int],
    measures: dict[str, int],
    layout: AeFileLayout,
    problems: list[Problem],
) -> tuple[pa.Table, pa.Table | None]:
    """One long table per row group: every measure column stacked, counts checked at once."""
    out: list[pa.Table] = []
    keys = list(measures)
    for rows in (providers, totals):
        n = len(rows)
        ident = {k: [r[roles[k]].strip() for _, r in rows] for k in IDENTITY[1:]}
        if rows is totals:  # the code exactly as published (TOTAL, "TOTAL ", blank ...)
            ident["org_code"] = [r[roles["org_code"]] for _, r in rows]
        lines = [ln for ln, _ in rows]
        cells = [r[measures[k]] for k in keys for _, r in rows]
        fields = [doc.header[measures[k]] for k in keys]
        values = parse_counts(cells, lines * len(keys), fields, n, str(doc.path), problems)
        columns = [layout.column(k) for k in keys]
        table = pa.table(
            {
                "line": pa.array(lines * len(keys), pa.int32()),
                **{k: pa.array(v * len(keys), pa.string()) for k, v in ident.items()},
                "department_type": pa.array(
                    [c.department_type for c in columns for _ in range(n)], pa.string()
                ),
                "measure": pa.array([c.measure for c in columns for _ in range(n)], pa.string()),
                "value": values,
            },
            schema=LONG_SCHEMA,
        )
        out.append(table.filter(table.column("value").is_valid()))
    return out[0], (out[1] if totals else None)


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
