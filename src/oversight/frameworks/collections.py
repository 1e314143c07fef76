"""Source-statistics collections as data: what a publication is, how its files are recognised,
which measures it carries and what values they may take.

A collection (monthly A&E, cancer waiting times, DM01 diagnostics, AmbSYS, the NHS Staff Survey,
ODS reference files) is one YAML file under ``definitions/collections/``. Its reader (one per
publication, registered by name in :mod:`oversight.ingest.readers`) turns a publisher's file
into long values (:mod:`oversight.ingest.release`); everything after that (store tables,
releases and revisions, series, successions, intervals, SPC, funnels) is shared by every
collection. What varies between publishers' file layouts lives in the ``layout`` block, which
only that collection's reader interprets (and validates with its own model).

Plain validated models, no database imports.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.frameworks.loader import load_validated

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValidRange(_Strict):
    """Values a measure may take; anything outside is refused at ingest with file, row, field."""

    min: float | None = None
    max: float | None = None
    integer: bool = False  # counts must be whole numbers


class MeasureDef(_Strict):
    id: str
    title: str
    kind: Literal["count", "score", "duration_seconds", "share", "mean"] = "count"
    unit: str = ""
    valid: ValidRange = ValidRange()


class Recognise(_Strict):
    """How ``oversight ingest`` knows a file belongs to this collection, by content.

    ``format`` is checked on the file's bytes (CSV text, xlsx zip, xls OLE2); then, for
    spreadsheets, every name in ``sheets`` must be a worksheet; then every text in
    ``header_contains`` must appear (trimmed, case-insensitive) among the first
    ``header_search_rows`` rows of the first matching sheet (or of the CSV). With ``match:
    regex`` each text is instead a regular expression that some cell must match (searched,
    case-insensitive): for files with no header row, recognised by what their records look
    like. ``fields``, for CSV files, is the exact number of fields every searched record has.
    """

    format: Literal["csv", "xlsx", "xls"]
    sheets: list[str] = Field(default_factory=list)
    header_contains: list[str] = Field(min_length=1)
    header_search_rows: int = Field(default=20, ge=1, le=200)
    match: Literal["cell", "regex"] = "cell"
    fields: int | None = Field(default=None, ge=1)


class Breakdown(_Strict):
    """The collection's first split of an organisation's values (A&E department type, DM01
    test, cancer type), with the canonical keys stored in the ``breakdown`` column."""

    name: str
    values: dict[str, str]  # key -> plain-English label; 'all' for the organisation as a whole


class ChangePoint(_Strict):
    """A month from which SPC limits are recalculated (Making Data Count "rebasing"): the
    process changed there for a known reason, so earlier months say nothing about its limits."""

    month: str = Field(pattern=_MONTH)  # the first month of the new phase
    title: str = Field(min_length=1)  # a short name for the phase it starts
    reason: str = Field(min_length=1)


class TargetLine(_Strict):
    """A standard or target a metric is held to, drawn on its SPC chart and used for the
    assurance icon. ``metric`` names a metric of a metric set built on this collection (checked
    when that set is loaded); ``value`` is in the metric's own unit (a share as 0-1)."""

    metric: str
    kind: Literal["standard", "target"]
    value: float
    label: str = Field(min_length=1)
    start: str | None = Field(default=None, pattern=_MONTH)  # first month it applies
    end: str | None = Field(default=None, pattern=_MONTH)  # last month it applies
    source: str = Field(min_length=1)

    def applies(self, month: str) -> bool:
        """Whether the line is in force in ``month`` (YYYY-MM, which sorts as text)."""
        return (self.start is None or self.start <= month) and (
            self.end is None or month <= self.end
        )


class SpcDeclaration(_Strict):
    """What SPC needs to know about a collection's series beyond the numbers."""

    change_points: list[ChangePoint] = Field(default_factory=list)
    lines: list[TargetLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> SpcDeclaration:
        months = [c.month for c in self.change_points]
        if months != sorted(set(months)):
            raise ValueError("spc.change_points: months must be distinct and in order")
        return self


class CollectionDef(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = 1
    title: str
    publisher: str
    source_url: str
    licence: str = "Open Government Licence v3.0"
    frequency: Literal["monthly", "annual", "reference"]
    started: str = Field(pattern=r"^\d{4}(-\d{2})?$")  # first period the publication covers
    reader: str  # name under which the reader is registered in oversight.ingest.readers
    recognise: Recognise
    organisation_level: Literal["provider", "trust", "icb", "region", "mixed"] = "provider"
    breakdown: Breakdown | None = None
    subgroup: Breakdown | None = None
    measures: list[MeasureDef] = Field(min_length=1)
    totals: Literal["none", "published", "checked"] = "none"
    # with totals: checked, how far (in the measure's own units) the organisations' sum may be
    # from the published total row before the file is refused; 0 means exactly equal
    total_tolerance: float = Field(default=0.0, ge=0)
    layout: dict[str, Any] = Field(default_factory=dict)  # reader-specific, reader-validated
    spc: SpcDeclaration = SpcDeclaration()
    comparators: dict[str, Any] = Field(default_factory=dict)  # peer groups, user-validated

    @model_validator(mode="after")
    def _unique_measures(self) -> CollectionDef:
        ids = [m.id for m in self.measures]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"measures: duplicate id(s) {', '.join(dupes)}")
        return self

    def measure(self, measure_id: str) -> MeasureDef | None:
        return next((m for m in self.measures if m.id == measure_id), None)


def _folder() -> Path:
    return Path(str(resources.files("oversight.frameworks") / "definitions" / "collections"))


def load_collection(path: Path) -> CollectionDef:
    return load_validated(path, CollectionDef, "collection")


@cache
def bundled_collections() -> tuple[CollectionDef, ...]:
    """Every collection declared under ``definitions/collections/``, by file name order."""
    folder = _folder()
    if not folder.is_dir():
        return ()
    return tuple(load_collection(p) for p in sorted(folder.glob("*.yaml")))


def collection(collection_id: str) -> CollectionDef:
    for c in bundled_collections():
        if c.id == collection_id:
            return c
    known = ", ".join(c.id for c in bundled_collections()) or "none"
    raise KeyError(f"no collection {collection_id!r} (declared: {known})")
