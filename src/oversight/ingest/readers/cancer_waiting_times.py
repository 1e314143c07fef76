"""Cancer Waiting Times provider extracts (CWT CRS, xlsx): one sheet, one row per month,
standard, provider, referral route (stage), treatment modality and cancer type, with the
numbers treated within the standard, in total and in breach.

Long values: breakdown = cancer type (``all`` for the published ALL CANCERS rows), subgroup =
referral route, or ``<route>__<modality>`` for a row on one treatment modality (the ALL
MODALITIES rows and the 28-day rows, which have no modality, are the route itself). The files
publish no all-routes rows, so an organisation's total for a standard is the sum over its
route subgroups (the modality subgroups are parts of their route and must not be added in).
Measures are ``<standard>_within``, ``<standard>_total`` and ``<standard>_breaches`` with the
standard's prefix from the declaration (fds, d31, d62); breaches = total - within is checked.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from oversight.frameworks.collections import CollectionDef
from oversight.ingest.readers import register
from oversight.ingest.readers._sheets import Values, sheet_rows, slug, text
from oversight.ingest.release import ParsedRelease


class CancerLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sheet: str
    columns: list[str]  # the header row, in order
    standards: dict[str, str]  # published STANDARD -> measure prefix
    all_cancers: str  # the cancer-type label of an organisation's all-cancers rows
    all_modalities: list[str]  # modality labels that mean "the route as a whole"


_FIELDS = ("period", "standard", "org", "route", "modality", "cancer")
_COUNTS = {"TOTAL TREATED": "total", "WITHIN STANDARD": "within", "BREACHES": "breaches"}


@register("cancer_waiting_times")
def read(path: Path, collection: CollectionDef) -> ParsedRelease:
    layout = CancerLayout.model_validate(collection.layout)
    out = Values(path, collection, sheet=layout.sheet, org_field="ORG CODE")
    rows = sheet_rows(path, layout.sheet)
    out.check_header(next(rows, []), layout.columns, 1)
    out.raise_if_problems("the header row is not the CWT provider extract's")
    at = {name: layout.columns.index(name) for name in layout.columns}
    where = dict(
        zip(
            _FIELDS,
            (
                at["PERIOD"],
                at["STANDARD"],
                at["ORG CODE"],
                at["STAGE/ROUTE"],
                at["TREATMENT MODALITY"],
                at["CANCER TYPE"],
            ),
            strict=True,
        )
    )
    where.update({title: at[title] for title in _COUNTS})
    for n, row in enumerate(rows, start=2):
        if not any(text(c) for c in row):
            continue
        read_row(out, layout, row, n, where)
        if len(out.problems) > 200:
            break
    return out.release("cwt-crs-provider-extract")


def read_row(
    out: Values, layout: CancerLayout, row: list[object], line: int, where: dict[str, int]
) -> None:
    """One extract row into up to three values (problems are collected, not raised)."""
    cells = {k: row[i] if i < len(row) else "" for k, i in where.items()}
    period = _month(cells["period"])
    if period is None:
        shown = text(cells["period"])
        out.problem(f"{shown!r} is not the first day of a month", line, "PERIOD")
        return
    prefix = layout.standards.get(text(cells["standard"]))
    if prefix is None:
        out.problem(f"unknown standard {text(cells['standard'])!r}", line, "STANDARD")
        return
    org = text(cells["org"]).upper()
    if not org:
        out.problem("no organisation code", line, "ORG CODE")
        return
    cancer = text(cells["cancer"])
    breakdown = "all" if cancer.casefold() == layout.all_cancers.casefold() else slug(cancer)
    if collection_split(out.collection.breakdown, breakdown) is None:
        out.problem(f"undeclared cancer type {cancer!r}", line, "CANCER TYPE")
        return
    route, modality = text(cells["route"]), text(cells["modality"])
    whole = not modality or modality.casefold() in _casefolded(tuple(layout.all_modalities))
    subgroup = slug(route) if whole else f"{slug(route)}__{slug(modality)}"
    if collection_split(out.collection.subgroup, subgroup) is None:
        out.problem(f"undeclared route/modality {route!r}/{modality!r}", line, "STAGE/ROUTE")
        return
    counts: dict[str, float] = {}
    for title, name in _COUNTS.items():
        measure = out.measure(f"{prefix}_{name}")
        if measure is None:
            continue
        i = where[title]
        value = out.number(row[i] if i < len(row) else "", measure, line, title)
        if value is not None:
            counts[name] = value
            out.add(line, period, (org, None, None), (breakdown, subgroup), measure.id, value)
    if {"total", "within", "breaches"} <= counts.keys() and (
        counts["total"] != counts["within"] + counts["breaches"]
    ):
        out.problem("TOTAL TREATED is not WITHIN STANDARD + BREACHES", line, "TOTAL TREATED")
    elif "total" in counts and counts.get("within", 0) > counts["total"]:
        out.problem("WITHIN STANDARD is above TOTAL TREATED", line, "WITHIN STANDARD")


@cache
def _casefolded(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(label.casefold() for label in labels)


def collection_split(split: object, key: str) -> str | None:
    values = getattr(split, "values", None)
    return key if isinstance(values, dict) and key in values else None


def _month(cell: object) -> date | None:
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date) and cell.day == 1:
        return cell
    return None
