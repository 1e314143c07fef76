"""Link discovery on publishers' pages, URL rewriting for mirrors, and the sources file."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.fetch.sources import check_base_url, file_links, page_links, rewrite, select
from oversight.frameworks.fetch_model import FetchSource, load_fetch_sources

PAGE = "https://www.england.nhs.uk/statistics/statistical-work-areas/cancer-waiting-times/"
UP = "/statistics/wp-content/uploads/sites/2/2025"
HTML = f"""
<html><body>
<a href="https://www.england.nhs.uk{UP}/09/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx">
Apr-Jul</a>
<A HREF='{UP}/06/CWT-CRS-Oct-2024-to-Mar-2025-Data-Extract-Provider.xlsx'>Oct-Mar</A>
<a href="CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Commissioner.xlsx">commissioner</a>
<a href="#top">top</a><a>no href</a><a href="mailto:x@nhs.net">mail</a>
<a href="https://www.england.nhs.uk{UP}/09/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx#x">
again</a>
<a href="/files/Monthly%20Diagnostics%20Provider%20May-2025.xls">spaces</a>
</body></html>
"""


def _source(**kw: object) -> FetchSource:
    fields: dict[str, object] = {
        "id": "cwt",
        "title": "t",
        "publisher": "p",
        "page": PAGE,
        "links": r"^CWT-CRS-.*Provider.*\.xlsx$",
    }
    return FetchSource.model_validate(fields | kw)


def test_page_links_resolved_in_order_without_duplicates_or_fragments() -> None:
    links = page_links(HTML, PAGE)
    assert links[0].endswith("/2025/09/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx")
    assert links[1] == (
        "https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/06/"
        "CWT-CRS-Oct-2024-to-Mar-2025-Data-Extract-Provider.xlsx"
    )
    assert links[2] == PAGE + "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Commissioner.xlsx"
    assert PAGE in links  # '#top' is the page itself
    assert not any(u.startswith("mailto") for u in links)
    assert len(links) == len(set(links)) == 5


def test_file_links_match_the_file_name_and_keep_the_latest() -> None:
    names = [link.name for link in file_links(_source(), HTML, PAGE)]
    assert names == [
        "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx",
        "CWT-CRS-Oct-2024-to-Mar-2025-Data-Extract-Provider.xlsx",
    ]
    latest = file_links(_source(latest=1), HTML, PAGE)
    assert [link.name for link in latest] == names[:1]
    spaced = file_links(_source(links=r"monthly diagnostics.*\.xls$"), HTML, PAGE)
    assert [link.name for link in spaced] == ["Monthly Diagnostics Provider May-2025.xls"]


def test_rewrite_puts_each_host_under_the_base() -> None:
    url = "https://files.digital.nhs.uk/assets/ods/current/etr.zip?x=1"
    assert rewrite(url, None) == url
    assert rewrite(url, "http://127.0.0.1:8000/") == (
        "http://127.0.0.1:8000/files.digital.nhs.uk/assets/ods/current/etr.zip?x=1"
    )
    assert rewrite("https://www.england.nhs.uk", "http://m/mirror") == (
        "http://m/mirror/www.england.nhs.uk/"
    )
    assert check_base_url(None) is None
    with pytest.raises(UserError, match="not an http"):
        check_base_url("ftp://mirror")


def test_bundled_sources_cover_every_publication() -> None:
    sources = load_fetch_sources()
    ids = {s.id for s in sources.sources}
    assert {"nof", "ae_monthly", "cancer_waiting_times", "diagnostics_dm01"} <= ids
    assert {"ambulance_ambsys", "staff_survey", "ods_trusts"} <= ids
    for s in sources.sources:
        assert s.page.startswith("https://")
    examples = {
        "nof": "nhs-oversight-framework-acute-trust-league-table-q1-25-26.csv",
        "ae_monthly": "Monthly-AE-September-2024.csv",
        "diagnostics_dm01": "Monthly-Diagnostics-Web-File-Provider-April-2025_3EY67.xls",
        "ambulance_ambsys": "AmbSYS-Time-Series-until-20250831.xlsx",
        "staff_survey": "NSS24 detailed spreadsheets organisational results.xlsx",
        "ods_trusts": "etr.zip",
    }
    for sid, name in examples.items():
        found = sources.source(sid)
        assert found is not None and found.link_pattern().search(name), sid
    ae = sources.source("ae_monthly")
    assert ae is not None and ae.link_pattern().search("July-2025-CSV-9jfy4.csv")
    assert not ae.link_pattern().search("Monthly-AE-Time-Series-July-2025.xls")


def test_select_refuses_unknown_names() -> None:
    sources = load_fetch_sources()
    assert [s.id for s in select(sources, ["nof"])] == ["nof"]
    assert len(select(sources, None)) == len(sources.sources)
    with pytest.raises(UserError, match="Unknown publication"):
        select(sources, ["nof", "weather"])


def test_bad_sources_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text(
        "sources:\n  - id: x\n    title: t\n    publisher: p\n"
        "    page: ftp://example\n    links: '('\n"
    )
    with pytest.raises(UserError) as caught:
        load_fetch_sources(bad)
    text = str(caught.value)
    assert "not an http(s) URL" in text and "not a regular expression" in text
    assert "line 5" in text
