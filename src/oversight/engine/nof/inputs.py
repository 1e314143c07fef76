"""What the engine reads from the store for one quarter: organisations and published values."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from oversight.errors import Problem, UserError


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


def available_quarters(con: duckdb.DuckDBPyConnection) -> list[str]:
    found = con.execute(
        "SELECT DISTINCT quarter FROM current_release WHERE kind = 'nof_data'"
    ).fetchall()
    return sorted((q for (q,) in found), key=quarter_sort_key)


def quarter_sort_key(quarter: str) -> tuple[str, str]:
    """'Q3 2025/26' sorts by financial year, then quarter."""
    q, _, year = quarter.partition(" ")
    return (year, q)


def load_quarter(
    con: duckdb.DuckDBPyConnection, quarter: str, revisions: dict[str, int] | None = None
) -> QuarterData:
    """Every trust type's data for a quarter: the current revision unless one is named."""
    releases = con.execute(
        "SELECT trust_type, revision, file_id FROM release "
        "WHERE kind = 'nof_data' AND quarter = ? ORDER BY trust_type, revision",
        [quarter],
    ).fetchall()
    chosen: dict[str, tuple[int, int]] = {}
    for trust_type, revision, file_id in releases:
        wanted = (revisions or {}).get(trust_type)
        if wanted is None or wanted == revision:
            chosen[trust_type] = (revision, file_id)
    if not chosen:
        stored = ", ".join(available_quarters(con)) or "none"
        raise UserError(
            f"No NOF data for {quarter!r} in the store",
            [Problem(f"quarters stored: {stored}; ingest a data file first")],
        )
    data = QuarterData(quarter, {t: rev for t, (rev, _) in chosen.items()})
    file_ids = [fid for _, fid in chosen.values()]
    result = con.execute(
        """SELECT v.trust_code, v.trust_name, v.region, v.trust_type, v.trust_subtype,
                  v.metric_id, v.value, v.rank, v.median, v.lower_quartile, v.upper_quartile,
                  f.file_name, v.line, v.domain, v.sub_domain, v.metric_description, v.units
           FROM nof_value v JOIN source_file f USING (file_id)
           WHERE v.quarter = ? AND list_contains(?, v.file_id)
           ORDER BY v.file_id, v.line""",
        [quarter, file_ids],
    ).fetchall()
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
    ) in result:
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
