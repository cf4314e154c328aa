"""The table a survey export is read into, before any cell is judged.

Row numbers are the ones a spreadsheet shows: the header is row 1. Cells that reading already
reported (undecodable bytes, formulas, merged cells) are listed in `RawTable.reported` so that
validation does not judge them a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.surveys.problems import SurveyProblem


@dataclass(frozen=True)
class RawRow:
    """One non-blank data row; `number` is its spreadsheet row (for CSV: its first line)."""

    number: int
    cells: tuple[object, ...]


@dataclass
class RawTable:
    """The header and the non-blank data rows of the file's first table.

    CSV cells are str; XLSX cells keep their type (str, int, float, datetime, bool, None).
    """

    file: str
    header: tuple[str, ...] = ()
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
