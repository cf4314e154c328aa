"""One export holding both scales (Westrum and psychological safety side by side) feeds both
instruments, and is accepted or rejected WHOLE: a defect in either instrument's columns keeps all
of it out, and the warehouse file stays byte-for-byte as it was.

The file is `combined_csv` (survey_files.py): the base respondents (rows 2-5) with their Westrum
answers (EXPECTED_CODES) and psychological-safety codes (PS_CODES).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from pathlib import Path

import pytest
from survey_files import (
    COMBINED_HEADER,
    EXPECTED_CODES,
    PS_CODES,
    SALT,
    SALT_ENV,
    combined_csv,
    combined_rows,
    combined_spec,
    csv_bytes,
)
from survey_warehouse import fetch, file_digest

from connectors.surveys import (
    AGREE_5,
    PSYCHOLOGICAL_SAFETY,
    WESTRUM,
    ColumnMapping,
    ExportRead,
    Instrument,
    InstrumentColumns,
    SurveyAnswer,
    SurveyWave,
    read_export,
    survey_items,
)
from pipelines.surveys.loading import (
    SurveyLoadError,
    WaveLoad,
    write_survey_wave,
    write_survey_waves,
)
from simulator.surveys import export_columns
from warehouse.connection import connect

INSTRUMENTS = {"westrum": WESTRUM, "psysafe": PSYCHOLOGICAL_SAFETY}
PS3, WES2 = 5 + 6 + 2, 5 + 1  # 0-based columns: after id, submitted, name, e-mail, team


def key(raw_id: str) -> str:
    return hmac.new(SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()


def read(tmp_path: Path, data: bytes, **changes) -> ExportRead:
    path = tmp_path / "2026-Q3.csv"
    path.write_bytes(data)
    return read_export(path, combined_spec(**changes))


def load(db: Path, result: ExportRead) -> list[str]:
    """Load what was read, the way the pipeline does: only a file without problems."""
    assert result.ok, result.problems
    con = connect(db)
    try:
        return write_survey_waves(
            con,
            [
                WaveLoad(r.wave, r.answers, survey_items(INSTRUMENTS[r.wave.instrument]))
                for r in result.records
            ],
        )
    finally:
        con.close()


def edited(cells: dict[tuple[int, int], object]) -> bytes:
    """combined_csv with cells replaced: keys are (spreadsheet row, 0-based column)."""
    rows = combined_rows()
    for (row, column), value in cells.items():
        rows[row - 2][column] = value
    return combined_csv(rows)


@pytest.fixture
def loaded(tmp_path: Path, warehouse_file: Path) -> Path:
    """The warehouse with a good combined export of 2026-Q3 already in (R_delta's WES1 = 6)."""
    first = read(tmp_path, edited({(5, 5): "6"}))
    assert load(warehouse_file, first) == ["inserted", "inserted"]
    return warehouse_file


def test_one_file_loads_both_instruments(tmp_path: Path, warehouse_file: Path) -> None:
    result = read(tmp_path, combined_csv())
    assert result.problems == []
    westrum, psysafe = result.records
    assert (westrum.wave.instrument, psysafe.wave.instrument) == ("westrum", "psysafe")
    assert westrum.wave.file_sha256 == psysafe.wave.file_sha256 == result.file_sha256
    assert {(a.team, a.respondent_key, a.item_id, a.answer) for a in westrum.answers} == {
        (team, key(raw_id), f"westrum_{n}", code)
        for raw_id, (team, codes) in EXPECTED_CODES.items()
        for n, code in enumerate(codes, start=1)
    }
    assert {(a.respondent_key, a.item_id, a.answer) for a in psysafe.answers} == {
        (key(raw_id), f"psysafe_{n}", code)
        for raw_id, codes in PS_CODES.items()
        for n, code in enumerate(codes, start=1)
    }

    assert load(warehouse_file, result) == ["inserted", "inserted"]
    assert fetch(
        warehouse_file,
        "select instrument, respondents, source_file from raw.survey_waves order by instrument",
    ) == [("psysafe", 4, "2026-Q3.csv"), ("westrum", 4, "2026-Q3.csv")]
    assert fetch(
        warehouse_file,
        "select instrument, count(*) from raw.survey_answers group by 1 order by 1",
    ) == [("psysafe", 4 * 7), ("westrum", 4 * 6)]
    assert load(warehouse_file, result) == ["unchanged", "unchanged"]


def test_a_defect_in_one_instrument_rejects_the_whole_file(tmp_path: Path, loaded: Path) -> None:
    """Row 3's PS3 is 9, off the 7-point scale: the Westrum half is clean, but nothing of the
    file loads, and the previous version of both instruments stays byte-for-byte."""
    before = file_digest(loaded)
    result = read(tmp_path, edited({(3, PS3): "9"}))
    assert [(p.row, p.column) for p in result.problems] == [(3, "PS3")]
    assert str(result.problems[0]).startswith(
        "2026-Q3.csv, row 3, column 'PS3': outside the 7-point scale"
    )
    assert [r.answers for r in result.records] == [[], []]  # Westrum's half is not offered
    assert [r.wave.respondents for r in result.records] == [0, 0]
    con = connect(loaded)
    try:
        with pytest.raises(SurveyLoadError, match="no answers"):  # even if a caller tried
            write_survey_waves(
                con,
                [WaveLoad(r.wave, r.answers, survey_items(WESTRUM)) for r in result.records[:1]],
            )
    finally:
        con.close()
    assert file_digest(loaded) == before
    previous = fetch(
        loaded,
        "select answer from raw.survey_answers where item_id = 'westrum_1' and respondent_key = ?",
        [key("R_delta")],
    )
    assert previous == [(6,)]  # R_delta's answer in the version loaded before


def test_a_missing_column_of_one_instrument_rejects_the_whole_file(tmp_path: Path) -> None:
    drop = COMBINED_HEADER.index("PS7")
    header = [h for i, h in enumerate(COMBINED_HEADER) if i != drop]
    rows = [[c for i, c in enumerate(row) if i != drop] for row in combined_rows()]
    result = read(tmp_path, csv_bytes(header, rows))
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "PS7", "the item psysafe_7 column is missing from the header")
    ]
    assert all(r.answers == [] for r in result.records)


def test_every_instrument_reports_its_own_defects_and_shared_ones_once(tmp_path: Path) -> None:
    """Row 2 has no team (a column both instruments read: reported once), row 4 a bad WES2 and
    row 5 a bad PS3: one problem each, in row order."""
    result = read(tmp_path, edited({(2, 4): "", (4, WES2): "0", (5, PS3): "Totally"}))
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "Team"),
        (4, "WES2"),
        (5, "PS3"),
    ]


def test_no_instrument_needs_to_ignore_the_others_items(tmp_path: Path) -> None:
    """Westrum's mapping doesn't list PS1-PS7: they belong to psysafe. A column neither
    mapping accounts for is still a problem, reported once."""
    rows = [[*row, "Risk"] for row in combined_rows()]
    result = read(tmp_path, csv_bytes([*COMBINED_HEADER, "Department"], rows))
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "Department", "this column is not in the column mapping")
    ]


def test_a_column_mapped_as_an_item_of_two_instruments_is_refused(tmp_path: Path) -> None:
    psysafe = export_columns(PSYCHOLOGICAL_SAFETY)
    psysafe["items"] = {"WES1" if c == "PS1" else c: i for c, i in psysafe["items"].items()}
    psysafe["ignore"] = [*psysafe["ignore"], "PS1"]
    parts = (
        InstrumentColumns(WESTRUM, ColumnMapping.from_config(export_columns(WESTRUM))),
        InstrumentColumns(PSYCHOLOGICAL_SAFETY, ColumnMapping.from_config(psysafe)),
    )
    result = read(tmp_path, combined_csv(), instruments=parts)
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "WES1", "this column is an item of several instruments (westrum, psysafe)")
    ]


def test_a_load_failure_in_the_second_instrument_rolls_back_the_first(
    tmp_path: Path, warehouse_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """psysafe is loaded for 2026-Q2 on 5 points; the combined 2026-Q3 file declares it on 7:
    the warehouse refuses the changed questionnaire, and Westrum, written first in the same
    transaction, is rolled back with it."""
    five_point = Instrument("psysafe", "Safety on 5 points", PSYCHOLOGICAL_SAFETY.items, AGREE_5)
    old = SurveyWave("2026-Q2", "psysafe", combined_spec().closes_on, "q2.csv", "1" * 64, 1, 5)
    con = connect(warehouse_file)
    try:
        write_survey_wave(
            con,
            old,
            [SurveyAnswer("2026-Q2", "psysafe", "web", "k", i, 3) for i in five_point.item_ids],
            survey_items(five_point),
        )
    finally:
        con.close()
    before = file_digest(warehouse_file)
    result = read(tmp_path, combined_csv())
    with pytest.raises(SurveyLoadError, match="declare the changed questionnaire"):
        load(warehouse_file, result)
    assert file_digest(warehouse_file) == before
    assert fetch(warehouse_file, "select count(*) from raw.survey_waves") == [(1,)]


def test_the_same_instrument_twice_in_one_export_is_refused() -> None:
    part = InstrumentColumns(WESTRUM, ColumnMapping.from_config(export_columns(WESTRUM)))
    with pytest.raises(ValueError, match="one or more different instruments"):
        combined_spec(instruments=(part, part))


def test_without_ids_both_instruments_share_the_rows_key(tmp_path: Path) -> None:
    """No respondent id column (and no salt): a respondent's key comes from the file and the
    row, the same for both instruments of the file."""
    parts = []
    for instrument in (WESTRUM, PSYCHOLOGICAL_SAFETY):
        mapping = export_columns(instrument)
        mapping["ignore"] = [mapping.pop("respondent_id"), *mapping["ignore"]]
        parts.append(InstrumentColumns(instrument, ColumnMapping.from_config(mapping)))
    path = tmp_path / "anonymous.csv"
    path.write_bytes(combined_csv())
    result = read_export(path, combined_spec(instruments=tuple(parts)), environ={})
    assert result.problems == []
    westrum, psysafe = ({a.respondent_key for a in r.answers} for r in result.records)
    assert westrum == psysafe and len(westrum) == 4


def test_the_salt_is_needed_once_per_file(tmp_path: Path) -> None:
    path = tmp_path / "nosalt.csv"
    path.write_bytes(combined_csv())
    result = read_export(path, combined_spec(), environ={})
    assert [(p.column, SALT_ENV in p.message) for p in result.problems] == [("Response ID", True)]


def test_records_keep_the_spec_order(tmp_path: Path) -> None:
    spec = combined_spec()
    reversed_spec = dataclasses.replace(spec, instruments=spec.instruments[::-1])
    path = tmp_path / "wave.csv"
    path.write_bytes(combined_csv())
    result = read_export(path, reversed_spec)
    assert [r.wave.instrument for r in result.records] == ["psysafe", "westrum"]
