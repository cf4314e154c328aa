"""The table a survey export is read into, before any cell is judged.

Row numbers are the ones a spreadsheet shows: for CSV the logical record (a quoted cell that
spans several lines is still one row; the header is row 1), for XLSX the sheet's row. Cells
that reading already reported (undecodable bytes, formulas, merged cells) are listed in
`RawTable.reported` so that validation does not judge them a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.surveys.problems import SurveyProblem


@dataclass(frozen=True)
class RawRow:
    """One non-blank data row; `number` is its spreadsheet row."""

    number: int
    cells: tuple[object, ...]


@dataclass
class RawTable:
    """The header and the non-blank data rows of the file (for XLSX: of the sheet read).

    CSV cells are str; XLSX cells keep their type (str, int, float, datetime, bool, None).
    `header_row` is the header's spreadsheet row (1 unless blank rows come first).
    """

    file: str
    header: tuple[str, ...] = ()
    header_row: int = 1
    rows: list[RawRow] = field(default_factory=list)
    problems: list[SurveyProblem] = field(default_factory=list)
    reported: set[tuple[int, int]] = field(default_factory=set)

    def problem(
        self,
        row: int | None,
        column: int | None,
        message: str,
        *,
        value: str | None = None,
        allowed: str | None = None,
    ) -> None:
        """Record a problem; `column` is a 0-based index into the header."""
        self.problems.append(
            SurveyProblem(self.file, row, self.column_name(column), value, message, allowed)
        )

    def column_name(self, index: int | None) -> str | None:
        if index is None:
            return None
        name = self.header[index] if index < len(self.header) else ""
        return name or f"column {index + 1}"
