"""What the engine reads from the store for one quarter: organisations and published values."""

from __future__ import annotations

from dataclasses import dataclass, field

from oversight.errors import Problem, UserError
from oversight.periods import Quarter
from oversight.store import nof as nof_store
from oversight.store.schema import Connection


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    region: str
    trust_type: str
    subtype: str


@dataclass(frozen=True)
class Published:
    """One published row: a raw value, a score, a flag or a result, with its within-type rank."""

    value: float | None
    rank: float | None
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    file_name: str
    line: int


@dataclass(frozen=True)
class MetricLabel:
    """How the publisher describes a metric ID in its file."""

    domain: str
    sub_domain: str
    description: str
    units: str


# Where a metric is published both as a rate and as a count, the rate is the one scored.
_COUNT_UNITS = {"count", "number", "n", "numerator", "cases"}


@dataclass
class QuarterData:
    quarter: str
    revisions: dict[str, int]  # trust type -> revision used
    orgs: dict[str, Organisation] = field(default_factory=dict)
    rows: dict[tuple[str, str], Published] = field(default_factory=dict)  # (metric, org)
    labels: dict[str, MetricLabel] = field(default_factory=dict)

    def value(self, metric_id: str, org: str) -> float | None:
        row = self.rows.get((metric_id, org))
        return None if row is None else row.value

    def orgs_of_type(self, trust_type: str) -> list[str]:
        return sorted(c for c, o in self.orgs.items() if o.trust_type == trust_type)

    @property
    def trust_types(self) -> set[str]:
        return set(self.revisions)


def available_quarters(con: Connection) -> list[str]:
    """Quarters with NOF data stored, earliest first."""
    return nof_store.available_quarters(con)


def quarter_sort_key(quarter: str) -> Quarter:
    """'Q3 2025/26' sorts by financial year, then quarter."""
    return Quarter.parse(quarter)


def load_quarter(
    con: Connection, quarter: str, revisions: dict[str, int] | None = None
) -> QuarterData:
    """Every trust type's data for a quarter: the current revision unless one is named."""
    chosen: dict[str, tuple[int, int]] = {}
    for release in nof_store.data_releases(con, quarter):
        wanted = (revisions or {}).get(release.trust_type)
        if wanted is None or wanted == release.revision:
            chosen[release.trust_type] = (release.revision, release.file_id)
    if not chosen:
        stored = ", ".join(available_quarters(con)) or "none"
        raise UserError(
            f"No NOF data for {quarter!r} in the store",
            [Problem(f"quarters stored: {stored}; ingest a data file first")],
        )
    data = QuarterData(quarter, {t: rev for t, (rev, _) in chosen.items()})
    table = nof_store.quarter_values(con, quarter, [fid for _, fid in chosen.values()])
    columns = [table.column(c).to_pylist() for c in nof_store.QUARTER_VALUE_COLUMNS]
    for (
        code,
        name,
        region,
        ttype,
        subtype,
        metric,
        value,
        rank,
        med,
        lq,
        uq,
        fname,
        line,
        domain,
        sub_domain,
        description,
        units,
    ) in zip(*columns, strict=True):
        if code not in data.orgs:
            data.orgs[code] = Organisation(code, name, region, ttype, subtype)
        key = (metric, code)
        is_count = (units or "").strip().casefold() in _COUNT_UNITS
        if key in data.rows and is_count:
            continue
        data.rows[key] = Published(value, rank, med, lq, uq, fname, line)
        if metric not in data.labels or not is_count:
            data.labels[metric] = MetricLabel(
                domain or "", sub_domain or "", description or "", units or ""
            )
    return data
