"""The same four responses, exported in every supported shape, read to the same coded answers.

Expected codes are EXPECTED_CODES in survey_files.py, coded by hand from the labels; respondent
keys are recomputed here with hmac directly: HMAC-SHA256(salt, raw id).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from survey_files import EXPECTED_CODES, SALT, csv_bytes, spec, xlsx_bytes

from connectors.surveys import read_survey

UTF8_BOM = b"\xef\xbb\xbf"

VARIANTS = {
    "comma.csv": csv_bytes(),
    "semicolon_bom.csv": UTF8_BOM + csv_bytes(delimiter=";"),
    "tab.tsv": csv_bytes(delimiter="\t"),
    "tab_in_csv.csv": csv_bytes(delimiter="\t"),
    "unix_newlines.csv": csv_bytes().replace(b"\r\n", b"\n"),
    "trailing_blank_lines.csv": csv_bytes() + b"\r\n,,,,,,,,,,\r\n\r\n",
    "numbers_and_labels.xlsx": xlsx_bytes(),
}


def expected_answers() -> set[tuple[str, str, str, int | None]]:
    rows = set()
    for raw_id, (team, codes) in EXPECTED_CODES.items():
        key = hmac.new(SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()
        for n, code in enumerate(codes, start=1):
            rows.add((team, key, f"westrum_{n}", code))
    return rows


@pytest.mark.parametrize("name", VARIANTS)
def test_every_export_shape_gives_the_hand_coded_answers(name: str, tmp_path: Path) -> None:
    export = tmp_path / name
    export.write_bytes(VARIANTS[name])
    wave, answers, problems = read_survey(export, spec())
    assert problems == []
    assert {(a.team, a.respondent_key, a.item_id, a.answer) for a in answers} == expected_answers()
    assert len(answers) == 4 * 6
    assert {(a.wave, a.instrument) for a in answers} == {("2026-Q3", "westrum")}
    assert (wave.respondents, wave.source_file, wave.scale_points) == (4, name, 7)
    assert wave.file_sha256 == hashlib.sha256(VARIANTS[name]).hexdigest()


def test_without_an_id_column_keys_come_from_file_hash_and_row(tmp_path: Path) -> None:
    export = tmp_path / "anonymous.csv"
    export.write_bytes(csv_bytes())
    mapping = {
        "team": "Team",
        "items": {f"WES{n}": f"westrum_{n}" for n in range(1, 7)},
        "ignore": ["Response ID", "Name", "E-mail", "Comments"],
    }
    wave, answers, problems = read_survey(export, spec(mapping=mapping))
    assert problems == []
    # Rows 2..5 of the file, keyed as sha256("<file sha>:<row>").
    expected = {
        hashlib.sha256(f"{wave.file_sha256}:{row}".encode()).hexdigest() for row in range(2, 6)
    }
    assert {a.respondent_key for a in answers} == expected


def test_salt_changes_every_key(tmp_path: Path) -> None:
    export = tmp_path / "comma.csv"
    export.write_bytes(csv_bytes())
    _, first, _ = read_survey(export, spec(), environ={"CANDOR_SURVEY_SALT": "a" * 16})
    _, second, _ = read_survey(export, spec(), environ={"CANDOR_SURVEY_SALT": "b" * 16})
    assert {a.respondent_key for a in first}.isdisjoint({a.respondent_key for a in second})
