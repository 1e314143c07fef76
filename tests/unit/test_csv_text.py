"""Reading a publisher's CSV without holding it in memory: rows read again on each pass, the
same line numbers as before, and CSV errors refused with a message before any pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.ingest.csv_text import read_csv


def test_rows_are_numbered_and_read_again_on_each_pass(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b'\xef\xbb\xbfA,B\r\n1,2\r\n\r\n"x\r\ny",3\r\n,\r\n4,5\r\n')
    doc = read_csv(path)
    assert doc.header == ["A", "B"] and doc.rows
    expected = [(2, ["1", "2"]), (4, ["x\r\ny", "3"]), (7, ["4", "5"])]
    assert list(doc.rows) == expected
    assert list(doc.rows) == expected  # a second pass reads the file again


def test_a_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("A,B\n", encoding="utf-8")
    assert not read_csv(path).rows


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"A," + b"x" * 200_000 + b"\n1,2\n", 1), (b"A,B\n1,2\n3," + b"y" * 200_000 + b"\n", 3)],
    ids=["header", "row"],
)
def test_a_field_over_the_csv_limit_is_a_message(tmp_path: Path, content: bytes, line: int) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as info:
        read_csv(path)
    assert info.value.summary == "big.csv is not a readable CSV"
    assert info.value.problems[0].line == line and "field larger" in info.value.problems[0].message


def test_not_utf8_names_line_and_column_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    body = b"A,B\n" + b"1,2\n" * 400_000 + b"3,caf\xe9\n"  # past the first 1 MB chunk
    path.write_bytes(body)
    with pytest.raises(UserError) as info:
        read_csv(path)
    [p] = info.value.problems
    assert (p.line, p.field) == (400_002, "B") and "0xe9" in p.message
