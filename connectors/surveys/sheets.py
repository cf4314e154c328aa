"""Which worksheet of a workbook holds the answers: the one named in config, or the only one.

Workbooks carry more than the export: a pilot sheet someone hid, a codebook, a pivot. Reading
"the first sheet" once replaced an 80-respondent wave with 6 pilot rows, so Candor never picks:
- a configured sheet (`sheet:` on the file's `surveys.files` entry) is read, hidden or not;
  names match ignoring case, as Excel's own sheet names do; a name that isn't there is an error;
- without one, the workbook must have exactly one visible sheet holding data and no hidden
  sheets; otherwise it is refused with every sheet listed (and which are hidden).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.surveys.table import RawTable

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not when config loads
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SET_SHEET = (
    "name the data sheet with `sheet: <name>` on the file's entry under surveys.files (a dropped "
    "workbook can be listed there too)"
)


def choose_sheet(table: RawTable, workbook: Workbook, wanted: str | None) -> Worksheet | None:
    """The worksheet to read, or None after recording on `table` why there is no single one."""
    sheets = list(workbook.worksheets)  # chart sheets hold no cells and are not listed
    if not sheets:
        table.problem(
            None, None, "the workbook has no worksheets", allowed="a worksheet of answers"
        )
        return None
    listing = ", ".join(_described(sheet) for sheet in sheets)
    if wanted is not None:
        key = wanted.strip().casefold()
        for sheet in sheets:
            if sheet.title.casefold() == key:
                return sheet
        table.problem(
            None,
            None,
            f"the workbook has no sheet '{wanted}' (configured as `sheet:`)",
            allowed=f"one of its sheets: {listing}; fix `sheet:` under surveys.files",
        )
        return None
    hidden = [sheet for sheet in sheets if sheet.sheet_state != "visible"]
    if hidden:
        names = ", ".join(f"'{sheet.title}'" for sheet in hidden)
        table.problem(
            None,
            None,
            f"the workbook has hidden sheet(s) {names} (sheets: {listing}); a hidden pilot or "
            "scratch sheet may hold other answers, so no sheet is guessed",
            allowed=SET_SHEET,
        )
        return None
    with_data = [sheet for sheet in sheets if _has_values(sheet)]
    if len(with_data) > 1:
        table.problem(
            None,
            None,
            f"the workbook has several sheets with data ({listing}); no sheet is guessed",
            allowed=SET_SHEET,
        )
        return None
    return with_data[0] if with_data else sheets[0]


def _described(sheet: Worksheet) -> str:
    state = {"hidden": " (hidden)", "veryHidden": " (very hidden)"}.get(sheet.sheet_state, "")
    return f"'{sheet.title}'{state}"


def _has_values(sheet: Worksheet) -> bool:
    return any(value is not None for row in sheet.iter_rows(values_only=True) for value in row)
