"""Typer option declarations shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from oversight.engine.nof.quarter import RangeOptions


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ScoresFrom(StrEnum):
    published = "published"
    computed = "computed"


class Method(StrEnum):
    exact = "exact"
    monte_carlo = "monte-carlo"


QuarterOpt = Annotated[
    str | None,
    typer.Option(
        "--quarter", "-q", help='Quarter, e.g. "Q4 2025/26" (default: the latest stored).'
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table, csv or json.")]
MethodOpt = Annotated[
    Method | None,
    typer.Option(
        "--method", help="Likely ranges: exact bootstrap distribution or Monte-Carlo replicates."
    ),
]
ReplicatesOpt = Annotated[
    int | None,
    typer.Option(
        "--replicates",
        "-B",
        min=100,
        help="Bootstrap replicates (implies --method monte-carlo; default 10,000).",
    ),
]
PolicyOpt = Annotated[
    str | None,
    typer.Option("--policy", "-p", help="Policy file (YAML) or bundled name; default national."),
]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Random seed for Monte-Carlo.")]


def range_options(method: Method | None, replicates: int | None, seed: int | None) -> RangeOptions:
    """--replicates alone implies Monte-Carlo; no option leaves the framework's choice."""
    chosen = (
        "monte_carlo"
        if (method is Method.monte_carlo or (method is None and replicates))
        else (None if method is None else "exact")
    )
    return RangeOptions(method=chosen, replicates=replicates, seed=seed)
