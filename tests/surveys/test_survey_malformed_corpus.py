"""Every malformed export is reported at its place, and loads nothing: the warehouse file (which
already holds a good version of the same wave) is byte-for-byte unchanged afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from survey_corpus import CASES, Case, csv_with
from survey_files import SALT_ENV, csv_bytes, spec
from survey_warehouse import fetch, file_digest, import_file

from connectors.surveys import WESTRUM, read_survey, spreadsheet_safe, survey_items
from pipelines.surveys.loading import SurveyLoadError, write_survey_wave
from warehouse.connection import connect


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """A warehouse holding the valid base export as wave 2026-Q3 (4 respondents)."""
    folder = tmp_path_factory.mktemp("loaded")
    db = folder / "warehouse.duckdb"
    shutil.copyfile(migrated_template, db)
    export = folder / "base.csv"
    export.write_bytes(csv_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SALT_ENV, "template-salt-0123456789")
        assert import_file(db, export, spec()) == ("inserted", [])
    return db


def test_corpus_is_large_and_named_uniquely() -> None:
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_malformed_file_is_reported_and_loads_nothing(
    case: Case, tmp_path: Path, loaded_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(loaded_template, db)
    export = tmp_path / case.filename
    export.write_bytes(case.content)
    if case.unset_salt:
        monkeypatch.delenv(SALT_ENV)
    before = file_digest(db)

    con = connect(db)
    try:
        wave, answers, problems = read_survey(export, spec(**case.spec_changes))
        # Even a caller that ignores the problems cannot load the file.
        with pytest.raises(SurveyLoadError, match="no answers"):
            write_survey_wave(con, wave, answers, survey_items(WESTRUM))
    finally:
        con.close()

    assert file_digest(db) == before
    assert fetch(db, "select count(*) from raw.survey_answers") == [(4 * 6,)]
    expected = [
        p
        for p in problems
        if p.row == case.row and p.column == case.column and case.fragment in p.message
    ]
    assert expected, (
        f"no problem at row {case.row}, column {case.column} with "
        f"{case.fragment!r}; got:\n" + "\n".join(map(str, problems))
    )
    shown_file = spreadsheet_safe(case.filename)  # "=cmd.csv" is shown as "'=cmd.csv"
    assert all(p.file == shown_file for p in problems)
    place = str(expected[0])
    assert place.startswith(shown_file)
    if case.row is not None:
        assert f"row {case.row}" in place


def test_formula_like_cells_are_neutralized_in_problems(tmp_path: Path) -> None:
    """Cells starting with = + - @ come back with a leading apostrophe, in every field."""
    by_name = {case.name: case for case in CASES}
    for name, shown in [
        ("formula_text_answer", "'=1+1"),
        ("at_sign_answer", "'@SUM(A1:A9)"),
        ("formula_team", '\'=HYPERLINK("http://x.example","web")'),
    ]:
        export = tmp_path / by_name[name].filename
        export.write_bytes(by_name[name].content)
        _, _, problems = read_survey(export, spec())
        assert [p.value for p in problems] == [shown]
        assert not str(problems[0]).startswith(("=", "+", "-", "@"))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    """Three defects in three rows: all three come back, in row order."""
    export = tmp_path / "three.csv"
    export.write_bytes(csv_with({(2, 3): "nope", (4, 5): "8", (5, 0): "R_alpha"}))
    _, answers, problems = read_survey(export, spec())
    assert [(p.row, p.column) for p in problems] == [(2, "Team"), (4, "WES2"), (5, "Response ID")]
    assert answers == []
