"""A small, valid Westrum export and helpers to build variants of it as CSV or XLSX bytes.

The base export has four respondents (rows 2-5), two teams, and the columns a real survey tool
adds (name, e-mail, comment) that the import must ignore. Its answers, coded by hand:

    row 2  R_alpha  payments  5 6 7 5 6 7
    row 3  R_bravo  payments  6 5 4 NA 2 1      ("Agree", "Somewhat agree", ... labels)
    row 4  R_charlie web      1 2 3 4 5 6
    row 5  R_delta  web       7 7 7 7 7 skipped
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence

import openpyxl

from connectors.surveys import WESTRUM, ColumnMapping, SurveySpec

ITEM_COLUMNS = [f"WES{n}" for n in range(1, 7)]
HEADER = ["Response ID", "Name", "E-mail", "Team", *ITEM_COLUMNS, "Comments"]
# fmt: off
ROWS = [
    ["R_alpha", "Ada Quill", "ada.quill@acme.example", "payments", "5", "6", "7", "5", "6", "7",
     "Fine, thanks"],
    ["R_bravo", "Bo Stone", "bo.stone@acme.example", "Payments", "Agree", "Somewhat agree",
     "neither AGREE nor disagree", "Prefer not to answer", "Disagree", " strongly  disagree ",
     ""],
    ["R_charlie", "Cy Vale", "cy.vale@acme.example", "web", "1", "2", "3", "4", "5", "6",
     "=) more pairing"],
    ["R_delta", "Di Moor", "di.moor@acme.example", "WEB ", "7", "7", "7", "7", "7", "",
     "-- nothing to add"],
]
# fmt: on
EXPECTED_CODES = {
    "R_alpha": ("payments", [5, 6, 7, 5, 6, 7]),
    "R_bravo": ("payments", [6, 5, 4, None, 2, 1]),
    "R_charlie": ("web", [1, 2, 3, 4, 5, 6]),
    "R_delta": ("web", [7, 7, 7, 7, 7, None]),
}
KNOWN_TEAMS = frozenset({"payments", "web"})
TODAY = dt.date(2026, 11, 22)
CLOSES_ON = dt.date(2026, 9, 30)
SALT_ENV = "CANDOR_SURVEY_SALT"
SALT = "test-salt-0123456789abcdef"

MAPPING = {
    "team": "Team",
    "respondent_id": "Response ID",
    "items": {column: f"westrum_{n}" for n, column in enumerate(ITEM_COLUMNS, start=1)},
    "ignore": ["Name", "E-mail", "Comments"],
}


def spec(**changes) -> SurveySpec:
    """The SurveySpec matching the base export; keyword arguments replace fields."""
    mapping = changes.pop("mapping", MAPPING)
    values = {
        "instrument": WESTRUM,
        "wave": "2026-Q3",
        "closes_on": CLOSES_ON,
        "column_mapping": ColumnMapping.from_config(mapping),
        "known_teams": KNOWN_TEAMS,
        "today": TODAY,
    }
    values.update(changes)
    return SurveySpec(**values)


def rows_copy() -> list[list[object]]:
    return [list(row) for row in ROWS]


def csv_bytes(
    header: Sequence[object] = HEADER,
    rows: Sequence[Sequence[object]] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(ROWS if rows is None else rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[object]] | None = None,
    edit: Callable[[openpyxl.worksheet.worksheet.Worksheet], None] | None = None,
) -> bytes:
    """The export as a workbook; answers that look like whole numbers are written as numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in ROWS if rows is None else rows:
        sheet.append([int(c) if isinstance(c, str) and c.isdigit() else c for c in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # "=) more pairing" is a comment, not a formula
                cell.data_type = "s"
    if edit is not None:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
