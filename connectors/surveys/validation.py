"""Judge every cell and the wave as a whole, collecting ALL problems rather than stopping early.

Rules (each broken rule is one `SurveyProblem` naming file, row and column):
- team: present, and one of the configured teams (matched ignoring case and spaces; stored in
  the configured spelling);
- respondent id (if the mapping has one): present and unique in the file; ids are never echoed;
- answers: see `answers.py`;
- wave: a name, and a close date not after today (an open wave is imported after it closes);
- texts that are stored (wave name, file name) must not start like a formula (= + - @).
Cells already reported while reading (formulas, merged or undecodable cells) are not judged again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from connectors.surveys.answers import AnswerRejected, answer_code
from connectors.surveys.instruments import Instrument, normalize_label
from connectors.surveys.mapping import ResolvedColumns
from connectors.surveys.problems import SurveyProblem, looks_like_formula, shown_value
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


def check_wave(file: str, wave: str, closes_on: dt.date, today: dt.date) -> list[SurveyProblem]:
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
    return problems


def validate_rows(
    table: RawTable, columns: ResolvedColumns, instrument: Instrument, known_teams: Collection[str]
) -> list[ValidRow]:
    """Rows that passed every rule; problems of the others are appended to `table.problems`."""
    if not table.rows:
        if any(p.row is not None and p.row > 1 for p in table.problems):
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
