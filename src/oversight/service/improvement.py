"""Improvement beside position: one trust type's improvement table in a quarter, every face's."""

from __future__ import annotations

from oversight.engine.nof.improvement import ImprovementTable, improvement
from oversight.service.site import Site


def improvement_table(site: Site, quarter: str | None, trust_type: str) -> ImprovementTable:
    """The quarter (any spelling; None the latest) against the stored quarters before it."""
    q = site.quarter(quarter)
    kind = site.trust_type(trust_type).id
    upto = site.quarters[: site.quarters.index(q) + 1]

    def build() -> ImprovementTable:
        return improvement(site.framework, [site.result(x) for x in upto], kind)

    table: ImprovementTable = site.memo(("improvement", q, kind), build)
    return table
