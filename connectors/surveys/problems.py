"""One problem found in a survey export, and the rule that keeps cell text inert.

A problem names its place the way a person opening the file sees it: the file, the row number as
a spreadsheet shows it (the header is row 1, the first respondent row 2) and the column header.
Every text field is made spreadsheet-safe on construction, because problems are printed, logged
and may be pasted into or exported to a spreadsheet: a cell that starts with = + - @ (or a tab or
carriage return) would otherwise be executed there as a formula ("CSV injection").
"""

from __future__ import annotations

from dataclasses import dataclass, fields

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_SHOWN_CHARS = 80


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula (OWASP CSV-injection prefixes)."""
    return text.startswith(FORMULA_PREFIXES)


def spreadsheet_safe(text: str) -> str:
    """Return `text` with a leading apostrophe when it looks like a formula, else unchanged.

    The apostrophe is the spreadsheet convention for "this is text", so the value stays readable.
    """
    return "'" + text if looks_like_formula(text) else text


def shown_value(value: object) -> str:
    """A cell value as shown in a problem: spreadsheet-safe and at most MAX_SHOWN_CHARS long."""
    text = str(value)
    if len(text) > MAX_SHOWN_CHARS:
        text = text[: MAX_SHOWN_CHARS - 1] + "…"
    return spreadsheet_safe(text)


@dataclass(frozen=True)
class SurveyProblem:
    """Something that keeps a survey file from being loaded.

    row: spreadsheet row number (header = 1), None for file-level problems.
    column: the column header (or "column N" when the header cell is empty), None if not tied to
    one column. value: the offending cell as shown (None when the value must not be echoed, e.g.
    respondent ids, or when there is none). allowed: what would have been accepted.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    allowed: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            current = getattr(self, f.name)
            if isinstance(current, str):
                object.__setattr__(self, f.name, spreadsheet_safe(current))

    def place(self) -> str:
        """E.g. "wave1.csv, row 7, column 'PS3'"."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.place()}: {self.message}"
        if self.value is not None:
            text += f" (found: '{self.value}')"
        if self.allowed is not None:
            text += f"; allowed: {self.allowed}"
        return text
