"""Row numbers in problems are the rows a spreadsheet shows (header = row 1, one row per
record), not physical lines: a quoted comment spanning three lines is still one row.

Every expected row is derived by hand from the file's lines in the test's docstring.
"""

from __future__ import annotations

from pathlib import Path

from survey_corpus import csv_with
from survey_files import spec

from connectors.surveys import read_survey

THREE_LINES = "Fine,\nthanks;\nreally"  # R_alpha's comment (row 2) spread over 3 lines


def problems_of(tmp_path: Path, data: bytes):
    path = tmp_path / "wave.csv"
    path.write_bytes(data)
    _, answers, problems = read_survey(path, spec())
    assert answers == []
    return problems


def test_a_defect_after_a_multi_line_comment_has_its_spreadsheet_row(tmp_path: Path) -> None:
    """Lines of the file:
    1 header                                  row 1
    2 R_alpha ... "Fine,                      row 2 (lines 2-4)
    3 thanks;
    4 really"
    5 R_bravo ...                             row 3
    6 R_charlie ... WES2 = 8                  row 4   <- physical line 6, spreadsheet row 4
    7 R_delta ...                             row 5
    """
    data = csv_with({(2, 10): THREE_LINES, (4, 5): "8"})
    assert data.split(b"\n")[5].startswith(b"R_charlie")  # line 6, as drawn above
    problems = problems_of(tmp_path, data)
    assert [(p.row, p.column) for p in problems] == [(4, "WES2")]
    assert str(problems[0]).startswith("wave.csv, row 4, column 'WES2': outside the 7-point")


def test_bytes_that_are_not_utf8_after_a_multi_line_comment(tmp_path: Path) -> None:
    """Lines: 1 header; 2-4 R_alpha (comment on 3 lines); 5 R_bravo, whose name holds a Latin-1
    byte: spreadsheet row 3."""
    data = csv_with({(2, 10): THREE_LINES, (3, 1): "Bö Stone"}, encoding="latin-1")
    problems = problems_of(tmp_path, data)
    assert [(p.row, p.column) for p in problems] == [(3, "Name")]
    offset = data.index("ö".encode("latin-1"))
    assert f"byte offset {offset}" in problems[0].message


def test_a_row_with_too_many_fields_after_a_multi_line_comment(tmp_path: Path) -> None:
    """Lines: 1 header; 2-4 R_alpha; 5 R_bravo; 6 R_charlie; 7 R_delta with an unquoted comma
    in its comment (one field too many): spreadsheet row 5."""
    data = csv_with({(2, 10): THREE_LINES}).replace(b"-- nothing to add", b"nothing, to add")
    problems = problems_of(tmp_path, data)
    assert [(p.row, p.message.split(" (")[0]) for p in problems] == [
        (5, "the row has a different number of fields than the header")
    ]


def test_broken_quoting_after_a_multi_line_comment(tmp_path: Path) -> None:
    """Lines: 1 header; 2-4 R_alpha; 5 R_bravo, whose name opens a quote that is never closed
    properly: reading stops at spreadsheet row 3."""
    data = csv_with({(2, 10): THREE_LINES}).replace(b"R_bravo,Bo Stone", b'R_bravo,"Bo "S" Stone')
    problems = problems_of(tmp_path, data)
    assert [(p.row, p.message.split(" (")[0]) for p in problems] == [(3, "malformed CSV quoting")]


def test_a_blank_line_is_a_row_as_a_spreadsheet_shows_it(tmp_path: Path) -> None:
    """Lines: 1 header; 2 R_alpha; 3 blank (an empty row in a spreadsheet, skipped); 4 R_bravo;
    5 R_charlie with WES2 = 8: row 5."""
    lines = csv_with({(4, 5): "8"}).split(b"\r\n")
    data = b"\r\n".join([*lines[:2], b"", *lines[2:]])
    problems = problems_of(tmp_path, data)
    assert [(p.row, p.column) for p in problems] == [(5, "WES2")]
