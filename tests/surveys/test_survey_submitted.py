"""The `submitted_at` column: answers from outside the wave are rejected at their row, and what
is not clearly a date (Excel serial numbers, day/month text) is refused, never converted.

The wave is 2026-Q3, closing 2026-09-30 (so it runs to 2026-09-30T23:59:59 UTC). Rows are the
base export's respondents, rows 2-5; times[n] is row n + 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from survey_files import (
    IN_WAVE,
    MAPPING,
    SUBMITTED_MAPPING,
    csv_bytes,
    spec,
    submitted_csv,
    submitted_xlsx,
)

from connectors.surveys import read_survey

SUBMITTED = spec(mapping=SUBMITTED_MAPPING)


def problems_of(tmp_path: Path, name: str, data: bytes, survey=SUBMITTED):
    path = tmp_path / name
    path.write_bytes(data)
    wave, answers, problems = read_survey(path, survey)
    if problems:
        assert answers == [] and wave.respondents == 0
    return problems


def test_answers_inside_the_wave_load_and_say_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_bytes(submitted_csv(IN_WAVE))
    wave, answers, problems = read_survey(path, SUBMITTED)
    assert problems == []
    assert wave.respondents == 4 and len(answers) == 24


def test_a_late_answer_is_rejected_with_its_row(tmp_path: Path) -> None:
    times = [IN_WAVE[0], IN_WAVE[1], "2026-10-02T09:15:00Z", IN_WAVE[3]]
    [problem] = problems_of(tmp_path, "late.csv", submitted_csv(times))
    assert (problem.row, problem.column, problem.value) == (4, "Submitted", "2026-10-02T09:15:00Z")
    assert str(problem).startswith(
        "late.csv, row 4, column 'Submitted': submitted 2026-10-02 09:15 UTC, after wave "
        "'2026-Q3' closed (end of 2026-09-30, UTC)"
    )
    assert "up to the end of 2026-09-30 (UTC)" in (problem.allowed or "")
    assert "correct the wave's dates under surveys.waves" in (problem.allowed or "")


def test_the_close_is_the_end_of_the_day_in_utc_and_offsets_count(tmp_path: Path) -> None:
    times = [
        "2026-09-30T23:59:59Z",  # the last second of the wave
        "2026-10-01T01:30:00+02:00",  # = 2026-09-30 23:30 UTC: inside
        "2026-09-30T22:30:00-02:00",  # = 2026-10-01 00:30 UTC: late, though dated the 30th
        "2026-09-30",  # a date alone: the closing day itself
    ]
    problems = problems_of(tmp_path, "offsets.csv", submitted_csv(times))
    assert [(p.row, p.message.split(",")[0]) for p in problems] == [
        (4, "submitted 2026-10-01 00:30 UTC")
    ]


def test_an_answer_before_the_opening_is_rejected(tmp_path: Path) -> None:
    times = [
        "2026-06-30T23:59:00Z",  # row 2: the evening before the opening
        "2026-07-01T00:00:00Z",  # row 3: the first second
        "2026-07-01T01:00:00+02:00",  # row 4: = 2026-06-30 23:00 UTC
        IN_WAVE[3],
    ]
    survey = spec(mapping=SUBMITTED_MAPPING, opens_on=dt.date(2026, 7, 1))
    problems = problems_of(tmp_path, "early.csv", submitted_csv(times), survey)
    assert [p.row for p in problems] == [2, 4]
    assert all("before wave '2026-Q3' opened (2026-07-01, UTC)" in p.message for p in problems)
    assert "from the start of 2026-07-01 to the end of 2026-09-30 (UTC)" in problems[0].allowed


def test_an_excel_serial_date_in_a_csv_is_refused_with_row_and_column(tmp_path: Path) -> None:
    # 45567 days after Excel's day 0 (1899-12-30) is 2024-10-02: 45292 is 2024-01-01, and 275
    # more days (Jan-Sep 2024 have 274) give 2 October.
    times = ["45567", IN_WAVE[1], "45567.5", IN_WAVE[3]]
    problems = problems_of(tmp_path, "serial.csv", submitted_csv(times))
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Submitted", "45567"),
        (4, "Submitted", "45567.5"),
    ]
    for problem in problems:
        assert "a number where a date is expected (an Excel serial date?)" in problem.message
        assert "it would be 2024-10-02, but it is not converted" in problem.message
        assert "ISO-8601" in (problem.allowed or "")
    assert str(problems[0]).startswith("serial.csv, row 2, column 'Submitted': a number")


def test_dates_that_are_not_iso_or_are_missing_are_refused(tmp_path: Path) -> None:
    times = ["30/09/2026", "", "Sept 30 2026", "2026-13-01"]
    problems = problems_of(tmp_path, "odd.csv", submitted_csv(times))
    assert [(p.row, p.message) for p in problems] == [
        (2, "not an ISO-8601 date or date and time (day/month order is not guessed)"),
        (3, "the submission time is missing"),
        (4, "not an ISO-8601 date or date and time (day/month order is not guessed)"),
        (5, "not an ISO-8601 date or date and time (day/month order is not guessed)"),
    ]


def test_xlsx_date_cells_are_read_and_number_cells_refused(tmp_path: Path) -> None:
    times = [
        dt.datetime(2026, 9, 30, 18, 0),  # row 2: a date-and-time cell, read as UTC
        dt.date(2026, 9, 2),  # row 3: a date cell
        45567,  # row 4: a number cell (the column lost its date format)
        dt.datetime(2026, 10, 1, 0, 0),  # row 5: midnight after the close: late
    ]
    problems = problems_of(tmp_path, "dates.xlsx", submitted_xlsx(times))
    assert [(p.row, p.column) for p in problems] == [(4, "Submitted"), (5, "Submitted")]
    assert "Excel serial date" in problems[0].message
    assert problems[1].message.startswith("submitted 2026-10-01 00:00 UTC, after wave")


def test_a_mapped_submitted_column_missing_from_the_file_is_reported(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "nocol.csv", csv_bytes())
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "Submitted", "the submitted_at column is missing from the header")
    ]


def test_without_a_submitted_mapping_the_column_must_be_ignored(tmp_path: Path) -> None:
    mapping = {**MAPPING, "ignore": [*MAPPING["ignore"], "Submitted"]}
    path = tmp_path / "ignored.csv"
    path.write_bytes(submitted_csv(["2030-01-01", "x", "", "45567"]))
    _, _, problems = read_survey(path, spec(mapping=mapping))
    assert problems == []  # not read at all: the mapping says so


def test_a_wave_opening_after_it_closes_is_refused(tmp_path: Path) -> None:
    survey = spec(mapping=SUBMITTED_MAPPING, opens_on=dt.date(2026, 10, 1))
    problems = problems_of(tmp_path, "dates.csv", submitted_csv(IN_WAVE), survey)
    assert any(p.message == "wave '2026-Q3' opens after it closes" for p in problems)
