"""What the evaluation pages call things: methods, their headline figures, the outcome, periods
and the pilot-design table's columns, in words (the JSON twins keep the plan's identifiers)."""

from __future__ import annotations

from dataclasses import dataclass

from oversight.evaluation.periods import PeriodError, parse_period
from oversight.frameworks.ae import ae_metrics
from oversight.frameworks.model import Framework

METHOD_NAMES = {
    "twfe": "Two-way fixed-effects difference in differences",
    "callaway_santanna": "Staggered difference in differences (Callaway and Sant'Anna)",
    "synthetic_control": "Synthetic control",
    "pilot_design": "Pilot design (power by simulation)",
}
# what each method's estimate is: the headline figure's name
HEADLINES = {
    "twfe": "Average effect on the treated",
    "callaway_santanna": "Average effect on the treated",
    "synthetic_control": "Average gap after the start, treated minus synthetic",
    "pilot_design": "Minimum detectable effect",
}
DESIGN_COLUMNS = {
    "organisations": "Organisations in the pilot",
    "post_periods": "Periods after the start",
    "pre_periods": "Periods before the start",
    "mde": "Minimum detectable effect",
    "power_at_smallest_effect": "Power at the smallest effect that matters",
    "mde_cluster_se": "Minimum detectable effect (clustered standard errors)",
    "power_cluster_se": "Power (clustered standard errors)",
    "false_positive_rate": "False positive rate",
    "coverage": "Coverage of the 95% interval",
    "draws": "Placebo pilots",
}


def method_name(method: str) -> str:
    return METHOD_NAMES.get(method, method.replace("_", " ").capitalize())


def headline(method: str) -> str:
    return HEADLINES.get(method, "Estimate")


def column_name(key: str) -> str:
    return DESIGN_COLUMNS.get(key, key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class OutcomeName:
    name: str  # in words: the metric's title, or the data file's column
    column: bool  # True: ``name`` is a column of a reference data file (shown as code)
    share: bool  # a proportion (0-1): effects read as percentage points


def outcome_name(source: str, primary: str, framework: Framework) -> OutcomeName:
    """The outcome as its framework declares it (A&E metric or NOF metric title); a CSV
    plan's outcome is a column of its reference data, shown as such."""
    if source == "ae":
        m = ae_metrics().metric(primary)
        if m is not None:
            return OutcomeName(m.title, False, m.kind == "share_within")
    if source == "nof":
        for metric in framework.metrics:
            if primary in (metric.id, metric.raw_id):
                return OutcomeName(metric.name, False, False)
    return OutcomeName(primary, True, False)


def period_name(label: str, frequency: str) -> str:
    """A period as people write it: 'Q3 2011' for the data's 'Q32011' or '2011Q3'."""
    if frequency != "quarter":
        return label
    try:
        ordinal = parse_period(label, "quarter")
    except PeriodError:
        return label
    return f"Q{ordinal % 4 + 1} {ordinal // 4}"
