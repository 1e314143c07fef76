"""Other modules add sections to an organisation's record (consequences, statistics): the
record's JSON lists them and the organisation page renders each as a titled table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oversight.api import sections
from oversight.api.models import Section
from oversight.api.site import NotFound, Site
from oversight.engine.results import OrgResult, QuarterResult
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
    assert before.model.sections == []  # type: ignore[attr-defined]
    sections.register(quarters_in_segment)
    try:
        page = pages.organisation(site, "Q3 2025/26", "RYY")
        record = page.model
        assert record.sections[0].title == "Time in each segment"  # type: ignore[attr-defined]
        assert sum(r["quarters"] for r in record.sections[0].rows) == 4  # type: ignore[attr-defined]
        html = render(page, live=False)
        assert 'id="section-time-in-segment"' in html and "Time in each segment" in html
    finally:
        sections.unregister(quarters_in_segment)


def test_site_cache_is_per_quarter_and_digest(site: Site) -> None:
    first = site.result("Q4 2025/26")
    assert site.result("2025-26-q4") is first  # slug or name, computed once
    with pytest.raises(NotFound):
        site.quarter("Q4 1999/00")
