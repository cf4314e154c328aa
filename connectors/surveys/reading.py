"""Read a survey export (CSV or XLSX) into a plain table of cells, reporting what can't be read.

CSV: UTF-8 with or without BOM; the delimiter (comma, semicolon or tab) is the one that splits
the header into the most fields. Undecodable bytes are reported with their byte offset, row and
column. XLSX: see `xlsx.py`. Nothing here knows about instruments or column roles;
`validation.py` judges the cells.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from pathlib import Path

from connectors.surveys.problems import shown_value
from connectors.surveys.table import RawRow, RawTable
from connectors.surveys.xlsx import read_xlsx_cells

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_DELIMITERS = (",", ";", "\t")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"
UNDECODABLE_RUN = re.compile("[\udc80-\udcff]+")  # bytes escaped by errors="surrogateescape"


def read_table(path: Path, data: bytes) -> RawTable:
    """Dispatch on the file suffix; an unsupported suffix is a problem, not an exception."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        table = RawTable(path.name)
        read_xlsx_cells(table, data)
        return table
    if suffix in CSV_SUFFIXES:
        return read_csv(path.name, data)
    table = RawTable(path.name)
    table.problem(
        None,
        None,
        f"unsupported file type '{suffix}'",
        allowed="CSV (.csv, .tsv, .txt; comma, semicolon or tab) or XLSX (.xlsx)",
    )
    return table


def read_csv(name: str, data: bytes) -> RawTable:
    table = RawTable(name)
    if data.startswith(ZIP_MAGIC):
        table.problem(
            None,
            None,
            "the file is a ZIP archive (an Excel workbook?), not CSV text",
            allowed="save as 'CSV UTF-8', or rename an Excel workbook to .xlsx",
        )
        return table
    if data.startswith(UTF16_BOMS):
        table.problem(
            None,
            None,
            "the file is UTF-16 text (Excel 'Unicode Text')",
            allowed="save as 'CSV UTF-8'",
        )
        return table
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    text, bad_offsets = _decode_utf8(data, start)
    if not text.strip():
        table.problem(
            None, None, "the file is empty", allowed="a header row, then one row per respondent"
        )
        return table
    delimiter = _choose_delimiter(text)
    last_lines = _parse_records(table, text, delimiter)
    if bad_offsets:
        _report_undecodable(table, data, bad_offsets, last_lines)
    return table


def _decode_utf8(data: bytes, start: int) -> tuple[str, list[int]]:
    """Decode UTF-8; each run of undecodable bytes becomes one U+FFFD. Returns the text and the
    byte offset of each run, in one pass (surrogateescape keeps one marker per bad byte)."""
    text = data[start:].decode("utf-8", errors="surrogateescape")
    offsets, index, offset = [], 0, start
    for run in UNDECODABLE_RUN.finditer(text):
        offset += len(text[index : run.start()].encode("utf-8"))
        offsets.append(offset)
        offset += len(run.group())
        index = run.end()
    return UNDECODABLE_RUN.sub("\ufffd", text), offsets


def _choose_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most fields (ties: comma, then ;, then tab)."""
    first_line = next(line for line in text.splitlines() if line.strip())
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in CSV_DELIMITERS}
    return max(CSV_DELIMITERS, key=lambda d: (widths[d], -CSV_DELIMITERS.index(d)))


def _parse_records(table: RawTable, text: str, delimiter: str) -> dict[int, int]:
    """Fill header and rows; return each kept row's last physical line (quoted cells may span
    lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    first_line, last_lines = 1, {}
    try:
        for record in reader:
            number, first_line = first_line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if not table.header:
                if len(record) < 2:
                    table.problem(
                        number,
                        None,
                        "the header has a single column: the delimiter is not "
                        "comma, semicolon or tab",
                        value=shown_value(record[0]),
                        allowed="comma-, semicolon- or tab-separated columns",
                    )
                    return last_lines
                table.header = tuple(cell.strip() for cell in record)
                continue
            if len(record) != len(table.header):
                table.problem(
                    number,
                    None,
                    "the row has a different number of fields than the "
                    "header (a stray delimiter or a different delimiter?)",
                    value=f"{len(record)} field(s)",
                    allowed=f"{len(table.header)} fields",
                )
                continue
            table.rows.append(RawRow(number, tuple(record)))
            last_lines[number] = reader.line_num
    except csv.Error as exc:
        table.problem(
            first_line,
            None,
            f"malformed CSV quoting ({exc}); reading stopped here",
            allowed='fields quoted with " and inner quotes doubled',
        )
    return last_lines


def _report_undecodable(
    table: RawTable, data: bytes, offsets: list[int], last_lines: dict[int, int]
) -> None:
    """One problem per cell holding bytes that are not UTF-8, found by line, then by the order of
    the replacement characters within the row. Values are never echoed (they may be names)."""
    allowed = "UTF-8 text (save as 'CSV UTF-8')"
    lines, line, previous = [], 1, 0
    for offset in offsets:  # ascending: count newlines once over the whole file
        line += data.count(b"\n", previous, offset)
        lines.append(line)
        previous = offset
    placed: set[int] = set()
    for row in table.rows:
        first = bisect.bisect_left(lines, row.number)
        in_row = list(range(first, bisect.bisect_right(lines, last_lines[row.number])))
        for index, cell in enumerate(row.cells):
            count = str(cell).count("\ufffd")
            if count and in_row:
                table.reported.add((row.number, index))
                table.problem(
                    row.number,
                    index,
                    f"bytes that are not UTF-8 at byte offset {offsets[in_row[0]]}",
                    allowed=allowed,
                )
                placed.update(in_row[:count])
                in_row = in_row[count:]
    for i, offset in enumerate(offsets):  # in the header, or in a row skipped for another problem
        if i not in placed:
            table.problem(
                lines[i], None, f"bytes that are not UTF-8 at byte offset {offset}", allowed=allowed
            )
