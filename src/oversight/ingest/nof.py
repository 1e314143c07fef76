"""NHS England's NHS Oversight Framework CSVs: the per-trust-type data file and league table.

Parsing and checking only; writing to the store is :mod:`oversight.store.releases`. Every
problem found is collected (not just the first) and reported with file, line and field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.frameworks.nof_publication import nof_publication
from oversight.ingest.csv_text import CsvText, cells, parse_number, read_csv, require_columns
from oversight.ingest.nof_checks import (
    check_range,
    likely_range,
    structure_problems,
    trusts_per_quarter,
)
from oversight.periods import sort_quarters

DATA_COLUMNS = [
    "Quarter",
    "Region",
    "Trust_type",
    "Trust_subtype",
    "Trust_code",
    "Trust_name",
    "Domain",
    "Sub-domain",
    "Metric_ID",
    "Metric_description",
    "Reporting_date",
    "Units",
    "Value",
    "Median_value",
    "Lower_quartile",
    "Upper_quartile",
    "Rank",
]
LEAGUE_COLUMNS = [
    "Quarter",
    "Region",
    "Trust_type",
    "Trust_subtype",
    "Trust_code",
    "Trust_name",
    "Average_score",
    "Likely_range_of_average_score",
    "Segment",
    "Trust_in_financial_deficit",
    "Rank",
    "Likely_range_of_rank",
]
DATA_NUMERIC = ["Value", "Median_value", "Lower_quartile", "Upper_quartile", "Rank"]
_ODS = re.compile(r"^[A-Z0-9]{3,6}$")

Kind = Literal["nof_data", "nof_league_table"]


@dataclass(frozen=True)
class ParsedFile:
    """A checked publisher file: its kind, trust type, and rows as column lists."""

    path: Path
    sha256: str
    kind: Kind
    trust_type: str  # framework trust-type id
    columns: dict[str, list[object]]
    undeclared_metrics: list[str] = field(default_factory=list)

    @property
    def quarters(self) -> list[str]:
        # in time order: as text "Q1 2026/27" would come before "Q4 2025/26"
        return sort_quarters(list({str(q) for q in self.columns["quarter"]}))

    def __len__(self) -> int:
        return len(self.columns["quarter"])


def parse_nof_file(path: Path, framework: Framework) -> ParsedFile:
    """Read a NOF data file or league table, whichever it is, and check every row."""
    doc = read_csv(path)
    if "Metric_ID" in doc.header:
        return _parse_data(doc, framework)
    if "Average_score" in doc.header:
        return _parse_league(doc, framework)
    raise UserError(
        f"{path.name} is neither a NOF data file nor a NOF league table",
        [
            Problem(
                "expected a 'Metric_ID' column (data file) or an 'Average_score' column "
                f"(league table); the header has: {', '.join(doc.header)}",
                str(path),
                1,
            )
        ],
    )


def _common(
    doc: CsvText, row: dict[str, str], line: int, framework: Framework, problems: list[Problem]
) -> str | None:
    """Check the organisation columns every NOF file has; return the trust-type id."""
    f = str(doc.path)
    if row["Quarter"] not in framework.quarters:
        problems.append(
            Problem(
                f"quarter {row['Quarter']!r} is not one of framework "
                f"{framework.version}'s quarters {framework.quarters}",
                f,
                line,
                "Quarter",
            )
        )
    if not _ODS.match(row["Trust_code"]):
        problems.append(
            Problem(f"{row['Trust_code']!r} is not an ODS organisation code", f, line, "Trust_code")
        )
    trust_type = framework.trust_type_by_name(row["Trust_type"])
    if trust_type is None:
        known = ", ".join(t.name for t in framework.trust_types)
        problems.append(
            Problem(
                f"unknown trust type {row['Trust_type']!r} (known: {known})", f, line, "Trust_type"
            )
        )
        return None
    if trust_type.subtypes and trust_type.subtype_by_name(row["Trust_subtype"]) is None:
        known = ", ".join(s.name for s in trust_type.subtypes)
        problems.append(
            Problem(
                f"unknown subtype {row['Trust_subtype']!r} for {trust_type.name} (known: {known})",
                f,
                line,
                "Trust_subtype",
            )
        )
    return trust_type.id


_ORG_COLUMNS = (
    ("quarter", "Quarter"),
    ("region", "Region"),
    ("trust_subtype", "Trust_subtype"),
    ("trust_code", "Trust_code"),
    ("trust_name", "Trust_name"),
)


def _org_fields(row: dict[str, str], line: int, type_id: str | None) -> list[tuple[str, object]]:
    """The organisation columns every NOF file has, as (stored column, value)."""
    return [("line", line), ("trust_type", type_id), *((k, row[c]) for k, c in _ORG_COLUMNS)]


def _numbers(
    row: dict[str, str],
    columns: list[str] | tuple[str, ...],
    file: str,
    line: int,
    problems: list[Problem],
) -> dict[str, float | None]:
    """Parse the numeric columns of a row; a problem (and None) for each that is not a number."""
    out: dict[str, float | None] = {}
    for col in columns:
        if row[col].casefold().lstrip("+-") == "nan":
            # csv_text reads "nan" as the publisher's "no value" marker; NHS England never
            # writes it in a NOF file, so here it is a broken number, not a missing one.
            problems.append(
                Problem(
                    f"{row[col]!r} is not a valid value: NaN is never published", file, line, col
                )
            )
            out[col] = None
            continue
        try:
            out[col] = parse_number(row[col])
        except ValueError:
            problems.append(Problem(f"{row[col]!r} is not a number", file, line, col))
            out[col] = None
    return out


def _require_rows(doc: CsvText) -> None:
    if not doc.rows:
        raise UserError(
            f"{doc.path.name} has no data rows; nothing was stored",
            [Problem("the file has a header but no rows after it", str(doc.path), 2)],
        )


def _one_trust_type(doc: CsvText, types: set[str], problems: list[Problem]) -> str:
    if problems:
        raise UserError(
            f"{doc.path.name} has {len(problems)} problem(s); nothing was stored", problems
        )
    if len(types) != 1:
        raise UserError(
            f"{doc.path.name} mixes trust types",
            [
                Problem(
                    f"found {sorted(types)}; NHS England publishes one file per trust type",
                    str(doc.path),
                )
            ],
        )
    return types.pop()


def _parse_data(doc: CsvText, framework: Framework) -> ParsedFile:
    index = require_columns(doc, DATA_COLUMNS, "a NOF data file")
    _require_rows(doc)
    rules = nof_publication().data_file
    trusts = trusts_per_quarter(doc, index)
    known = framework.known_ids()
    problems, broken = structure_problems(doc, DATA_COLUMNS)
    types: set[str] = set()
    seen: dict[tuple[str, str, str, str], int] = {}
    undeclared: set[str] = set()
    out: dict[str, list[object]] = defaultdict(list)
    # one string object per distinct text (trust names, domains, descriptions repeat on every
    # row): a large file's columns then cost a pointer a cell, not a string a cell
    shared: dict[str, str] = {}
    f = str(doc.path)
    for line, row in cells(doc, index):
        if line in broken:
            continue
        type_id = _common(doc, row, line, framework, problems)
        if type_id:
            types.add(type_id)
        metric_id = row["Metric_ID"]
        declared = framework.metrics_for_id(metric_id)
        if type_id and declared and not any(type_id in m.trust_types for m in declared):
            problems.append(
                Problem(
                    f"metric {metric_id} is not assessed for {row['Trust_type']} in framework "
                    f"{framework.id} {framework.version} (it is for "
                    f"{', '.join(sorted({t for m in declared for t in m.trust_types}))})",
                    f,
                    line,
                    "Metric_ID",
                )
            )
        if metric_id not in known:
            if framework.accepts_undeclared(metric_id):
                undeclared.add(metric_id)
                if framework.domain_by_name(row["Domain"]) is None:
                    problems.append(
                        Problem(
                            f"undeclared metric {metric_id} is in domain {row['Domain']!r}, which "
                            f"framework {framework.id} {framework.version} does not have",
                            f,
                            line,
                            "Domain",
                        )
                    )
            else:
                problems.append(
                    Problem(
                        f"unknown metric ID {metric_id!r}: framework {framework.id} "
                        f"{framework.version} does not define it",
                        f,
                        line,
                        "Metric_ID",
                    )
                )
        # Some metrics are published twice per trust, as a rate and as a count: Units tells them
        # apart, so it is part of what makes a row unique.
        key = (row["Quarter"], row["Trust_code"], metric_id, row["Units"])
        if key in seen:
            problems.append(
                Problem(
                    f"duplicate row: {metric_id} ({row['Units']}) for {row['Trust_code']} in "
                    f"{row['Quarter']} already given on line {seen[key]}",
                    f,
                    line,
                    "Metric_ID",
                )
            )
        seen[key] = line
        numbers = _numbers(row, DATA_NUMERIC, f, line, problems)
        value_rule = rules.value_range(metric_id, row["Units"])
        if value_rule is not None:
            for col in ("Value", "Median_value", "Lower_quartile", "Upper_quartile"):
                check_range(numbers[col], value_rule[1], value_rule[0], (f, line, col), problems)
        n = trusts.get(row["Quarter"])
        check_range(numbers["Rank"], rules.rank, "a rank", (f, line, "Rank"), problems, n)
        for name, value in (
            *_org_fields(row, line, type_id),
            ("domain", row["Domain"]),
            ("sub_domain", row["Sub-domain"]),
            ("metric_id", metric_id),
            ("metric_description", row["Metric_description"]),
            ("reporting_date", row["Reporting_date"]),
            ("units", row["Units"]),
            ("value", numbers["Value"]),
            ("median", numbers["Median_value"]),
            ("lower_quartile", numbers["Lower_quartile"]),
            ("upper_quartile", numbers["Upper_quartile"]),
            ("rank", numbers["Rank"]),
        ):
            out[name].append(shared.setdefault(value, value) if isinstance(value, str) else value)
    trust_type = _one_trust_type(doc, types, problems)
    return ParsedFile(doc.path, doc.sha256, "nof_data", trust_type, dict(out), sorted(undeclared))


def _parse_league(doc: CsvText, framework: Framework) -> ParsedFile:
    index = require_columns(doc, LEAGUE_COLUMNS, "a NOF league table")
    _require_rows(doc)
    rules = nof_publication().league_table
    trusts = trusts_per_quarter(doc, index)
    problems, broken = structure_problems(doc, LEAGUE_COLUMNS)
    types: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    out: dict[str, list[object]] = defaultdict(list)
    # one string object per distinct text (trust names, domains, descriptions repeat on every
    # row): a large file's columns then cost a pointer a cell, not a string a cell
    shared: dict[str, str] = {}
    f = str(doc.path)
    for line, row in cells(doc, index):
        if line in broken:
            continue
        type_id = _common(doc, row, line, framework, problems)
        if type_id:
            types.add(type_id)
        key = (row["Quarter"], row["Trust_code"])
        if key in seen:
            problems.append(
                Problem(
                    f"duplicate row: {row['Trust_code']} in {row['Quarter']} "
                    f"already given on line {seen[key]}",
                    f,
                    line,
                    "Trust_code",
                )
            )
        seen[key] = line
        nums = _numbers(row, ("Average_score", "Segment", "Rank"), f, line, problems)
        n = trusts.get(row["Quarter"])
        check_range(
            nums["Average_score"],
            rules.average_score,
            "an average score",
            (f, line, "Average_score"),
            problems,
        )
        check_range(nums["Segment"], rules.segment, "a segment", (f, line, "Segment"), problems)
        check_range(nums["Rank"], rules.rank, "a rank", (f, line, "Rank"), problems, n)
        ranges = {
            "Likely_range_of_average_score": likely_range(
                row["Likely_range_of_average_score"],
                nums["Average_score"],
                rules.average_score,
                (f, line, "Likely_range_of_average_score"),
                problems,
            ),
            "Likely_range_of_rank": likely_range(
                row["Likely_range_of_rank"],
                nums["Rank"],
                rules.rank,
                (f, line, "Likely_range_of_rank"),
                problems,
                n,
            ),
        }
        deficit = row["Trust_in_financial_deficit"].casefold()
        if deficit not in ("yes", "no"):
            problems.append(
                Problem(
                    f"{row['Trust_in_financial_deficit']!r} is not Yes or No",
                    f,
                    line,
                    "Trust_in_financial_deficit",
                )
            )
        for name, value in (
            *_org_fields(row, line, type_id),
            ("average_score", nums["Average_score"]),
            ("average_low", ranges["Likely_range_of_average_score"][0]),
            ("average_high", ranges["Likely_range_of_average_score"][1]),
            ("segment", nums["Segment"]),
            ("in_financial_deficit", deficit == "yes"),
            ("rank", nums["Rank"]),
            ("rank_low", ranges["Likely_range_of_rank"][0]),
            ("rank_high", ranges["Likely_range_of_rank"][1]),
        ):
            out[name].append(shared.setdefault(value, value) if isinstance(value, str) else value)
    trust_type = _one_trust_type(doc, types, problems)
    return ParsedFile(doc.path, doc.sha256, "nof_league_table", trust_type, dict(out))
