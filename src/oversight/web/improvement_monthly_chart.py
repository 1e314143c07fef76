"""The scatter of improvement against position from the monthly series, in the style of the
quarterly one (:func:`oversight.web.moves_charts.rank_scatter`): position rank across,
improvement rank down, 1 at the top left; providers whose change is beyond common-cause
variation are dark. Decorative beside the table of the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from oversight.api.improvement_monthly_models import MonthlyImprovementRow
from oversight.web.moves_charts import rank_scatter


def monthly_scatter(rows: Sequence[MonthlyImprovementRow]) -> Markup:
    return rank_scatter(
        [
            (f"{r.name}: position rank {r.position_rank}", r.position_rank, r.improvement_rank,
             r.beyond_noise)
            for r in rows
        ],
        "position rank (window mean)",
    )  # fmt: skip
