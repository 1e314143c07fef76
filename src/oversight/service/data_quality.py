"""Data quality: the values a trust type's declared rules flag in a quarter and, on request, the
league table recomputed without them, for every face."""

from __future__ import annotations

from oversight.engine.nof.data_quality import QualityReport, flag_values, recompute
from oversight.engine.nof.quarter import RangeOptions
from oversight.service.site import Site


def data_quality(
    site: Site, quarter: str | None, trust_type: str, with_recompute: bool = False
) -> QualityReport:
    """The quarter (any spelling; None the latest): flags, and segment changes if asked."""
    q = site.quarter(quarter)
    kind = site.trust_type(trust_type).id

    def build() -> QualityReport:
        data = site.data(q)
        report = flag_values(site.framework, data, kind)
        if with_recompute:
            # ranks and segments do not depend on the likely ranges: skip them after
            recompute(site.framework, data, report, site.result(q), RangeOptions(skip=True))
        return report

    report: QualityReport = site.memo(("data-quality", q, kind, with_recompute), build)
    return report
