"""Plain-English verdicts that never claim more than the interval allows.

The verdict compares the interval with zero and with the smallest effect that would matter
(both named in the plan before the results existed), then adds any failed assumption check.
"""

from __future__ import annotations

import math

from oversight.evaluation.results import EffectResult


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def verdict(result: EffectResult, smallest: float, better: str, alpha: float) -> str:
    level = f"{100 * (1 - alpha):g}%"
    lo, hi = result.ci_low, result.ci_high
    est = result.estimate
    if result.method == "pilot_design":
        return "See the design table: power and minimum detectable effect by design."
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        text = (
            f"Estimated effect {_fmt(est)}, but no {level} interval could be formed "
            "(see the notes), so the data cannot say whether the effect is real."
        )
    elif math.isinf(lo) or math.isinf(hi):
        text = (
            f"Estimated effect {_fmt(est)}. With this comparison pool the test cannot rule out "
            "any effect, including none: inconclusive."
        )
    else:
        interval = f"{level} interval {_fmt(lo)} to {_fmt(hi)}"
        good = 1.0 if better == "higher" else -1.0
        g_lo, g_hi = sorted((good * lo, good * hi))  # in 'improvement' units
        if g_lo > 0:
            direction = "an improvement"
            size = (
                f"of at least {_fmt(smallest)} (the smallest effect that matters)"
                if g_lo >= smallest
                else f"but it may be smaller than {_fmt(smallest)}, the smallest effect that "
                "matters"
            )
            text = f"Evidence of {direction} ({interval}), {size}."
        elif g_hi < 0:
            size = (
                f"of at least {_fmt(smallest)}"
                if g_hi <= -smallest
                else f"though possibly smaller than {_fmt(smallest)}, the smallest effect that "
                "matters"
            )
            text = f"Evidence of a deterioration ({interval}), {size}."
        elif g_lo > -smallest and g_hi < smallest:
            text = (
                f"No effect large enough to matter: the {interval} excludes effects of "
                f"{_fmt(smallest)} or more in either direction."
            )
        else:
            text = (
                f"Inconclusive: the {interval} includes no effect and also effects as large as "
                f"{_fmt(smallest)}, the smallest that matters."
            )
    doubts = [c for c in result.checks if c.passed is False and c.name != "placebo rank"]
    if doubts:
        text += " Caution: " + "; ".join(c.detail for c in doubts) + "."
    return text
