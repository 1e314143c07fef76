"""Bad NOF data files and league tables, each the real bundled file with one change."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.badinput.cases import Case, Rows, read_rows, write_rows
from tests.conftest import MH_DATA, MH_LEAGUE

Edit = Callable[[list[str], Rows], None]


def _edited(source: Path, name: str, edit: Edit) -> Callable[[Path], Sequence[Path]]:
    def make(folder: Path) -> Sequence[Path]:
        header, rows = read_rows(source)
        edit(header, rows)
        return [write_rows(folder / name, header, rows)]

    return make


def data(edit: Edit) -> Callable[[Path], Sequence[Path]]:
    return _edited(MH_DATA, "data.csv", edit)


def league(edit: Edit) -> Callable[[Path], Sequence[Path]]:
    return _edited(MH_LEAGUE, "league.csv", edit)


def set_cell(metric: str | None, column: str, value: str) -> Edit:
    """Set ``column`` of the first row (of ``metric``, in a data file) to ``value``."""

    def edit(header: list[str], rows: Rows) -> None:
        for row in rows:
            if metric is None or row[header.index("Metric_ID")] == metric:
                row[header.index(column)] = value
                return
        raise AssertionError(f"no row of {metric}")

    return edit


def add_column(name: str, value: str) -> Edit:
    def edit(header: list[str], rows: Rows) -> None:
        header.append(name)
        for i, row in enumerate(rows):
            row.append(value if i == 5 else "")

    return edit


def extra_cell(value: str) -> Edit:
    def edit(header: list[str], rows: Rows) -> None:
        rows[3].append(value)

    return edit


def no_rows(header: list[str], rows: Rows) -> None:
    rows.clear()


def raw(source: Path, name: str, change: Callable[[str], str]) -> Callable[[Path], Sequence[Path]]:
    """The real file's text with a textual change (for what the csv writer would not write)."""

    def make(folder: Path) -> Sequence[Path]:
        text = source.read_text(encoding="utf-8-sig")
        target = folder / name
        target.write_text(change(text), encoding="utf-8", newline="")
        return [target]

    return make


def unterminated_quote(text: str) -> str:
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    lines[4] = lines[4].replace(",Jun-25,", ',"Jun-25,', 1)
    return "\n".join(lines)


def batch(*makers: Callable[[Path], Sequence[Path]]) -> Callable[[Path], Sequence[Path]]:
    def make(folder: Path) -> Sequence[Path]:
        return [p for m in makers for p in m(folder)]

    return make


def real_data(folder: Path) -> Sequence[Path]:
    return [Path(shutil.copy(MH_DATA, folder / "real-data.csv"))]


def changed_league_content(header: list[str], rows: Rows) -> None:
    """A valid league table whose Q4 content differs from the stored one (a trust's name)."""
    rows[0][header.index("Trust_name")] = "Renamed NHS Trust"


CASES = [
    # values outside the declared ranges (frameworks/definitions/nof-publication.yaml)
    Case(
        "data-negative-percent",
        "OF0005 value -5 (%)",
        data(set_cell("OF0005", "Value", "-5")),
        "-5 is out of range",
    ),
    Case(
        "data-percent-above-100",
        "OF0016 value 100.5",
        data(set_cell("OF0016", "Value", "100.5")),
        "100.5 is out of range",
    ),
    Case(
        "data-nan",
        "a value NaN",
        data(set_cell("OF0005", "Value", "NaN")),
        "NaN is never published",
    ),
    Case(
        "data-inf", "a value inf", data(set_cell("OF0005", "Value", "inf")), "'inf' is not a number"
    ),
    Case(
        "data-huge",
        "a metric score 1e308",
        data(set_cell("OF1005", "Value", "1e308")),
        "1e+308 is out of range",
    ),
    Case(
        "data-score-zero",
        "metric score 0",
        data(set_cell("OF1016", "Value", "0")),
        "metric score must be a number from 1 to 4",
    ),
    Case(
        "data-score-high",
        "metric score 4.5",
        data(set_cell("OF1016", "Value", "4.5")),
        "4.5 is out of range",
    ),
    Case(
        "data-domain-score",
        "domain score 0.9",
        data(set_cell("OF4002", "Value", "0.9")),
        "domain score must be",
    ),
    Case(
        "data-domain-segment-fraction",
        "domain segment 2.5",
        data(set_cell("OF4100", "Value", "2.5")),
        "domain segment must be a whole number",
    ),
    Case(
        "data-segment-5",
        "unadjusted segment 5",
        data(set_cell("OF5003", "Value", "5")),
        "segment must be a whole number from 1 to 4",
    ),
    Case(
        "data-final-segment-6",
        "final segment 6",
        data(set_cell("OF5005", "Value", "6")),
        "final segment must be a whole number from 1 to 5",
    ),
    Case(
        "data-flag-2",
        "financial override flag 2",
        data(set_cell("OF5004", "Value", "2")),
        "flag must be a whole number from 0 to 1",
    ),
    Case(
        "data-average-low",
        "average metric score 0.5",
        data(set_cell("OF5002", "Value", "0.5")),
        "average metric score must be",
    ),
    Case(
        "data-rank-negative",
        "a rank of -3",
        data(set_cell("OF0005", "Rank", "-3")),
        "-3 is out of range: a rank",
    ),
    Case(
        "data-rank-fraction",
        "a rank of 1.5",
        data(set_cell("OF0005", "Rank", "1.5")),
        "a rank must be a whole number",
    ),
    Case(
        "data-rank-zero",
        "a rank of 0",
        data(set_cell("OF0005", "Rank", "0")),
        "a rank must be a whole number of at least 1",
    ),
    Case(
        "data-out-of-10",
        "staff survey score 11 (out of 10)",
        data(set_cell("OF0061", "Value", "11")),
        "units 'out of 10' must be",
    ),
    Case(
        "data-percentage-points",
        "annual change -150 percentage points",
        data(set_cell("OF0041", "Value", "-150")),
        "units 'percentage points' must be",
    ),
    Case(
        "data-cost-index-negative",
        "relative difference in costs -1",
        data(set_cell("OF0086", "Value", "-1")),
        "metric OF0086 must be",
    ),
    Case(
        "data-median-negative",
        "a median of -2 (%)",
        data(set_cell("OF0005", "Median_value", "-2")),
        "field 'Median_value'",
    ),
    # shape of the file
    Case(
        "data-extra-column",
        "an extra column Notes with a value",
        data(add_column("Notes", "checked")),
        "extra column 'Notes'",
    ),
    Case(
        "data-extra-cell",
        "a value past the last column",
        data(extra_cell("stray")),
        "extra column 'column 18 (no header)'",
    ),
    Case("data-header-only", "the header and no rows", data(no_rows), "has no data rows"),
    Case(
        "data-unterminated-quote",
        "a quote opened and never closed",
        raw(MH_DATA, "data.csv", unterminated_quote),
        "is a closing quote",
    ),
    Case(
        "data-missing-column",
        "no Rank column",
        raw(MH_DATA, "data.csv", lambda t: t.replace(",Rank\n", "\n", 1)),
        "missing column 'Rank'",
    ),
    # cells that are formulas, not data
    Case(
        "data-hyperlink",
        "a trust name =HYPERLINK(...)",
        data(set_cell(None, "Trust_name", '=HYPERLINK("http://x","click")')),
        "looks like a spreadsheet formula",
    ),
    Case(
        "data-formula-value",
        "a value =1+1",
        data(set_cell(None, "Value", "=1+1")),
        "looks like a spreadsheet formula",
    ),
    Case(
        "data-at-formula",
        "a region @SUM(A1)",
        data(set_cell(None, "Region", "@SUM(A1)")),
        "looks like a spreadsheet formula",
    ),
    Case(
        "data-minus-formula",
        "a description -cmd|...",
        data(set_cell(None, "Metric_description", "-cmd|' /C calc'!A0")),
        "looks like a spreadsheet formula",
    ),
    # what the reader already refused, kept refused
    Case(
        "data-unknown-metric",
        "Metric_ID OF9999",
        data(set_cell(None, "Metric_ID", "OF9999")),
        "unknown metric ID 'OF9999'",
    ),
    Case(
        "data-bad-quarter",
        "quarter Q5 2025/26",
        data(set_cell(None, "Quarter", "Q5 2025/26")),
        "is not one of framework",
    ),
    Case(
        "data-bad-ods",
        "trust code 'R 1A'",
        data(set_cell(None, "Trust_code", "R 1A")),
        "is not an ODS organisation code",
    ),
    # league table
    Case(
        "league-rank-negative",
        "rank -3",
        league(set_cell(None, "Rank", "-3")),
        "-3 is out of range: a rank",
    ),
    Case(
        "league-rank-too-high",
        "rank 62 of 61 trusts",
        league(set_cell(None, "Rank", "62")),
        "from 1 to 61",
    ),
    Case(
        "league-segment-99",
        "segment 99",
        league(set_cell(None, "Segment", "99")),
        "99 is out of range: a segment",
    ),
    Case(
        "league-segment-fraction",
        "segment 2.5",
        league(set_cell(None, "Segment", "2.5")),
        "a segment must be a whole number",
    ),
    Case(
        "league-average-high",
        "average score 4.5",
        league(set_cell(None, "Average_score", "4.5")),
        "an average score must be",
    ),
    Case(
        "league-rank-range-backwards",
        "likely range of rank '40 to 2'",
        league(set_cell(None, "Likely_range_of_rank", "40 to 2")),
        "runs backwards",
    ),
    Case(
        "league-average-range-outside",
        "likely range of average '1.2 to 5'",
        league(set_cell(None, "Likely_range_of_average_score", "1.2 to 5")),
        "goes outside",
    ),
    Case(
        "league-range-misses-point",
        "likely range '2.5 to 3' for an average of 1.53",
        league(set_cell(None, "Likely_range_of_average_score", "2.5 to 3")),
        "does not contain the point value 1.53",
    ),
    Case(
        "league-extra-column",
        "an extra column Comment with a value",
        league(add_column("Comment", "=1")),
        "extra column 'Comment'",
    ),
    Case("league-header-only", "the header and no rows", league(no_rows), "has no data rows"),
    Case(
        "league-hyperlink",
        "a trust name =HYPERLINK(...)",
        league(set_cell(None, "Trust_name", '=HYPERLINK("http://x")')),
        "spreadsheet formula",
    ),
    # batches are all or nothing
    Case(
        "batch-good-then-bad",
        "the real data file, then a league table with segment 99",
        batch(real_data, league(set_cell(None, "Segment", "99"))),
        "99 is out of range",
    ),
    Case(
        "batch-conflict-at-store",
        "the real data file, then a valid league table whose Q4 differs from the stored one",
        batch(real_data, league(changed_league_content)),
        "would overwrite published quarters",
    ),
]
