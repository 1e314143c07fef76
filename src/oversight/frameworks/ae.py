"""A&E monthly statistics as data: the publisher's column layouts, the metrics, and the
successor mapping of organisations that merged or split.

Plain validated models (pydantic), no database imports: the ingest reads the layout, the
engine turns the metrics into SQL, and the series code walks the successor mapping.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import CollectionDef, collection
from oversight.frameworks.loader import load_validated

DepartmentType = Literal["type1", "type2", "other", "all"]
Measure = Literal[
    "attendances",
    "attendances_booked",
    "over_4hr",
    "over_4hr_booked",
    "dta_wait_4_to_12hr",
    "dta_wait_12hr_plus",
    "emergency_admissions_via_ae",
    "emergency_admissions_other",
]
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def normalise_header(name: str) -> str:
    """How header names are compared: trimmed, single-spaced, case-insensitive."""
    return " ".join(name.split()).casefold()


# --- layouts of the publisher's file --------------------------------------------------------


class AeColumn(_Strict):
    key: str
    measure: Measure
    department_type: DepartmentType
    names: list[str] = Field(min_length=1)


class AeLayout(_Strict):
    name: str
    columns: list[str] = Field(min_length=1)


class AeIdentity(_Strict):
    period: list[str]
    org_code: list[str]
    parent_org: list[str]
    org_name: list[str]


class AeFileLayout(_Strict):
    version: int = 1
    identity: AeIdentity
    columns: list[AeColumn]
    layouts: list[AeLayout] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> AeFileLayout:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError("column keys must be unique")
        names = [normalise_header(n) for c in self.columns for n in c.names]
        names += [normalise_header(n) for ns in self.identity.model_dump().values() for n in ns]
        if len(set(names)) != len(names):
            raise ValueError("a header name is listed twice")
        for i, layout in enumerate(self.layouts):
            unknown = [k for k in layout.columns if k not in keys]
            if unknown:
                raise ValueError(f"@layouts.{i}.columns: unknown column keys {unknown}")
        return self

    def column_by_name(self) -> dict[str, AeColumn]:
        return {normalise_header(n): c for c in self.columns for n in c.names}

    def identity_by_name(self) -> dict[str, str]:
        return {
            normalise_header(n): role for role, ns in self.identity.model_dump().items() for n in ns
        }

    def column(self, key: str) -> AeColumn:
        return next(c for c in self.columns if c.key == key)


# --- metrics ---------------------------------------------------------------------------------


class MeasureSum(_Strict):
    """The sum of some measures over some breakdown values (for A&E: department types) of the
    metric set's collection; checked against its declaration when the set is loaded."""

    measures: list[str] = Field(min_length=1)
    department_types: list[str] = Field(min_length=1)  # the collection's breakdown keys

    @property
    def breakdowns(self) -> list[str]:
        return self.department_types


class AeMetric(_Strict):
    """A monthly metric from the published counts.

    ``count``: value = the sum ``count``. ``share_within``: numerator = ``denominator`` minus
    ``exceeding`` (e.g. attendances minus those over 4 hours), value = numerator / denominator.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    description: str
    kind: Literal["count", "share_within"]
    higher_is_better: bool
    count: MeasureSum | None = None
    denominator: MeasureSum | None = None
    exceeding: MeasureSum | None = None

    @model_validator(mode="after")
    def _parts(self) -> AeMetric:
        if self.kind == "count" and (self.count is None or self.denominator or self.exceeding):
            raise ValueError("a count metric has `count` and no denominator or exceeding")
        if self.kind == "share_within" and (
            self.count is not None or self.denominator is None or self.exceeding is None
        ):
            raise ValueError("a share_within metric has `denominator` and `exceeding`")
        return self


class AeRegion(_Strict):
    code: str = Field(pattern=r"^Y[0-9]{2}$")
    name: str
    patterns: list[str] = Field(min_length=1)


class AeMetricSet(_Strict):
    id: str
    version: int
    source: str
    collection: str = "ae_monthly"  # the declared collection whose measures the metrics sum
    metrics: list[AeMetric]
    regions: list[AeRegion] = Field(default_factory=list)

    def region_of(self, parent_org: str) -> AeRegion | None:
        """The region a published parent organisation name stands for (first pattern wins)."""
        name = " ".join(parent_org.split()).upper()
        return next((r for r in self.regions if any(p in name for p in r.patterns)), None)

    @model_validator(mode="after")
    def _unique(self) -> AeMetricSet:
        ids = [m.id for m in self.metrics]
        if len(set(ids)) != len(ids):
            raise ValueError("metric ids must be unique")
        return self

    def metric(self, metric_id: str) -> AeMetric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def unknown_parts(self, definition: CollectionDef) -> list[str]:
        """Measures and breakdown keys the metrics name that ``definition`` does not declare."""
        measures = {m.id for m in definition.measures}
        keys = set(definition.breakdown.values) if definition.breakdown else {"all"}
        out = []
        for m in self.metrics:
            for part in (m.count, m.denominator, m.exceeding):
                if part is None:
                    continue
                out += [f"{m.id}: measure {x!r}" for x in part.measures if x not in measures]
                out += [f"{m.id}: breakdown {x!r}" for x in part.breakdowns if x not in keys]
        out += [
            f"spc.lines: metric {line.metric!r} is not in {self.id}"
            for line in definition.spc.lines
            if self.metric(line.metric) is None
        ]
        return out


# --- successor mapping -------------------------------------------------------------------------


class Successor(_Strict):
    code: str = Field(pattern=r"^[A-Z0-9]{3,6}$")
    share: float = Field(default=1.0, gt=0, le=1)


class OrgChange(_Strict):
    """What happened to a code's activity from ``effective`` (first month under the successor).

    ``merger``/``acquisition``: everything to the successor(s). ``split``: to several successors
    in the stated shares (summing to 1). ``partial_transfer``: a share of the code's activity
    (some sites) went to the successor while the code carried on reporting. ``closed``: no NHS
    successor (independent-sector contract ended, service closed, not an A&E provider).
    """

    predecessor: str = Field(pattern=r"^[A-Z0-9]{3,6}$")
    name: str
    kind: Literal["merger", "acquisition", "split", "partial_transfer", "closed"]
    effective: str
    successors: list[Successor] = Field(default_factory=list)
    reason: str
    source: str

    @model_validator(mode="after")
    def _shape(self) -> OrgChange:
        if not _MONTH.match(self.effective):
            raise ValueError(f"effective must be YYYY-MM, not {self.effective!r}")
        total = sum(s.share for s in self.successors)
        if self.kind == "closed" and self.successors:
            raise ValueError("a closed code has no successors")
        if self.kind in ("merger", "acquisition", "split") and abs(total - 1) > 1e-9:
            raise ValueError(f"successor shares must sum to 1 (they sum to {total:g})")
        if self.kind == "partial_transfer" and not (0 < total < 1):
            raise ValueError("a partial transfer moves a share strictly between 0 and 1")
        return self


class SuccessorMap(_Strict):
    version: int
    reviewed: str
    changes: list[OrgChange]

    @model_validator(mode="after")
    def _one_final_change(self) -> SuccessorMap:
        finals: dict[str, int] = {}
        for c in self.changes:
            if c.kind != "partial_transfer":
                finals[c.predecessor] = finals.get(c.predecessor, 0) + 1
        twice = sorted(code for code, n in finals.items() if n > 1)
        if twice:
            raise ValueError(f"codes with more than one final change: {twice}")
        return self

    def for_code(self, code: str) -> list[OrgChange]:
        return [c for c in self.changes if c.predecessor == code]


# --- bundled files -------------------------------------------------------------------------------


def _bundled(name: str) -> Path:
    return Path(str(resources.files("oversight.frameworks") / "definitions" / name))


AE_COLLECTION = "ae_monthly"


@cache
def ae_layout() -> AeFileLayout:
    """The column layouts, from the ``layout`` block of the monthly A&E collection
    (``definitions/collections/ae_monthly.yaml``), checked by the A&E reader's own model."""
    return AeFileLayout.model_validate(collection(AE_COLLECTION).layout)


def ae_metrics(path: Path | None = None) -> AeMetricSet:
    source = path or _bundled("ae-metrics-v1.yaml")
    found = load_validated(source, AeMetricSet, "A&E metric set")
    wrong = found.unknown_parts(collection(found.collection))
    if wrong:
        raise UserError(
            f"{source} names what collection {found.collection} does not declare",
            [Problem(w, str(source)) for w in wrong],
        )
    return found


def ae_successors(path: Path | None = None) -> SuccessorMap:
    return load_validated(
        path or _bundled("ae-successors-v1.yaml"), SuccessorMap, "successor mapping"
    )
