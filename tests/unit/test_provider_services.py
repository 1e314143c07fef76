"""A provider's services page, assembled by the service layer on bundled files (the ICB tests'
store: cancer April to July 2025, A&E April to June 2025, DM01 June 2025): a real acute trust
shows its cancer, diagnostics and A&E parts with exactly the numbers the metric-parts service
gives, and the line naming the parts that drive its position is the parts furthest from their
peer medians."""

from __future__ import annotations

from collections.abc import Iterator
from statistics import median

import pytest

from oversight.frameworks.source_metrics import source_metrics
from oversight.service.metric_parts import all_parts, parts_of
from oversight.service.provider_services import (
    TOO_FEW,
    codes_with_services,
    provider_services,
)
from oversight.service.site import NotFound, Site
from tests.icb_store import build_icb_store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    s = Site(build_icb_store(tmp_path_factory.mktemp("services") / "services.duckdb"))
    yield s
    s.close()


def test_an_acute_trust_shows_every_split_with_the_parts_numbers(site: Site) -> None:
    found = provider_services(site, "raj", "2025-06")
    assert found.code == "RAJ" and found.name and "Essex" in found.name
    keys = [s.key for s in found.splits]
    assert keys == [
        "ae_department_type",
        "cancer_fds_type",
        "cancer_fds_route",
        "cancer_62day_type",
        "cancer_62day_route",
        "diagnostics_test",
    ]
    for split in found.splits:
        expected = parts_of(site, "RAJ", split.metric_id, split.by, "2025-06")
        assert split.month == expected.month == "2025-06"
        assert [p.key for p in split.parts] == [p.key for p in expected.parts]
        for shown, part in zip(split.parts, expected.parts, strict=True):
            assert (shown.share, shown.ci_low, shown.ci_high) == (
                part.share,
                part.ci_low,
                part.ci_high,
            )
            assert (shown.rank, shown.of, shown.denominator) == (
                part.rank,
                part.of,
                part.denominator,
            )
            assert shown.too_few == (part.denominator < TOO_FEW)
    tests = next(s for s in found.splits if s.key == "diagnostics_test")
    assert {"magnetic_resonance_imaging", "computed_tomography"} <= {p.key for p in tests.parts}
    # the tests add up to the trust's whole waiting list
    assert sum(p.denominator for p in tests.parts[1:]) == pytest.approx(tests.parts[0].denominator)


def test_the_driving_parts_are_furthest_from_their_peer_medians(site: Site) -> None:
    for split in provider_services(site, "RAJ", "2025-06").splits:
        metric = source_metrics().metric(split.metric_id)
        assert metric is not None
        _, everyone = all_parts(site, metric, split.by, "2025-06")
        sign = 1.0 if split.polarity == "higher_is_better" else -1.0
        gaps = {}
        for p in split.parts:
            peers = [q.share for m in everyone.values() for q in m.parts if q.key == p.key]
            assert p.peer_median == pytest.approx(median(peers))
            if p.key != "whole" and p.denominator >= TOO_FEW:
                gaps[p.key] = sign * (p.share - p.peer_median)
        worst = min(gaps, key=gaps.__getitem__) if gaps else None
        best = max(gaps, key=gaps.__getitem__) if gaps else None
        if worst is not None and gaps[worst] < 0:
            assert split.below is not None and split.below.key == worst
            assert split.below.title in split.drives
        else:
            assert split.below is None
        if best is not None and gaps[best] > 0:
            assert split.above is not None and split.above.key == best
            assert split.above.title in split.drives
        else:
            assert split.above is None


def test_latest_month_by_default_and_not_found(site: Site) -> None:
    latest = provider_services(site, "RAJ")
    assert latest.month is None and latest.months[0] == "2025-07"
    months = {s.key: s.month for s in latest.splits}
    assert months["cancer_fds_route"] == "2025-07" and months["diagnostics_test"] == "2025-06"
    # July has cancer only: the other splits are left out, not shown empty
    july = provider_services(site, "RAJ", "2025-07")
    assert {s.key for s in july.splits} == {k for k in months if k.startswith("cancer")}
    assert "RAJ" in codes_with_services(site)
    with pytest.raises(NotFound):
        provider_services(site, "ZZZ")
    with pytest.raises(NotFound):
        provider_services(site, "RAJ", "2009-01")
