"""Reads of the NOF publications in the store: quarters, a quarter's published rows, series.

Every read takes the *current* revision of each release unless it names another (the
``current_release`` view holds the latest revision of every kind, trust type and quarter).
Quarters are sorted as :class:`oversight.periods.Quarter`, never as text ("Q1 2026/27" comes
after "Q4 2025/26").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from oversight.periods import Quarter, sort_quarters
from oversight.store.schema import Connection

DATA = "nof_data"


@dataclass(frozen=True)
class DataRelease:
    """One stored revision of a trust type's data file for a quarter."""

    trust_type: str
    revision: int
    file_id: int


@dataclass(frozen=True)
class SeriesPoint:
    """An organisation's published value of one metric in one quarter (current revision)."""

    quarter: str
    value: float
    trust_name: str | None
    metric_description: str | None


def available_quarters(con: Connection) -> list[str]:
    """Quarters with NOF data stored, earliest first."""
    found = con.execute(
        "SELECT DISTINCT quarter FROM current_release WHERE kind = ?", [DATA]
    ).fetchall()
    return sort_quarters([q for (q,) in found])


def data_releases(con: Connection, quarter: Quarter | str) -> list[DataRelease]:
    """Every stored revision of every trust type's data for a quarter, oldest revision first."""
    rows = con.execute(
        "SELECT trust_type, revision, file_id FROM release "
        "WHERE kind = ? AND quarter = ? ORDER BY trust_type, revision",
        [DATA, str(quarter)],
    ).fetchall()
    return [DataRelease(t, int(r), int(f)) for t, r, f in rows]


# The columns of quarter_values, in this order.
QUARTER_VALUE_COLUMNS = (
    "trust_code",
    "trust_name",
    "region",
    "trust_type",
    "trust_subtype",
    "metric_id",
    "value",
    "rank",
    "median",
    "lower_quartile",
    "upper_quartile",
    "file_name",
    "line",
    "domain",
    "sub_domain",
    "metric_description",
    "units",
)


def quarter_values(con: Connection, quarter: Quarter | str, file_ids: Sequence[int]) -> pa.Table:
    """A quarter's published rows from the given files, with the file name each came from, in
    file then line order (columns: :data:`QUARTER_VALUE_COLUMNS`)."""
    return con.sql(
        """SELECT v.trust_code, v.trust_name, v.region, v.trust_type, v.trust_subtype,
                  v.metric_id, v.value, v.rank, v.median, v.lower_quartile, v.upper_quartile,
                  f.file_name, v.line, v.domain, v.sub_domain, v.metric_description, v.units
           FROM nof_value v JOIN source_file f USING (file_id)
           WHERE v.quarter = ? AND list_contains(?, v.file_id)
           ORDER BY v.file_id, v.line""",
        params=[str(quarter), list(file_ids)],
    ).to_arrow_table()


def metric_series(con: Connection, code: str, metric: str) -> list[SeriesPoint]:
    """An organisation's non-missing published values of a metric, one per current release,
    earliest quarter first."""
    rows = con.execute(
        """SELECT v.quarter, v.value, v.trust_name, v.metric_description
           FROM nof_value v JOIN current_release r
             ON r.file_id = v.file_id AND r.quarter = v.quarter AND r.kind = ?
           WHERE v.trust_code = ? AND v.metric_id = ? AND v.value IS NOT NULL""",
        [DATA, code, metric],
    ).fetchall()
    points = [SeriesPoint(q, float(v), name, desc) for q, v, name, desc in rows]
    return sorted(points, key=lambda p: Quarter.parse(p.quarter))


def has_organisation(con: Connection, code: str) -> bool:
    """Whether any stored NOF value (any revision) is of this organisation."""
    found = con.execute("SELECT count(*) FROM nof_value WHERE trust_code = ?", [code]).fetchone()
    return bool(found and found[0])


def has_metric(con: Connection, metric: str) -> bool:
    """Whether any stored NOF value (any revision) is of this metric ID."""
    found = con.execute("SELECT count(*) FROM nof_value WHERE metric_id = ?", [metric]).fetchone()
    return bool(found and found[0])


def panel_values(con: Connection, metrics: Sequence[str], trust_type: str | None) -> pa.Table:
    """Current values of the metrics per trust and quarter (columns unit, quarter, metric_id,
    value), optionally of one trust type: one value per trust, quarter and metric."""
    return con.sql(
        """SELECT v.trust_code AS unit, v.quarter, v.metric_id, max(v.value) AS value
           FROM nof_value v
           JOIN current_release r
             ON r.file_id = v.file_id AND r.quarter = v.quarter AND r.trust_type = v.trust_type
           WHERE r.kind = ? AND v.metric_id IN (SELECT unnest(?))
             AND (? IS NULL OR v.trust_type = ?)
           GROUP BY ALL""",
        params=[DATA, list(metrics), trust_type, trust_type],
    ).to_arrow_table()
