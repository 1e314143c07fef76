"""Bad ODS and ONS reference files (etr.csv trusts, succ.csv successions, the ONS ICB list),
each the real file with one change, through `oversight ingest`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.badinput.cases import Case
from tests.badinput.sheets import DATA

ODS = DATA / "ods"
Records = list[list[str]]
Edit = Callable[[Records], None]


def reference(source: str, edit: Edit, encoding: str = "utf-8") -> Callable[[Path], Sequence[Path]]:
    """The real file's records, edited, written as ODS does (every field quoted) or, for the
    ONS file with its header, as ONS does (minimal quoting)."""

    def make(folder: Path) -> Sequence[Path]:
        text = (ODS / source).read_text(encoding="utf-8-sig")
        records = [r for r in csv.reader(io.StringIO(text, newline=""))]
        edit(records)
        out = io.StringIO()
        quoting = csv.QUOTE_MINIMAL if source.startswith("icb") else csv.QUOTE_ALL
        csv.writer(out, quoting=quoting, lineterminator="\r\n").writerows(records)
        target = folder / source
        target.write_bytes(out.getvalue().encode(encoding))
        return [target]

    return make


def field(line: int, number: int, value: str) -> Edit:
    """Line and field 1-based, as the reader's messages number them."""

    def edit(records: Records) -> None:
        records[line - 1][number - 1] = value

    return edit


def cut(line: int) -> Edit:
    def edit(records: Records) -> None:
        del records[line - 1][-1]

    return edit


def again(line: int) -> Edit:
    def edit(records: Records) -> None:
        records.append(list(records[line - 1]))

    return edit


def nothing(records: Records) -> None:
    pass


CASES = [
    Case("etr-short-record", "a record of 26 fields", reference("etr.csv", cut(3)), "line 3"),
    Case(
        "etr-impossible-date",
        "open date 20241301",
        reference("etr.csv", field(4, 11, "20241301")),
        "field 'open_date'",
    ),
    Case(
        "etr-iso-date",
        "open date 2024-11-01",
        reference("etr.csv", field(5, 11, "2024-11-01")),
        "yyyymmdd",
    ),
    Case(
        "etr-future-date",
        "a trust opening in 2031",
        reference("etr.csv", field(6, 11, "20310101")),
        "in the future",
    ),
    Case("etr-bad-code", "code 'R0;A'", reference("etr.csv", field(2, 1, "R0;A")), "R0;A"),
    Case("etr-no-code", "code blank", reference("etr.csv", field(7, 1, "")), "line 7"),
    Case(
        "etr-unknown-region",
        "region Y99",
        reference("etr.csv", field(8, 3, "Y99")),
        "'Y99'",
    ),
    Case("etr-duplicate", "a trust twice", reference("etr.csv", again(9)), "given again"),
    Case(
        "etr-not-utf8",
        "a name in Latin-1",
        reference("etr.csv", field(10, 2, "HÔPITAL NHS TRUST"), encoding="latin-1"),
        "UTF-8",
    ),
    Case(
        "succ-bad-date",
        "effective date 1996040",
        reference("succ.csv", field(3, 4, "1996040")),
        "field 'effective_date'",
    ),
    Case(
        "succ-indicator-2",
        "succession indicator 2",
        reference("succ.csv", field(4, 5, "2")),
        "indicator",
    ),
    Case(
        "ons-header-renamed",
        "ObjectId retitled FID",
        reference("icb_names_codes_dec_2024.csv", field(1, 4, "FID")),
        "header",
    ),
    Case(
        "ons-object-id-text",
        "ObjectId 'seven'",
        reference("icb_names_codes_dec_2024.csv", field(8, 4, "seven")),
        "line 8",
    ),
    Case(
        "ons-object-id-negative",
        "ObjectId -3",
        reference("icb_names_codes_dec_2024.csv", field(9, 4, "-3")),
        "line 9",
    ),
    Case(
        "ons-extra-field",
        "a fifth field on one record",
        reference("icb_names_codes_dec_2024.csv", lambda r: r[5].append("x")),
        "line 6",
    ),
    Case(
        "ons-bad-code",
        "ICB code 'Q-YG'",
        reference("icb_names_codes_dec_2024.csv", field(2, 2, "Q-YG")),
        "Q-YG",
    ),
]
