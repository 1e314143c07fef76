"""Every metric value the store can give for a trust type and quarter: computed from source
statistics (cancer, A&E, diagnostics, ambulance, staff survey) or taken from a NOF file.

Which trusts are of a type comes from the NOF files stored for the quarter where there are any,
and otherwise from the NHS Staff Survey's benchmarking groups (which cover every trust), as the
source-metric file declares (``trust_types_from``).
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.engine.nof.inputs import QuarterData, available_quarters, load_quarter
from oversight.engine.sources.nof_metrics import compute
from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.frameworks.source_metrics import SourceMetricSet, source_metrics
from oversight.periods import Quarter
from oversight.store.collections_query import has_collection_tables, org_breakdowns
from oversight.store.schema import Connection

COLUMNS = ("Trust_code", "Metric_ID", "Value", "Numerator", "Denominator", "Period", "Source")


@dataclass(frozen=True)
class MetricValueRow:
    trust_code: str
    trust_name: str
    metric_id: str
    value: float | None
    numerator: float | None
    denominator: float | None
    period: str
    source: str
    computed: bool  # True: from source statistics; False: as published in a NOF file

    def as_record(self) -> dict[str, object]:
        return dict(
            zip(
                COLUMNS,
                (
                    self.trust_code,
                    self.metric_id,
                    self.value,
                    self.numerator,
                    self.denominator,
                    self.period,
                    self.source,
                ),
                strict=True,
            )
        )


@dataclass(frozen=True)
class TrustOfType:
    code: str
    name: str
    trust_type: str
    from_nof: bool


def stored_quarter(con: Connection, quarter: Quarter) -> QuarterData | None:
    """The quarter's NOF data, if any NOF file for it is stored."""
    stored = {Quarter.parse(q): q for q in available_quarters(con)}
    return load_quarter(con, stored[quarter]) if quarter in stored else None


def trusts_of_type(
    con: Connection,
    trust_type: str,
    quarter: Quarter,
    metric_set: SourceMetricSet,
    data: QuarterData | None = None,
) -> list[TrustOfType]:
    """The trusts of ``trust_type``: from the quarter's NOF files if one of that type is stored,
    else from the collection the source-metric file names (the staff survey's groups)."""
    data = data or stored_quarter(con, quarter)
    if data is not None:
        if trust_type in data.trust_types:
            return [
                TrustOfType(c, data.orgs[c].name, trust_type, True)
                for c in data.orgs_of_type(trust_type)
            ]
    if metric_set.trust_types_from is None or not has_collection_tables(con):
        return []
    return [
        TrustOfType(code, name or code, trust_type, False)
        for code, name, group in org_breakdowns(con, metric_set.trust_types_from)
        if metric_set.trust_type_by_group.get(group) == trust_type
    ]


def _from_nof_files(
    data: QuarterData | None, trust_type: str, quarter: Quarter, codes: set[str]
) -> list[MetricValueRow]:
    if data is None:
        return []
    rows = []
    for (metric, code), published in sorted(data.rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if code not in codes or not metric.startswith("OF0") or published.value is None:
            continue
        if data.orgs[code].trust_type != trust_type:
            continue
        rows.append(
            MetricValueRow(
                code,
                data.orgs[code].name,
                metric,
                published.value,
                None,
                None,
                str(quarter),
                f"NHS Oversight Framework data file: {published.file_name}",
                False,
            )
        )
    return rows


def metric_values(
    con: Connection,
    framework: Framework,
    trust_type: str,
    quarter: Quarter,
    metric_set: SourceMetricSet | None = None,
) -> list[MetricValueRow]:
    """Every value for the type and quarter: published NOF values first, then every metric the
    source statistics give, for every trust of the type; sorted by trust, then metric."""
    ms = metric_set or source_metrics()
    found = next(
        (t for t in framework.trust_types if t.id == trust_type), None
    ) or framework.trust_type_by_name(trust_type)
    if found is None:
        known = ", ".join(t.id for t in framework.trust_types)
        raise UserError(f"Unknown trust type {trust_type!r}", [Problem(f"known: {known}")])
    type_id = found.id
    data = stored_quarter(con, quarter)  # read once, used for both
    trusts = {t.code: t for t in trusts_of_type(con, type_id, quarter, ms, data)}
    rows = _from_nof_files(data, type_id, quarter, set(trusts))
    if has_collection_tables(con):
        for metric in ms.for_type(type_id):
            for v in compute(con, metric, quarter, ms, sorted(trusts)):
                rows.append(
                    MetricValueRow(
                        v.trust_code,
                        trusts[v.trust_code].name,
                        v.metric_id,
                        v.value,
                        v.numerator,
                        v.denominator,
                        v.period,
                        v.source,
                        True,
                    )
                )
    return sorted(rows, key=lambda r: (r.trust_code, r.metric_id, r.computed))
