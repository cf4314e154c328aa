"""Read a survey export (CSV or XLSX) into a plain table of cells, reporting what can't be read.

CSV: UTF-8 with or without BOM; the delimiter (comma, semicolon or tab) is the one that splits
the header into the most fields. Rows are numbered by record, the way a spreadsheet shows the
file. Undecodable bytes are reported with their byte offset, row and column. XLSX: see
`xlsx.py`. Nothing here knows about instruments or column roles; `validation.py` judges the
cells.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass
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


def read_table(path: Path, data: bytes, sheet: str | None = None) -> RawTable:
    """Dispatch on the file suffix; an unsupported suffix is a problem, not an exception.
    `sheet` names the worksheet of a workbook (None: the only one); CSV has none."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        table = RawTable(path.name)
        read_xlsx_cells(table, data, sheet)
        return table
    if suffix in CSV_SUFFIXES:
        table = read_csv(path.name, data)
        if sheet is not None:  # a config naming a sheet expects a workbook: say so, don't ignore
            table.problem(
                None,
                None,
                f"`sheet: {sheet}` is configured, but a CSV file has no sheets",
                allowed="remove `sheet:` from the file's entry, or point it at the XLSX workbook",
            )
        return table
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
    spans = _parse_records(table, text, delimiter)
    if bad_offsets:
        _report_undecodable(table, data, bad_offsets, spans)
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


@dataclass(frozen=True)
class RecordSpan:
    """Where one CSV record sits: its spreadsheet row and its first and last physical lines."""

    row: int
    first_line: int
    last_line: int


def _parse_records(table: RawTable, text: str, delimiter: str) -> list[RecordSpan]:
    """Fill header and rows; return every record's span.

    Rows are numbered by record, as a spreadsheet shows the file: a quoted cell spanning three
    lines is one row, so the rows after it are not pushed down (physical line numbers would
    send the reader to the wrong respondent). Blank records count, as a spreadsheet shows them.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    spans: list[RecordSpan] = []
    try:
        for record in reader:
            first_line = spans[-1].last_line + 1 if spans else 1
            spans.append(RecordSpan(len(spans) + 1, first_line, reader.line_num))
            number = spans[-1].row
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
                    return spans
                table.header = tuple(cell.strip() for cell in record)
                table.header_row = number
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
    except csv.Error as exc:
        table.problem(
            len(spans) + 1,  # the record being read when the quoting broke
            None,
            f"malformed CSV quoting ({exc}); reading stopped here",
            allowed='fields quoted with " and inner quotes doubled',
        )
    return spans


def _report_undecodable(
    table: RawTable, data: bytes, offsets: list[int], spans: list[RecordSpan]
) -> None:
    """One problem per cell holding bytes that are not UTF-8, found by line, then by the order of
    the replacement characters within the row. Values are never echoed (they may be names)."""
    allowed = "UTF-8 text (save as 'CSV UTF-8')"
    lines, line, previous = [], 1, 0
    for offset in offsets:  # ascending: count newlines once over the whole file
        line += data.count(b"\n", previous, offset)
        lines.append(line)
        previous = offset
    span_of_row = {span.row: span for span in spans}
    placed: set[int] = set()
    for row in table.rows:
        span = span_of_row[row.number]
        first = bisect.bisect_left(lines, span.first_line)
        in_row = list(range(first, bisect.bisect_right(lines, span.last_line)))
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
    first_lines = [span.first_line for span in spans]
    for i, offset in enumerate(offsets):  # in the header, or in a row skipped for another problem
        if i not in placed:
            at = bisect.bisect_right(first_lines, lines[i]) - 1
            table.problem(
                spans[at].row if at >= 0 else None,
                None,
                f"bytes that are not UTF-8 at byte offset {offset}",
                allowed=allowed,
            )
