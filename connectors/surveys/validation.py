"""Judge every cell and the wave as a whole, collecting ALL problems rather than stopping early.

Rules (each broken rule is one `SurveyProblem` naming file, row and column):
- team: present, and one of the configured teams (matched ignoring case and spaces; stored in
  the configured spelling);
- respondent id (if the mapping has one): present and unique in the file; ids are never echoed;
- answers: see `answers.py`;
- submission time (if the mapping has a `submitted_at` column): a date or time inside the wave,
  see `submitted.py`; an answer from before the wave opened or after it closed is refused;
- wave: a name, a close date not after today (an open wave is imported after it closes), and an
  opening date (if any) not after the close date;
- texts that are stored (wave name, file name) must not start like a formula (= + - @).
Cells already reported while reading (formulas, merged or undecodable cells) are not judged again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from connectors.surveys.answers import AnswerRejected, answer_code
from connectors.surveys.header import ResolvedColumns
from connectors.surveys.instruments import Instrument, normalize_label
from connectors.surveys.problems import SurveyProblem, looks_like_formula, shown_value
from connectors.surveys.submitted import SubmittedRejected, WaveWindow, submission_time
from connectors.surveys.table import RawRow, RawTable

__all__ = ["SurveyProblem", "ValidRow", "check_wave", "validate_rows"]

MAX_WAVE_NAME = 64


@dataclass(frozen=True)
class ValidRow:
    """One respondent's row after validation: team in configured spelling, answers by item id."""

    number: int
    team: str
    respondent_id: str | None
    answers: dict[str, int | None]


def check_wave(
    file: str, wave: str, closes_on: dt.date, today: dt.date, opens_on: dt.date | None = None
) -> list[SurveyProblem]:
    """File-level problems: the wave's name and dates, and the file name (both are stored)."""
    problems = []
    if not wave.strip() or len(wave) > MAX_WAVE_NAME or looks_like_formula(wave):
        problems.append(
            SurveyProblem(
                file,
                None,
                None,
                shown_value(wave),
                "unusable wave name",
                f"1-{MAX_WAVE_NAME} characters, not starting with = + - @",
            )
        )
    if looks_like_formula(file):
        problems.append(
            SurveyProblem(
                file,
                None,
                None,
                None,
                "the file name starts like a spreadsheet formula and would be stored as such",
                "a file name not starting with = + - @",
            )
        )
    if closes_on > today:
        problems.append(
            SurveyProblem(
                file,
                None,
                None,
                closes_on.isoformat(),
                f"the wave closes after today ({today.isoformat()}); answers may still change",
                "a close date on or before today: import the wave once it has closed",
            )
        )
    if opens_on is not None and opens_on > closes_on:
        problems.append(
            SurveyProblem(
                file,
                None,
                None,
                f"opens {opens_on.isoformat()}, closes {closes_on.isoformat()}",
                f"wave '{wave}' opens after it closes",
                "an opening date on or before the close date under surveys.waves",
            )
        )
    return problems


def validate_rows(
    table: RawTable,
    columns: ResolvedColumns,
    instrument: Instrument,
    known_teams: Collection[str],
    window: WaveWindow | None = None,
) -> list[ValidRow]:
    """Rows that passed every rule; problems of the others are appended to `table.problems`.
    `window` is the wave's dates, needed when the mapping has a `submitted_at` column."""
    if not table.rows:
        if any(p.row is not None and p.row > table.header_row for p in table.problems):
            return []  # every row was already rejected while reading
        table.problem(
            None,
            None,
            "the file has a header but no respondent rows",
            allowed="one row per respondent below the header",
        )
        return []
    teams = {normalize_label(team): team for team in known_teams}
    allowed_teams = ", ".join(sorted(known_teams)) or "(no teams are configured)"
    first_row_of_id: dict[str, int] = {}
    valid = []
    for row in table.rows:
        before = len(table.problems)
        team = _team(table, row, columns.team, teams, allowed_teams)
        respondent = _respondent_id(table, row, columns.respondent_id, first_row_of_id)
        if columns.submitted_at is not None and window is not None:
            _submitted(table, row, columns.submitted_at, window)
        answers = {}
        for item_id, index in columns.items.items():
            try:
                answers[item_id] = answer_code(_cell(row, index), instrument.scale)
            except AnswerRejected as exc:
                if (row.number, index) not in table.reported:
                    table.problem(
                        row.number,
                        index,
                        str(exc),
                        value=shown_value(row.cells[index]),
                        allowed=instrument.scale.describe_allowed(),
                    )
        if len(table.problems) == before and team is not None:
            valid.append(ValidRow(row.number, team, respondent, answers))
    return valid


def _cell(row: RawRow, index: int) -> object:
    return row.cells[index] if index < len(row.cells) else None


def _text(value: object) -> str:
    """Cell as text; whole XLSX floats (1001.0) as "1001" so ids and names compare as typed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _team(
    table: RawTable, row: RawRow, index: int | None, teams: dict[str, str], allowed: str
) -> str | None:
    if index is None or (row.number, index) in table.reported:
        return None
    text = _text(_cell(row, index))
    if not text:
        table.problem(row.number, index, "the team is missing", allowed=allowed)
        return None
    team = teams.get(normalize_label(text))
    if team is None:
        table.problem(
            row.number, index, "not a configured team", value=shown_value(text), allowed=allowed
        )
    return team


def _respondent_id(
    table: RawTable, row: RawRow, index: int | None, first_row_of_id: dict[str, int]
) -> str | None:
    if index is None or (row.number, index) in table.reported:
        return None
    text = _text(_cell(row, index))
    if not text:
        table.problem(
            row.number,
            index,
            "the respondent id is missing",
            allowed="a unique id per respondent (ids are never shown or stored)",
        )
        return None
    first = first_row_of_id.setdefault(text, row.number)
    if first != row.number:
        table.problem(
            row.number,
            index,
            f"the same respondent id as row {first} (ids are not shown)",
            allowed="each respondent once per file",
        )
    return text


def _submitted(table: RawTable, row: RawRow, index: int, window: WaveWindow) -> None:
    if (row.number, index) in table.reported:
        return
    value = _cell(row, index)
    try:
        when = submission_time(value)
    except SubmittedRejected as exc:
        table.problem(
            row.number,
            index,
            str(exc),
            value=None if value in (None, "") else shown_value(value),
            allowed="a date or date and time in ISO-8601 (e.g. 2026-09-30 or "
            "2026-09-30T14:05:00+02:00; no offset = UTC), or a date cell in XLSX",
        )
        return
    outside = window.outside(when)
    if outside is not None:
        table.problem(
            row.number,
            index,
            outside,
            value=shown_value(value),
            allowed=f"a submission time {window.describe()}; remove answers from outside the "
            "wave from the export, or correct the wave's dates under surveys.waves",
        )
