"""What a monthly series' SPC chart says, in words: Making Data Count's variation and assurance
icons, the phases its limits were recalculated in, the standard and target lines it is held to,
and red/amber/green against England from the month's funnel.

The change points and lines are declared in the collection file (``spc`` block of
``definitions/collections/ae_monthly.yaml``); this module reads them and joins them to a chart.
Faces render the results and compute nothing. Every icon has a text label and a one-letter
symbol, so nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oversight.frameworks.collections import ChangePoint, TargetLine, collection
from oversight.stats import spc


@dataclass(frozen=True, slots=True)
class Icon:
    """A Making Data Count icon: its code, a short label, the symbol drawn inside it, a
    sentence saying what it means and its tone (which colour the face gives it)."""

    code: str
    label: str
    symbol: str
    text: str
    tone: str  # improvement, concern, neutral, common, none


VARIATION_ICONS = {
    "common_cause": Icon(
        "common_cause",
        "Common cause variation",
        "~",
        "the latest month shows no significant change",
        "common",
    ),
    "improvement_high": Icon(
        "improvement_high",
        "Special cause: improving (high)",
        "H",
        "the latest month is significantly high, and higher is better",
        "improvement",
    ),
    "improvement_low": Icon(
        "improvement_low",
        "Special cause: improving (low)",
        "L",
        "the latest month is significantly low, and lower is better",
        "improvement",
    ),
    "concern_high": Icon(
        "concern_high",
        "Special cause: concerning (high)",
        "H",
        "the latest month is significantly high, and lower is better",
        "concern",
    ),
    "concern_low": Icon(
        "concern_low",
        "Special cause: concerning (low)",
        "L",
        "the latest month is significantly low, and higher is better",
        "concern",
    ),
    "neutral_high": Icon(
        "neutral_high",
        "Special cause: high",
        "H",
        "the latest month is significantly high (no preferred direction)",
        "neutral",
    ),
    "neutral_low": Icon(
        "neutral_low",
        "Special cause: low",
        "L",
        "the latest month is significantly low (no preferred direction)",
        "neutral",
    ),
}
NO_VARIATION = Icon("none", "No SPC chart", "–", "fewer than two months have a value", "none")

ASSURANCE_ICONS = {
    "consistent_pass": Icon(
        "consistent_pass",
        "Consistently passes the target",
        "P",
        "the target lies beyond the limits on the good side: every month the process "
        "produces is expected to meet it",
        "improvement",
    ),
    "consistent_fail": Icon(
        "consistent_fail",
        "Consistently fails the target",
        "F",
        "the target lies beyond the limits on the bad side: the process will not meet it "
        "without a change to the system",
        "concern",
    ),
    "inconsistent": Icon(
        "inconsistent",
        "Hit and miss",
        "?",
        "the target lies within the limits: the process will meet it in some months and "
        "miss it in others, by chance",
        "neutral",
    ),
}
NO_ASSURANCE = Icon("none", "No target", "–", "no standard or target is declared", "none")


def variation_icon(code: str | None) -> Icon:
    return VARIATION_ICONS.get(code or "", NO_VARIATION)


def assurance_icon(code: str | None) -> Icon:
    return ASSURANCE_ICONS.get(code or "", NO_ASSURANCE)


@dataclass(frozen=True, slots=True)
class Phase:
    """A run of months sharing one set of limits, and why it begins where it does."""

    number: int  # 1, 2, ...
    first: str  # first and last month with a value
    last: str
    points: int
    mean: float
    lower: float
    upper: float
    title: str
    reason: str
    trial: bool  # fewer than 12 points: Making Data Count calls these trial limits


def change_points(collection_id: str) -> list[ChangePoint]:
    """The collection's declared change points, in month order."""
    return list(collection(collection_id).spc.change_points)


def lines(collection_id: str, metric_id: str) -> list[TargetLine]:
    """The standards and targets the collection declares for a metric."""
    return [x for x in collection(collection_id).spc.lines if x.metric == metric_id]


def operative_line(declared: Sequence[TargetLine], month: str) -> TargetLine | None:
    """What the assurance icon is judged against: the target in force in ``month`` (the
    latest), else the standard in force then, else nothing."""
    live = [x for x in declared if x.applies(month)]
    return next((x for x in live if x.kind == "target"), None) or next(
        (x for x in live if x.kind == "standard"), None
    )


def phases(chart: spc.Chart, months: Sequence[str], declared: Sequence[ChangePoint]) -> list[Phase]:
    """Each phase of ``chart`` (drawn over the values of ``months``, one per point) with the
    change point that starts it (the first phase: the start of the series)."""
    out = []
    for g, lim in enumerate(chart.limits):
        at = [i for i, group in enumerate(chart.groups) if group == g]
        first, last = months[at[0]], months[at[-1]]
        starts = [c for c in declared if c.month <= first]
        cause = starts[-1] if g and starts else None
        out.append(
            Phase(
                number=g + 1,
                first=first,
                last=last,
                points=len(at),
                mean=lim.mean,
                lower=lim.lower,
                upper=lim.upper,
                title=cause.title if cause else "Start of the series",
                reason=cause.reason if cause else "The first months published.",
                trial=lim.points_used < 12,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Rag:
    """Red, amber or green against a comparator, with the rule that gave it."""

    code: str  # red, amber, green, similar, none (no group to compare with)
    label: str


GROUP_CENTRES = {
    "icb": "its own ICB's pooled share (the providers in that ICB this month)",
    "peer": "its own peer group's pooled share (the providers in its size band this month)",
}


def rag_rule(comparator: str, kind: str = "england") -> str:
    """The statistical test behind the colours, in words, for the page to state. ``kind``:
    england or region (one centre for every provider), icb or peer (each provider against its
    own group, with the overdispersion estimated across England)."""
    if kind in GROUP_CENTRES:
        centre = GROUP_CENTRES[kind]
        return (
            f"Each provider is compared with {centre}, itself included. Red or green: outside "
            "the 99.8% funnel limits around that share (about 3 standard errors, widened for "
            "the overdispersion seen between all providers in England), worse or better. "
            "Amber: outside the 95% limits but inside the 99.8% limits, on either side. No "
            "colour: inside the 95% limits, similar to its group. A provider alone in its group "
            "this month, or in none, is not compared."
        )
    return (
        f"Red or green: outside the 99.8% funnel limits around {comparator} (about 3 standard "
        "errors, widened for the overdispersion seen between providers), worse or better. "
        "Amber: outside the 95% limits but inside the 99.8% limits, on either side. No colour: "
        f"inside the 95% limits, similar to {comparator}."
    )


NO_GROUP = Rag("none", "Not compared: in no group this month")
ALONE = Rag("none", "Not compared: the only provider in its group this month")


def rag(flag_95: str, flag_99_8: str, higher_is_better: bool, comparator: str) -> Rag:
    """Red/amber/green from a funnel row's flags ("above", "below", "within"; "none" when the
    row has no group to compare with)."""
    if flag_99_8 == "none":
        return NO_GROUP
    good = "above" if higher_is_better else "below"
    if flag_99_8 != "within":
        if flag_99_8 == good:
            return Rag("green", f"Green: better than {comparator} (outside the 99.8% limits)")
        return Rag("red", f"Red: worse than {comparator} (outside the 99.8% limits)")
    if flag_95 != "within":
        way = "better" if flag_95 == good else "worse"
        return Rag(
            "amber",
            f"Amber: possibly {way} than {comparator} (outside the 95% limits, inside the 99.8%)",
        )
    return Rag("similar", f"Similar: no different from {comparator} (inside the 95% limits)")
