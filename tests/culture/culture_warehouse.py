"""Survey tables in a DuckDB warehouse file, and helpers to fill them.

The tables come from the project's own migrations (warehouse/migrations; 002 is the survey
import's), so these tests break when the import's contract changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

MIGRATIONS = Path(__file__).resolve().parents[2] / "warehouse" / "migrations"

# Ids as the survey import declares them (connectors/surveys/instruments.py): Westrum variant B
# (6 items) and Edmondson's psychological safety (7 items; 1, 3 and 5 reverse-scored), 7 points.
WESTRUM_ITEMS = [(f"westrum_{i}", False) for i in range(1, 7)]
PSYSAFE_ITEMS = [(f"psysafe_{i}", i in (1, 3, 5)) for i in range(1, 8)]


def apply_survey_schema(con: duckdb.DuckDBPyConnection) -> None:
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        con.execute(migration.read_text())


def declare_items(
    con: duckdb.DuckDBPyConnection,
    instrument: str,
    items: Sequence[tuple[str, bool]],
    scale_points: int = 7,
) -> None:
    labels = [f"code {code}" for code in range(1, scale_points + 1)]
    con.executemany(
        "insert into meta.survey_items (instrument, item_id, position, text, scale_points, "
        "reverse_scored, scale_labels) values (?, ?, ?, ?, ?, ?, ?)",
        [
            (instrument, item_id, position, f"item {item_id}", scale_points, reverse, labels)
            for position, (item_id, reverse) in enumerate(items, start=1)
        ],
    )


def declare_wave(
    con: duckdb.DuckDBPyConnection, wave: str, instrument: str, closes_on: str
) -> None:
    """The wave row the import writes; file details are placeholders (never read by scoring)."""
    con.execute(
        "insert into raw.survey_waves (wave, instrument, closes_on, source_file, file_sha256, "
        "respondents, scale_points, imported_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            wave,
            instrument,
            closes_on,
            f"{wave}-{instrument}.csv",
            "0" * 64,
            0,
            7,
            "2024-10-01 00:00:00+00",
        ],
    )


def insert_answers(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    instrument: str,
    team: str,
    item_ids: Sequence[str],
    matrix: Sequence[Sequence[int | None]],
) -> None:
    """One respondent per matrix row; None is a skipped item (NULL, as the import stores it)."""
    cells = [
        (f"{team}-{wave}-{row}", item_id, answer)
        for row, answers in enumerate(matrix)
        for item_id, answer in zip(item_ids, answers, strict=True)
    ]
    if not cells:
        return
    keys, items, answers = (list(column) for column in zip(*cells, strict=True))
    # One statement with bound lists: executemany would cost about a millisecond per cell.
    con.execute(
        "insert into raw.survey_answers (wave, instrument, team, respondent_key, item_id, answer) "
        "select ?, ?, ?, unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::smallint[])",
        [wave, instrument, team, keys, items, answers],
    )
