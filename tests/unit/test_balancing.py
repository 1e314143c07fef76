"""Balancing-measure alerts: the rule on hand-built series, the declared pairs, and the count on
the bundled A&E files."""

from __future__ import annotations

import duckdb
import pytest

from oversight.errors import UserError
from oversight.frameworks.balancing import BalancingPair, BalancingSet, balancing_measures, checked
from oversight.frameworks.source_metrics import source_metrics
from oversight.service.balancing import CONCERN, IMPROVEMENT, balancing_report, judge

MONTHS = [f"{2023 + (i // 12)}-{i % 12 + 1:02d}" for i in range(24)]


def steady(level: float, wiggle: float, last: float) -> dict[str, float]:
    """23 months alternating about ``level`` (common cause), then ``last``."""
    values = [level + (wiggle if i % 2 else -wiggle) for i in range(23)] + [last]
    return dict(zip(MONTHS, values, strict=True))


def test_improving_headline_with_worsening_balance_alerts() -> None:
    headline = steady(0.70, 0.01, 0.90)  # far above the upper limit; higher is better
    balance = steady(5.0, 0.5, 15.0)  # far above the upper limit; lower is better
    j = judge(MONTHS[-1], headline, balance, ("increase", "decrease"))
    assert j is not None
    assert (j.headline_point, j.balancing_point) == (IMPROVEMENT, CONCERN)
    assert j.headline_label == "Above UCL" and j.alert


def test_no_alert_when_the_balance_holds_or_the_headline_does_not_improve() -> None:
    improving = steady(0.70, 0.01, 0.90)
    held = steady(5.0, 0.5, 5.2)
    j = judge(MONTHS[-1], improving, held, ("increase", "decrease"))
    assert j is not None and j.balancing_point == "common_cause" and not j.alert
    worsening = steady(5.0, 0.5, 15.0)
    flat = steady(0.70, 0.01, 0.705)
    j = judge(MONTHS[-1], flat, worsening, ("increase", "decrease"))
    assert j is not None and j.headline_point == "common_cause" and not j.alert
    # both moving the good way: the balance improves, no alert
    easing = steady(5.0, 0.5, 0.1)
    j = judge(MONTHS[-1], improving, easing, ("increase", "decrease"))
    assert j is not None and j.balancing_point == IMPROVEMENT and not j.alert


def test_judged_on_the_months_up_to_the_month_only() -> None:
    headline = steady(0.70, 0.01, 0.90)
    balance = steady(5.0, 0.5, 15.0)
    # judged a month earlier, the late jump is not seen (no hindsight)
    j = judge(MONTHS[-2], headline, balance, ("increase", "decrease"))
    assert j is not None and not j.alert
    # a month missing either value is not judged
    assert judge("2030-01", headline, balance, ("increase", "decrease")) is None


def test_a_change_point_rebases_the_limits() -> None:
    # a step up at month 13 that stays: one set of limits flags the new level; rebased at the
    # step, the latest month is common cause in its own phase
    values = [0.5 + (0.01 if i % 2 else -0.01) for i in range(12)]
    values += [0.8 + (0.01 if i % 2 else -0.01) for i in range(12)]
    headline = dict(zip(MONTHS, values, strict=True))
    balance = steady(5.0, 0.5, 15.0)
    one = judge(MONTHS[-1], headline, balance, ("increase", "decrease"))
    assert one is not None and one.alert
    rebased = judge(MONTHS[-1], headline, balance, ("increase", "decrease"), ((MONTHS[12],), ()))
    assert rebased is not None and rebased.headline_point == "common_cause"


def test_bundled_pairs_refer_to_monthly_source_metrics() -> None:
    declared = balancing_measures()
    assert {(p.headline, p.balancing) for p in declared.pairs} >= {
        ("OF0013", "OF0014"),
        ("OF0010", "OF0011"),
    }
    assert all(p.why.strip() for p in declared.pairs)
    bad = BalancingSet(
        id="x",
        metric_set=declared.metric_set,
        rule="r",
        pairs=[BalancingPair(headline="OF0013", balancing="NOPE", why="w")],
    )
    with pytest.raises(UserError):
        checked(bad, source_metrics())


def test_alerts_on_the_bundled_ae_files(ae_store: duckdb.DuckDBPyConnection) -> None:
    report = balancing_report(ae_store)
    ae = next(p for p in report.pairs if p.pair.headline == "OF0013")
    assert ae.month is not None and ae.judged > 100
    assert all(a.headline_label != "Common Cause" for a in ae.alerts)
    print(f"\nA&E 4-hour / 12-hour DTA alerts in {ae.month}: {len(ae.alerts)} of {ae.judged}")
    for month in ("2024-01", "2025-01", "2025-12"):
        p = next(x for x in balancing_report(ae_store, month).pairs if x.pair.headline == "OF0013")
        print(f"  {month}: {len(p.alerts)} of {p.judged}: {[a.code for a in p.alerts]}")
