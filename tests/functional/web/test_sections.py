"""Other modules add sections to an organisation's record (consequences, statistics): the
record's JSON lists them and the organisation page renders each as a titled table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oversight.api import sections
from oversight.api.models import Section
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.frameworks.policy_loader import load_policy
from oversight.service.site import NotFound, Site
from oversight.web import pages
from oversight.web.render import render


@pytest.fixture(scope="module")
def site(served_store: Path) -> Iterator[Site]:
    s = Site(served_store)
    yield s
    s.close()


def quarters_in_segment(
    org: OrgResult, result: QuarterResult, history: list[QuarterResult]
) -> Section | None:
    """A toy provider: how many stored quarters the organisation spent in each segment."""
    if org.segment is None:
        return None
    counts: dict[int, int] = {}
    for r in history:
        o = r.org(org.trust_code)
        if o is not None and o.segment is not None:
            counts[o.segment] = counts.get(o.segment, 0) + 1
    return Section(
        id="time-in-segment",
        title="Time in each segment",
        columns=["segment", "quarters"],
        rows=[{"segment": s, "quarters": n} for s, n in sorted(counts.items())],
    )


def test_registered_sections_reach_json_and_page(site: Site) -> None:
    before = pages.organisation(site, "Q4 2025/26", "RYY")
    assert [s.id for s in before.model.sections] == [  # type: ignore[attr-defined]
        "consequences",
        "segment-certainty",
    ]
    sections.register(quarters_in_segment)
    try:
        page = pages.organisation(site, "Q3 2025/26", "RYY")
        record = page.model
        added = record.sections[-1]  # type: ignore[attr-defined]
        assert added.title == "Time in each segment"
        assert sum(r["quarters"] for r in added.rows) == 4
        html = render(page, live=False)
        assert 'id="section-time-in-segment"' in html and "Time in each segment" in html
    finally:
        sections.unregister(quarters_in_segment)


def test_site_cache_is_per_quarter_and_digest(site: Site) -> None:
    first = site.result("Q4 2025/26")
    assert site.result("2025-26-q4") is first  # slug or name, computed once
    with pytest.raises(NotFound):
        site.quarter("Q4 1999/00")


def test_the_consequences_section_shows_what_the_policy_attaches(site: Site) -> None:
    """RX2 has been in segment 4 with its likely rank in the bottom half since Q1: zero
    tolerance from Q3 (docs/policy.md); RYY, in segment 1 throughout, has earned autonomy."""
    rx2 = pages.organisation(site, "Q4 2025/26", "RX2")
    (section,) = [s for s in rx2.model.sections if s.id == "consequences"]  # type: ignore[attr-defined]
    by_title = {r["modelled consequence"]: r for r in section.rows}
    assert by_title["Turnaround team sent in"]["since"] == "Q3 2025/26"
    # the policy is named as people read it (its id is an internal identifier: issue 16)
    assert load_policy(None, site.framework).name in section.summary
    assert "national-2025-26" not in section.summary
    html = render(rx2, live=False)
    assert 'id="section-consequences"' in html and "Turnaround team sent in" in html
    ryy = pages.organisation(site, "Q4 2025/26", "RYY")
    (section,) = [s for s in ryy.model.sections if s.id == "consequences"]  # type: ignore[attr-defined]
    assert {r["modelled consequence"] for r in section.rows} == {
        "Earned autonomy",
        "Larger share of capital for the best financial management",
    }
