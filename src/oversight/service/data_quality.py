"""Data quality: the values a trust type's declared rules flag in a quarter and, on request, the
league table recomputed without them, for every face."""

from __future__ import annotations

from oversight.engine.nof.data_quality import QualityReport, flag_values, recompute
from oversight.engine.nof.quarter import RangeOptions
from oversight.periods import Quarter
from oversight.service.metric_values import metric_values
from oversight.service.site import Site


def data_quality(
    site: Site, quarter: str | None, trust_type: str, with_recompute: bool = False
) -> QualityReport:
    """The quarter (any spelling; None the latest): flags, and segment changes if asked."""
    q = site.quarter(quarter)
    kind = site.trust_type(trust_type).id

    def build() -> QualityReport:
        data = site.data(q)
        report = flag_values(site.framework, data, kind, source_denominators(site, q, kind))
        if with_recompute:
            # ranks and segments do not depend on the likely ranges: skip them after
            recompute(site.framework, data, report, site.result(q), RangeOptions(skip=True))
        return report

    report: QualityReport = site.memo(("data-quality", q, kind, with_recompute), build)
    return report


def source_denominators(site: Site, quarter: str, trust_type: str) -> dict[tuple[str, str], float]:
    """(metric ID, organisation) -> the denominator the source statistics give, for the metrics
    of rules with a minimum denominator and no denominator_id (none read if there are none)."""
    wanted = {
        r.metric
        for r in site.framework.data_quality.rules
        if r.min_denominator is not None and r.denominator_id is None
    }
    if not wanted:
        return {}
    rows = site.read(
        lambda con: metric_values(con, site.framework, trust_type, Quarter.parse(quarter))
    )
    return {
        (r.metric_id, r.trust_code): r.denominator
        for r in rows
        if r.computed and r.metric_id in wanted and r.denominator is not None
    }
