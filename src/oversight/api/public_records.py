"""The MODELLED public-data tables for the API and the dashboard, computed once per quarter.

A quarter's values and engine runs (:class:`PublicQuarter`) take seconds, so each is kept in the
site's memo (cleared whenever the store is written to), as are the quarters covered.
"""

from __future__ import annotations

from oversight.api.public_models import PublicComparison, PublicLeague, PublicMetric
from oversight.service.public_compare import published_comparison
from oversight.service.public_quarter import (
    PublicQuarter,
    covered_quarters,
    public_metric_ids,
    public_quarter,
    resolve_public_quarter,
)
from oversight.service.public_tables import metric_table, public_league
from oversight.service.site import Site

COMPARED_QUARTER = "Q3 2025/26"


def covered(site: Site) -> list[str]:
    return site.memo(("public-covered",), lambda: site.read(covered_quarters))


def computed(site: Site, quarter: str | None) -> PublicQuarter:
    q = resolve_public_quarter(covered(site), quarter)
    return site.memo(("public-quarter", q), lambda: site.read(lambda con: public_quarter(con, q)))


def league(site: Site, quarter: str | None, trust_type: str) -> PublicLeague:
    pq = computed(site, quarter)
    result = site.read(lambda con: public_league(con, pq.quarter, trust_type, pq))
    return PublicLeague.model_validate(result, from_attributes=True)


def metric(site: Site, quarter: str | None, trust_type: str, metric_id: str) -> PublicMetric:
    pq = computed(site, quarter)
    result = site.read(lambda con: metric_table(con, pq.quarter, trust_type, metric_id, pq))
    return PublicMetric.model_validate(result, from_attributes=True)


def comparison(site: Site, quarter: str | None) -> PublicComparison:
    pq = computed(site, quarter or COMPARED_QUARTER)
    result = site.read(lambda con: published_comparison(con, pq.quarter, pq))
    return PublicComparison.model_validate(result, from_attributes=True)


def metric_ids(site: Site, quarter: str, trust_type: str) -> list[str]:
    return public_metric_ids(computed(site, quarter).framework, trust_type)


def trust_types(site: Site, quarter: str) -> list[tuple[str, str]]:
    return [(t.id, t.name) for t in computed(site, quarter).framework.trust_types]
