"""MODELLED league tables from public data: metric values computed from source statistics,
scored by the NOF engine itself under a framework file that declares only those metrics.

The values become the engine's ordinary input (a :class:`QuarterData` whose rows are the raw
values, as a NOF data file would give them), so everything the engine does for NHS England's
files (rank scores within the pool, equal-weight averages rounded half-up, quartile cut-points,
ranks, likely ranges by the exact bootstrap) applies unchanged. Each table carries what it uses
and what it lacks: how many of the national framework's metrics for the type it has, and which
are missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.engine.nof.inputs import Organisation, Published, QuarterData
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks.model import Framework
from oversight.service.metric_values import MetricValueRow

MODELLED = (
    "Modelled by Oversight from public statistics: not NHS England's result. It uses only the "
    "framework's metrics that public data provide and no financial override."
)


@dataclass(frozen=True)
class Coverage:
    """Which of the national framework's metrics for a trust type a composite uses."""

    trust_type: str
    used: list[str]  # metric IDs (raw) the composite scores
    missing: list[str]  # the national framework's metrics for the type it cannot score
    national_total: int

    @property
    def label(self) -> str:
        return (
            f"uses {len(self.used)} of the national framework's {self.national_total} metrics "
            f"for this trust type; missing: {', '.join(self.missing) or 'none'}"
        )


def coverage(national: Framework, public: Framework, trust_type: str) -> Coverage:
    national_ids = [
        m.raw_id or m.id for m in national.metrics if trust_type in m.trust_types and m.in_average
    ]
    used = [m.raw_id or m.id for m in public.metrics if trust_type in m.trust_types]
    missing = [i for i in national_ids if i not in used]
    # metrics the public composite adds that the national file does not declare for the type
    total = len(national_ids) + len([u for u in used if u not in national_ids])
    return Coverage(trust_type, used, missing, total)


@dataclass(frozen=True)
class Unit:
    """An organisation to score: a trust, or an ICB whose values are its trusts' sums."""

    code: str
    name: str
    region: str
    trust_type: str
    subtype: str = ""


def quarter_data(quarter: str, units: list[Unit], values: list[MetricValueRow]) -> QuarterData:
    """The engine's input from computed values (only computed rows; one per unit and metric)."""
    types = {u.trust_type for u in units}
    data = QuarterData(quarter, {t: 0 for t in types})
    for u in units:
        data.orgs[u.code] = Organisation(u.code, u.name, u.region, u.trust_type, u.subtype)
    for line, v in enumerate(values, start=1):
        if v.trust_code in data.orgs and v.computed and v.value is not None:
            data.rows[(v.metric_id, v.trust_code)] = Published(
                v.value, None, None, None, None, v.source, line
            )
    return data


def score(
    framework: Framework,
    quarter: str,
    units: list[Unit],
    values: list[MetricValueRow],
    options: RangeOptions | None = None,
) -> QuarterResult:
    """The NOF engine's result on computed values: scores, averages, segments, ranks, ranges."""
    return compute_quarter(framework, quarter_data(quarter, units, values), options)
