"""Loading waves: inserted once, a re-import of the same file is a no-op, a changed file replaces
its wave (and only it), any failure rolls back, and a changed instrument is refused."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from pathlib import Path

import pytest
from survey_files import EXPECTED_CODES, SALT, csv_bytes, rows_copy, spec
from survey_warehouse import fetch, file_digest, import_file

from connectors.surveys import AGREE_5, WESTRUM, Instrument, SurveyAnswer, read_survey, survey_items
from pipelines.surveys.loading import SurveyLoadError, write_survey_wave
from warehouse.connection import connect


def key(raw_id: str) -> str:
    return hmac.new(SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_stores_wave_answers_and_items(tmp_path: Path, warehouse_file: Path) -> None:
    export = write(tmp_path, "base.csv", csv_bytes())
    assert import_file(warehouse_file, export, spec()) == ("inserted", [])
    waves = fetch(
        warehouse_file,
        "select wave, instrument, closes_on::varchar, source_file, "
        "file_sha256, respondents, scale_points from raw.survey_waves",
    )
    assert waves == [
        (
            "2026-Q3",
            "westrum",
            "2026-09-30",
            "base.csv",
            hashlib.sha256(csv_bytes()).hexdigest(),
            4,
            7,
        )
    ]
    stored = fetch(
        warehouse_file, "select team, respondent_key, item_id, answer from raw.survey_answers"
    )
    expected = [
        (team, key(raw_id), f"westrum_{n}", code)
        for raw_id, (team, codes) in EXPECTED_CODES.items()
        for n, code in enumerate(codes, start=1)
    ]
    assert sorted(stored, key=str) == sorted(expected, key=str)
    items = fetch(
        warehouse_file,
        "select item_id, position, scale_points, reverse_scored, "
        "scale_labels[1], scale_labels[7] from meta.survey_items order by position",
    )
    assert items[0] == ("westrum_1", 1, 7, False, "Strongly disagree", "Strongly agree")
    assert len(items) == 6


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, warehouse_file: Path) -> None:
    export = write(tmp_path, "base.csv", csv_bytes())
    import_file(warehouse_file, export, spec())
    before = file_digest(warehouse_file)
    assert import_file(warehouse_file, export, spec()) == ("unchanged", [])
    assert file_digest(warehouse_file) == before


def test_a_changed_file_replaces_only_its_wave(tmp_path: Path, warehouse_file: Path) -> None:
    export = write(tmp_path, "base.csv", csv_bytes())
    import_file(warehouse_file, export, spec(wave="2026-Q2"))
    import_file(warehouse_file, export, spec(wave="2026-Q3"))
    rows = rows_copy()[:3]  # R_delta withdrew
    rows[0][4] = "1"  # R_alpha changed WES1 from 5 to 1
    changed = write(tmp_path, "base-v2.csv", csv_bytes(rows=rows))
    assert import_file(warehouse_file, changed, spec(wave="2026-Q3")) == ("replaced", [])

    counts = fetch(
        warehouse_file,
        "select wave, count(*), count(distinct respondent_key) "
        "from raw.survey_answers group by wave order by wave",
    )
    assert counts == [("2026-Q2", 24, 4), ("2026-Q3", 18, 3)]
    assert fetch(
        warehouse_file,
        "select answer from raw.survey_answers where wave = '2026-Q3' "
        "and respondent_key = ? and item_id = 'westrum_1'",
        [key("R_alpha")],
    ) == [(1,)]
    assert fetch(
        warehouse_file,
        "select count(*) from raw.survey_answers where wave = '2026-Q3' and respondent_key = ?",
        [key("R_delta")],
    ) == [(0,)]
    assert fetch(
        warehouse_file,
        "select source_file, respondents from raw.survey_waves where wave = '2026-Q3'",
    ) == [("base-v2.csv", 3)]


def test_a_failing_load_rolls_back_everything(tmp_path: Path, warehouse_file: Path) -> None:
    """A respondent answering the same item twice violates the key midway through the inserts
    (after the old wave was deleted): nothing of it may stay, the old wave must survive."""
    export = write(tmp_path, "base.csv", csv_bytes())
    import_file(warehouse_file, export, spec())
    before = file_digest(warehouse_file)
    wave, answers, _ = read_survey(export, spec())
    clash = [*answers, dataclasses.replace(answers[0], answer=1)]
    wave = dataclasses.replace(wave, file_sha256="0" * 64)
    con = connect(warehouse_file)
    try:
        with pytest.raises(SurveyLoadError, match="rolled back"):
            write_survey_wave(con, wave, clash, survey_items(WESTRUM))
    finally:
        con.close()
    assert file_digest(warehouse_file) == before
    assert fetch(warehouse_file, "select count(*) from raw.survey_answers") == [(24,)]


def test_a_changed_instrument_definition_is_refused(tmp_path: Path, warehouse_file: Path) -> None:
    export = write(tmp_path, "base.csv", csv_bytes())
    import_file(warehouse_file, export, spec(wave="2026-Q2"))
    before = file_digest(warehouse_file)
    five_point = Instrument("westrum", "Westrum on 5 points", WESTRUM.items, AGREE_5)
    answers = [
        SurveyAnswer("2026-Q3", "westrum", "web", "k", item_id, 3)
        for item_id in five_point.item_ids
    ]
    wave, _, _ = read_survey(export, spec(wave="2026-Q3"))
    wave = dataclasses.replace(wave, respondents=1, scale_points=5)
    con = connect(warehouse_file)
    try:
        with pytest.raises(SurveyLoadError, match="declare the changed questionnaire"):
            write_survey_wave(con, wave, answers, survey_items(five_point))
    finally:
        con.close()
    assert file_digest(warehouse_file) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: dataclasses.replace(a, answer=9), "outside 1-7"),
        (lambda a: dataclasses.replace(a, team="=cmd|' /C calc'!A0"), "spreadsheet formula"),
        (lambda a: dataclasses.replace(a, wave="2026-Q1"), "another wave"),
        (lambda a: dataclasses.replace(a, item_id="westrum_9"), "another wave, instrument or item"),
    ],
)
def test_inconsistent_records_are_refused_before_writing(
    tmp_path: Path, warehouse_file: Path, change, message: str
) -> None:
    export = write(tmp_path, "base.csv", csv_bytes())
    wave, answers, _ = read_survey(export, spec())
    before = file_digest(warehouse_file)
    con = connect(warehouse_file)
    try:
        with pytest.raises(SurveyLoadError, match=message):
            write_survey_wave(con, wave, [change(answers[0]), *answers[1:]], survey_items(WESTRUM))
    finally:
        con.close()
    assert file_digest(warehouse_file) == before


def test_every_survey_table_and_column_has_a_comment(warehouse_file: Path) -> None:
    tables = fetch(
        warehouse_file,
        "select schema_name || '.' || table_name, comment "
        "from duckdb_tables() where table_name like 'survey_%'",
    )
    assert sorted(name for name, _ in tables) == [
        "meta.survey_items",
        "raw.survey_answers",
        "raw.survey_waves",
    ]
    assert all(comment for _, comment in tables)
    missing = fetch(
        warehouse_file,
        "select table_name, column_name from duckdb_columns() "
        "where table_name like 'survey_%' and (comment is null or comment = '')",
    )
    assert missing == []
