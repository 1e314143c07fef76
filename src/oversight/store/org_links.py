"""Links between organisations in reference collections: every (code, parent) pair a collection
holds with one of its measures (ODS successions: predecessor, successor, effective date), not
only the latest parent per code that :func:`collections_query.organisations` gives."""

from __future__ import annotations

from dataclasses import dataclass

from oversight.store.schema import Connection


@dataclass(frozen=True)
class OrgLink:
    code: str
    parent: str
    value: float | None  # the named measure on the link's row (e.g. effective date yyyymmdd)


def org_links(con: Connection, collection: str, measure: str) -> list[OrgLink]:
    """Every distinct (code, parent) of ``collection`` with the latest period's ``measure``."""
    rows = con.execute(
        """SELECT org_code, parent_org, arg_max(value, period)
           FROM collection_value_current
           WHERE collection = ? AND measure = ? AND parent_org IS NOT NULL
           GROUP BY org_code, parent_org ORDER BY org_code, parent_org""",
        [collection, measure],
    ).fetchall()
    return [OrgLink(c, p, None if v is None else float(v)) for c, p, v in rows]


def org_measure(con: Connection, collection: str, measure: str) -> dict[str, float]:
    """Each code's latest value of ``measure`` (e.g. an ODS close date), where it has one."""
    rows = con.execute(
        """SELECT org_code, arg_max(value, period) FROM collection_value_current
           WHERE collection = ? AND measure = ? AND value IS NOT NULL GROUP BY org_code""",
        [collection, measure],
    ).fetchall()
    return {c: float(v) for c, v in rows}
