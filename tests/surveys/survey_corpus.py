"""The malformed-file corpus: each case is the valid base export (survey_files.py) with one
realistic defect, and the problem the import must report for it (row, column, message part).

Rows are spreadsheet rows (header = 1, base respondents on rows 2-5). XLSX columns: A Response
ID, B Name, C E-mail, D Team, E-J WES1-WES6, K Comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from survey_files import HEADER, MAPPING, csv_bytes, rows_copy, xlsx_bytes


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    content: bytes
    row: int | None
    column: str | None
    fragment: str
    spec_changes: dict[str, Any] = field(default_factory=dict)
    unset_salt: bool = False


def _rows(edits: dict[tuple[int, int], object]) -> list[list[object]]:
    """Base rows with cells replaced: keys are (spreadsheet row, 0-based column)."""
    rows = rows_copy()
    for (row, column), value in edits.items():
        rows[row - 2][column] = value
    return rows


def csv_with(edits: dict[tuple[int, int], object], **kwargs: Any) -> bytes:
    """The base export as CSV with cells replaced (see `_rows`)."""
    return csv_bytes(rows=_rows(edits), **kwargs)


def _drop_column(name: str) -> bytes:
    index = HEADER.index(name)
    header = [h for i, h in enumerate(HEADER) if i != index]
    return csv_bytes(header, [[c for i, c in enumerate(r) if i != index] for r in rows_copy()])


def _latin1_name() -> tuple[bytes, int]:
    """Row 3's name with an "ö" saved as Latin-1 (byte 0xF6), and that byte's offset."""
    data = csv_with({(3, 1): "Bö Stone"}, encoding="latin-1")
    return data, data.index(b"\xf6")


def _merge(sheet) -> None:
    sheet.merge_cells("D4:D5")  # rows 4 and 5 are both team web: a tidy-looking merge


def _formula(sheet) -> None:
    sheet["F3"] = "=5+1"


LATIN1, LATIN1_OFFSET = _latin1_name()
OUT_OF_SCALE = "outside the 7-point scale"
NOT_A_LABEL = "not a label of the 7-point scale"
FIVE_POINT_ACCURACY = [
    "Very inaccurate",
    "Inaccurate",
    "Neutral",
    "Accurate",
    "Very accurate",
    "Accurate",
]

# One case per entry, read as a table: name, file, content, row, column, message part, extras.
# fmt: off
CASES = [
    Case("out_of_range_high", "high.csv", csv_with({(3, 6): "9"}), 3, "WES3", OUT_OF_SCALE),
    Case("zero_based_codes", "zero.csv", csv_with({(2, 4): "0"}), 2, "WES1", OUT_OF_SCALE),
    Case("not_whole_number", "half.csv", csv_with({(4, 5): "4.5"}), 4, "WES2",
         "not a whole number"),
    Case("unknown_label", "label.csv", csv_with({(3, 4): "Totally agree"}), 3, "WES1",
         NOT_A_LABEL),
    Case("mixed_scales", "mixed.csv",
         csv_with({(4, 4 + i): label for i, label in enumerate(FIVE_POINT_ACCURACY)}),
         4, "WES1", NOT_A_LABEL),
    Case("missing_team", "noteam.csv", csv_with({(4, 3): ""}), 4, "Team", "the team is missing"),
    Case("unknown_team", "typo.csv", csv_with({(2, 3): "paymnets"}), 2, "Team",
         "not a configured team"),
    Case("duplicate_respondent_id", "dupe.csv", csv_with({(5, 0): "R_alpha"}), 5, "Response ID",
         "the same respondent id as row 2"),
    Case("missing_respondent_id", "noid.csv", csv_with({(3, 0): ""}), 3, "Response ID",
         "the respondent id is missing"),
    Case("wrong_delimiter", "pipes.csv", csv_bytes(delimiter="|"), 1, None,
         "the header has a single column"),
    Case("mixed_delimiters", "mixeddelim.csv",
         csv_bytes(rows=[]) + csv_bytes(delimiter=";").split(b"\r\n", 1)[1],
         2, None, "a different number of fields"),
    Case("stray_delimiter", "stray.csv", csv_bytes().replace(b'"Fine, thanks"', b"Fine, thanks"),
         2, None, "a different number of fields"),
    Case("empty_file", "empty.csv", b"", None, None, "the file is empty"),
    Case("blank_lines_only", "blank.csv", b"\r\n   \r\n", None, None, "the file is empty"),
    Case("header_only", "header.csv", csv_bytes(rows=[]), None, None,
         "the file has a header but no respondent rows"),
    Case("extra_column", "extra.csv",
         csv_bytes([*HEADER, "Department"], [[*r, "Risk"] for r in rows_copy()]), 1,
         "Department", "this column is not in the column mapping"),
    Case("missing_item_column", "nowes6.csv", _drop_column("WES6"), 1, "WES6",
         "the item westrum_6 column is missing"),
    Case("repeated_header", "twice.csv",
         csv_bytes([h if h != "WES3" else "WES2" for h in HEADER]), 1, "WES2",
         "the header repeats this column"),
    Case("missing_team_column", "squad.csv",
         csv_bytes([h if h != "Team" else "Squad" for h in HEADER]), 1, "Team",
         "the team column is missing"),
    Case("non_utf8_bytes", "latin1.csv", LATIN1, 3, "Name",
         f"bytes that are not UTF-8 at byte offset {LATIN1_OFFSET}"),
    Case("utf16_export", "utf16.csv", csv_bytes(encoding="utf-16"), None, None, "UTF-16"),
    Case("workbook_named_csv", "book.csv", xlsx_bytes(), None, None, "ZIP archive"),
    Case("malformed_quoting", "quotes.csv",
         csv_bytes().replace(b"R_alpha,Ada Quill", b'R_alpha,"Ada "Q" Quill'), 2, None,
         "malformed CSV quoting"),
    Case("wave_closes_in_future", "future.csv", csv_bytes(), None, None,
         "the wave closes after today", {"closes_on": dt.date(2026, 12, 31)}),
    Case("formula_text_answer", "formula.csv", csv_with({(2, 4): "=1+1"}), 2, "WES1",
         "spreadsheet would run as a formula"),
    Case("at_sign_answer", "atsign.csv", csv_with({(5, 8): "@SUM(A1:A9)"}), 5, "WES5",
         "spreadsheet would run as a formula"),
    Case("formula_team", "hyperlink.csv",
         csv_with({(4, 3): '=HYPERLINK("http://x.example","web")'}), 4, "Team",
         "not a configured team"),
    Case("formula_file_name", "=cmd.csv", csv_bytes(), None, None,
         "the file name starts like a spreadsheet formula"),
    Case("xlsx_merged_cells", "merged.xlsx", xlsx_bytes(edit=_merge), 4, "Team",
         "merged cells D4:D5"),
    Case("xlsx_formula_cell", "formula.xlsx", xlsx_bytes(edit=_formula), 3, "WES2",
         "cell F3 holds a formula"),
    Case("xlsx_boolean_answer", "bool.xlsx",
         xlsx_bytes(edit=lambda sheet: sheet.__setitem__("E2", True)), 2, "WES1", "TRUE/FALSE"),
    Case("xlsx_date_answer", "date.xlsx",
         xlsx_bytes(edit=lambda sheet: sheet.__setitem__("G4", dt.datetime(2026, 1, 5))), 4,
         "WES3", "a date or time is not an answer"),
    Case("xlsx_out_of_range_number", "twelve.xlsx",
         xlsx_bytes(edit=lambda sheet: sheet.__setitem__("H5", 12)), 5, "WES4", OUT_OF_SCALE),
    Case("xlsx_not_a_workbook", "fake.xlsx", csv_bytes(), None, None,
         "not a readable XLSX workbook"),
    Case("xlsx_empty_sheet", "emptysheet.xlsx",
         xlsx_bytes(rows=[], edit=lambda sheet: sheet.delete_rows(1)), None, None,
         "the worksheet 'Sheet' is empty"),
    Case("unsupported_file_type", "answers.json", b'{"team": "web"}', None, None,
         "unsupported file type '.json'"),
    Case("salt_missing", "nosalt.csv", csv_bytes(), None, "Response ID",
         "needs a secret salt in the environment variable CANDOR_SURVEY_SALT", unset_salt=True),
    Case("mapping_to_unknown_item", "badmap.csv", csv_bytes(), 1, None,
         "to 'westrum_9', which is not an item of instrument 'westrum'",
         {"mapping": {**MAPPING, "items": {**MAPPING["items"], "WES6": "westrum_9"}}}),
]
# fmt: on
