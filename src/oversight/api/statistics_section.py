"""The organisation record's "How sure is the segment" section: the probability of each
segment and of the top and bottom deciles, from the engine's likely-range bootstrap
(``engine/nof/likely_ranges.py``, the same resamples as the likely range of rank)."""

from __future__ import annotations

from oversight.api.models import Section
from oversight.api.sections import register
from oversight.engine.nof.results import OrgResult, QuarterResult


def segment_certainty_section(
    org: OrgResult, result: QuarterResult, history: list[QuarterResult]
) -> Section | None:
    probs = org.segment_probabilities
    if not probs or org.segment is None:
        return None
    rows: list[dict[str, str | float | int | bool | None]] = [
        {
            "outcome": f"Segment {s}" + (" (its segment)" if s == org.segment else ""),
            "probability": round(p, 4),
        }
        for s, p in enumerate(probs, start=1)
    ]
    for label, p in (
        ("Top tenth of the league table", org.top_decile_probability),
        ("Bottom tenth of the league table", org.bottom_decile_probability),
    ):
        if p is not None:
            rows.append({"outcome": label, "probability": round(p, 4)})
    # probabilities are of the score bands (segments 1-4), before the financial and
    # intensive-support rules, which can move an organisation to another segment
    summary = (
        f"In {result.replicates:,} bootstrap resamples of its metric scores "
        f"({result.range_method}), the average score fell in each segment's band this often"
    )
    if org.segment <= len(probs):
        summary += (
            f"; in segment {org.segment}'s band {probs[org.segment - 1] * 100:.0f}% of the time"
        )
    summary += " (bands before the financial and intensive-support rules)."
    return Section(
        id="segment-certainty",
        title="How sure is the segment",
        summary=summary,
        columns=["outcome", "probability"],
        rows=rows,
    )


register(segment_certainty_section)
