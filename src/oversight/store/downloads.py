"""The stored data as published, for the whole-dataset download: NOF values of every current
release, and every source-statistics value of every collection's current release."""

from __future__ import annotations

from typing import Any

from oversight.store.schema import Connection


def _arrow(con: Connection, query: str) -> Any:
    """The query's rows as an Arrow table, on a cursor of its own (the site's connection may
    hold another result still being read)."""
    cur = con.cursor()
    try:
        return cur.sql(query).to_arrow_table()
    finally:
        cur.close()


def published_nof_values(con: Connection) -> Any:
    """Every NOF value of the current revision of each release (Arrow table), as published."""
    return _arrow(
        con,
        """SELECT v.quarter, v.trust_type, v.trust_subtype, v.region, v.trust_code, v.trust_name,
                  v.domain, v.sub_domain, v.metric_id, v.metric_description, v.reporting_date,
                  v.units, v.value, v.median, v.lower_quartile, v.upper_quartile, v.rank,
                  r.revision
           FROM nof_value v
           JOIN current_release r ON r.file_id = v.file_id AND r.quarter = v.quarter
           ORDER BY v.quarter, v.trust_type, v.trust_code, v.metric_id, v.line""",
    )


def source_statistics(con: Connection) -> Any:
    """Every organisation value of every collection's current release (Arrow table), long."""
    return _arrow(
        con,
        """SELECT collection, period, revision, org_code, org_name, parent_org, breakdown,
                  subgroup, measure, value
           FROM collection_value_current
           ORDER BY collection, period, org_code, breakdown, subgroup, measure""",
    )
