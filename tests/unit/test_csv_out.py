"""CSV exports neutralise spreadsheet formulas in text cells and leave numbers alone."""

from __future__ import annotations

import csv
import io

import pytest

from oversight import csv_out


@pytest.mark.parametrize(
    "cell, written",
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("-3.25", "-3.25"),
        ("+4", "+4"),
        ("1e-5", "1e-5"),
        ("ROYAL FREE LONDON", "ROYAL FREE LONDON"),
        ("", ""),
    ],
)
def test_text_cells_cannot_be_formulas(cell: str, written: str) -> None:
    out = io.StringIO()
    csv_out.Writer(out, lineterminator="\n").writerow([cell, -1.5, None])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [written, "-1.5", ""]
    out = io.StringIO()
    w = csv_out.DictWriter(out, ["name", "value"], lineterminator="\n")
    w.writerows([{"name": cell, "value": 2}])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [written, "2"]
