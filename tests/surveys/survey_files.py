"""A small, valid Westrum export and helpers to build variants of it as CSV or XLSX bytes.

The base export has four respondents (rows 2-5), two teams, and the columns a real survey tool
adds (name, e-mail, comment) that the import must ignore. Its answers, coded by hand:

    row 2  R_alpha  payments  5 6 7 5 6 7
    row 3  R_bravo  payments  6 5 4 NA 2 1      ("Agree", "Somewhat agree", ... labels)
    row 4  R_charlie web      1 2 3 4 5 6
    row 5  R_delta  web       7 7 7 7 7 skipped

Variants: `submitted_csv`/`submitted_xlsx` add a "Submitted" column (mapped by
SUBMITTED_MAPPING); `combined_csv` is the export a survey tool gives when one questionnaire holds
both scales: the same respondents with their Westrum answers and the PS_CODES beside them, in
the simulator's column names (mappings: `simulator.surveys.export_columns`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence

import openpyxl

from connectors.surveys import (
    PSYCHOLOGICAL_SAFETY,
    WESTRUM,
    ColumnMapping,
    ExportSpec,
    InstrumentColumns,
    SurveySpec,
)
from simulator.surveys import export_columns

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


SUBMITTED_MAPPING = {**MAPPING, "submitted_at": "Submitted"}
IN_WAVE = ["2026-09-01T08:00:00Z", "2026-09-15 12:30", "2026-09-29T16:45:00+02:00", "2026-09-30"]


def _with_submitted(times: Sequence[object]) -> tuple[list[object], list[list[object]]]:
    """The base header and rows with a "Submitted" column after the response id (row n+2 gets
    times[n])."""
    header = [HEADER[0], "Submitted", *HEADER[1:]]
    rows = [[row[0], time, *row[1:]] for row, time in zip(ROWS, times, strict=True)]
    return header, rows


def submitted_csv(times: Sequence[object] = IN_WAVE) -> bytes:
    return csv_bytes(*_with_submitted(times))


def submitted_xlsx(times: Sequence[object]) -> bytes:
    """As `xlsx_bytes`, with the "Submitted" column (B) holding `times` as given: datetime and
    date objects become date cells, numbers number cells."""

    def fill(sheet) -> None:
        sheet.insert_cols(2)
        sheet["B1"] = "Submitted"
        for number, time in enumerate(times, start=2):
            sheet.cell(number, 2, time)

    return xlsx_bytes(edit=fill)


# Psychological-safety codes of the base respondents (items PS1-PS7; None = no answer).
PS_CODES = {
    "R_alpha": [2, 6, 1, 7, 2, 6, 6],
    "R_bravo": [3, 5, 2, 5, None, 5, 4],
    "R_charlie": [6, 2, 7, 1, 6, 2, 1],
    "R_delta": [1, 7, 1, 7, 1, 7, 7],
}
PS_COLUMNS = [f"PS{n}" for n in range(1, 8)]
COMBINED_HEADER = [
    "Response ID",
    "Submitted",
    "Name",
    "E-mail",
    "Team",
    *ITEM_COLUMNS,
    *PS_COLUMNS,
    "Comments",
]


def combined_rows() -> list[list[object]]:
    """One row per base respondent: id, submitted, name, e-mail, team, WES1-6, PS1-7, comment."""
    rows = []
    for row, submitted in zip(ROWS, IN_WAVE, strict=True):
        raw_id, name, email, team, *westrum, comment = row
        codes = ["" if code is None else str(code) for code in PS_CODES[raw_id]]
        rows.append([raw_id, submitted, name, email, team, *westrum, *codes, comment])
    return rows


def combined_csv(rows: Sequence[Sequence[object]] | None = None) -> bytes:
    return csv_bytes(COMBINED_HEADER, combined_rows() if rows is None else rows)


def combined_spec(**changes) -> ExportSpec:
    """The ExportSpec of `combined_csv`: both instruments, the simulator's mappings."""
    values = {
        "wave": "2026-Q3",
        "closes_on": CLOSES_ON,
        "instruments": tuple(
            InstrumentColumns(instrument, ColumnMapping.from_config(export_columns(instrument)))
            for instrument in (WESTRUM, PSYCHOLOGICAL_SAFETY)
        ),
        "known_teams": KNOWN_TEAMS,
        "today": TODAY,
    }
    values.update(changes)
    return ExportSpec(**values)
