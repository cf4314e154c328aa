"""Read one worksheet of an XLSX export with openpyxl, flagging formulas and merged cells.

Which worksheet: `sheets.py` (the configured one, else the only one; never a guess).

Exports must hold values. A formula cell is reported (its cached result may be stale or absent,
and formulas are how spreadsheet injection travels); merged cells are reported because only the
top-left cell keeps the value, so the other respondents' rows would silently lose it.
"""

from __future__ import annotations

import io

from connectors.surveys.sheets import choose_sheet
from connectors.surveys.table import RawRow, RawTable


def read_xlsx_cells(table: RawTable, data: bytes, sheet_name: str | None = None) -> None:
    """Fill `table` from the chosen worksheet; every unreadable condition becomes a problem."""
    if not data:
        table.problem(None, None, "the file is empty", allowed="an XLSX workbook")
        return
    # Imported here: openpyxl takes half a second, and loading candor.yaml imports this module.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a broken file
        table.problem(
            None,
            None,
            f"not a readable XLSX workbook ({type(exc).__name__})",
            allowed="an .xlsx workbook saved by Excel, LibreOffice or the survey tool",
        )
        return
    sheet = choose_sheet(table, workbook, sheet_name)
    if sheet is None:
        return
    grid = [list(row) for row in sheet.iter_rows()]
    while grid and all(cell.value is None for cell in grid[-1]):
        grid.pop()
    while grid and all(cell.value is None for cell in grid[0]):  # blank rows above the header
        grid.pop(0)
    if not grid:
        table.problem(
            None,
            None,
            f"the worksheet '{sheet.title}' is empty",
            allowed="a header row, then one row per respondent",
        )
        return
    table.header = tuple("" if c.value is None else str(c.value).strip() for c in grid[0])
    table.header_row = grid[0][0].row
    _report_merged(table, sheet)
    for cells in grid[1:]:
        number = cells[0].row
        if all(cell.value is None for cell in cells):
            continue
        for index, cell in enumerate(cells):
            if cell.data_type == "f":
                table.reported.add((number, index))
                table.problem(
                    number,
                    index,
                    f"cell {cell.coordinate} holds a formula",
                    allowed="plain values (paste as values before exporting)",
                )
        table.rows.append(RawRow(number, tuple(cell.value for cell in cells)))
    for index, cell in enumerate(grid[0]):
        if cell.data_type == "f":
            table.problem(
                cell.row,
                index,
                f"header cell {cell.coordinate} holds a formula",
                allowed="plain header text",
            )


def _report_merged(table: RawTable, sheet) -> None:
    from openpyxl.utils import get_column_letter

    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                table.reported.add((row, col - 1))
        first = f"{get_column_letter(merged.min_col)}{merged.min_row}"
        table.problem(
            merged.min_row,
            merged.min_col - 1,
            f"merged cells {merged.coord} (starting at {first}): only the first "
            "cell keeps the value",
            value=None,
            allowed="one value per cell (unmerge and fill every row)",
        )
