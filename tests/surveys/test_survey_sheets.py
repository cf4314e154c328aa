"""Which worksheet is read: the configured one, else the only one; never a guess.

The workbooks are the base export (survey_files.py) on a sheet named "Responses", with a pilot
sheet of two other respondents put in front of it (the incident: a hidden pilot sheet was read
instead of the wave) or a second visible copy beside it.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from survey_files import EXPECTED_CODES, HEADER, SALT, csv_bytes, spec, xlsx_bytes

from connectors.surveys import read_survey

PILOT_ROWS = [
    ["P_one", "Pilot One", "p1@acme.example", "web", 1, 1, 1, 1, 1, 1, "pilot"],
    ["P_two", "Pilot Two", "p2@acme.example", "web", 2, 2, 2, 2, 2, 2, "pilot"],
]


def workbook(tmp_path: Path, *, pilot: str | None = None, copy: bool = False) -> Path:
    """The base export on sheet "Responses"; `pilot` = "hidden" or "visible" puts a pilot
    sheet first; `copy` adds a second visible sheet with the same rows."""

    def edit(sheet) -> None:
        sheet.title = "Responses"
        book = sheet.parent
        if pilot is not None:
            extra = book.create_sheet("Pilot", 0)
            extra.append(HEADER)
            for row in PILOT_ROWS:
                extra.append(row)
            extra.sheet_state = pilot
            book.active = 1  # Excel keeps the active sheet visible
        if copy:
            book.copy_worksheet(sheet).title = "Responses (2)"

    path = tmp_path / "wave.xlsx"
    path.write_bytes(xlsx_bytes(edit=edit))
    return path


def hand_coded() -> set[tuple[str, str, str, int | None]]:
    rows = set()
    for raw_id, (team, codes) in EXPECTED_CODES.items():
        key = hmac.new(SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()
        rows |= {(team, key, f"westrum_{n}", code) for n, code in enumerate(codes, start=1)}
    return rows


def test_a_hidden_pilot_sheet_is_refused_and_every_sheet_is_named(tmp_path: Path) -> None:
    wave, answers, problems = read_survey(workbook(tmp_path, pilot="hidden"), spec())
    assert answers == [] and wave.respondents == 0
    [problem] = problems
    text = str(problem)
    assert text.startswith("wave.xlsx: the workbook has hidden sheet(s) 'Pilot'")
    assert "(sheets: 'Pilot' (hidden), 'Responses')" in text
    assert "no sheet is guessed" in text
    assert "`sheet: <name>` on the file's entry under surveys.files" in text


def test_two_visible_data_sheets_are_refused(tmp_path: Path) -> None:
    _, answers, problems = read_survey(workbook(tmp_path, copy=True), spec())
    assert answers == []
    [problem] = problems
    assert "several sheets with data ('Responses', 'Responses (2)')" in problem.message
    assert "no sheet is guessed" in problem.message
    assert "`sheet: <name>`" in (problem.allowed or "")


def test_a_visible_pilot_sheet_in_front_is_refused_too(tmp_path: Path) -> None:
    _, _, problems = read_survey(workbook(tmp_path, pilot="visible"), spec())
    assert ["several sheets with data ('Pilot', 'Responses')" in p.message for p in problems] == [
        True
    ]


def test_the_configured_sheet_is_read_even_behind_a_hidden_pilot(tmp_path: Path) -> None:
    path = workbook(tmp_path, pilot="hidden")
    for name in ("Responses", "responses"):  # Excel's sheet names ignore case, so does `sheet:`
        wave, answers, problems = read_survey(path, spec(sheet=name))
        assert problems == []
        assert wave.respondents == 4  # the wave's four respondents, not the two pilots
        assert {(a.team, a.respondent_key, a.item_id, a.answer) for a in answers} == hand_coded()


def test_the_configured_sheet_may_be_the_hidden_one(tmp_path: Path) -> None:
    wave, answers, problems = read_survey(workbook(tmp_path, pilot="hidden"), spec(sheet="Pilot"))
    assert problems == []
    assert wave.respondents == 2
    assert {a.answer for a in answers} == {1, 2}


def test_a_configured_sheet_that_does_not_exist_names_the_available_sheets(
    tmp_path: Path,
) -> None:
    _, answers, problems = read_survey(workbook(tmp_path, pilot="hidden"), spec(sheet="Answers"))
    assert answers == []
    [problem] = problems
    assert problem.message == "the workbook has no sheet 'Answers' (configured as `sheet:`)"
    assert problem.allowed == (
        "one of its sheets: 'Pilot' (hidden), 'Responses'; fix `sheet:` under surveys.files"
    )


def test_an_empty_second_sheet_is_no_candidate(tmp_path: Path) -> None:
    path = tmp_path / "wave.xlsx"
    path.write_bytes(xlsx_bytes(edit=lambda sheet: sheet.parent.create_sheet("Sheet2")))
    wave, _, problems = read_survey(path, spec())
    assert problems == []
    assert wave.respondents == 4


def test_a_sheet_configured_for_a_csv_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(csv_bytes())
    _, answers, problems = read_survey(path, spec(sheet="Responses"))
    assert answers == []
    assert [p.message for p in problems] == [
        "`sheet: Responses` is configured, but a CSV file has no sheets"
    ]
