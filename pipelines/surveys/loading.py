"""Load one imported survey file into the warehouse, all or nothing.

`write_survey_waves` loads every instrument of one file (`write_survey_wave`: a one-instrument
file) in ONE transaction. Per instrument: if the same file (same SHA-256) is already loaded for
the wave and instrument, nothing is written ("unchanged"); otherwise the wave's previous rows are
deleted and the new ones inserted ("inserted" or "replaced"). Any failure rolls everything back,
every instrument of the file included, so the warehouse is exactly as before. SQL lives in
warehouse/sql/surveys.sql; values are bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from connectors.surveys.problems import looks_like_formula
from connectors.surveys.records import SurveyAnswer, SurveyItem, SurveyWave
from warehouse.errors import WarehouseLoadError
from warehouse.queries import query
from warehouse.transaction import transaction


class SurveyLoadError(WarehouseLoadError):
    """The records can't be loaded as given; nothing was written. The message names the wave."""


@dataclass(frozen=True)
class WaveLoad:
    """One instrument's part of an imported file: its wave row, answers and items."""

    wave: SurveyWave
    answers: Sequence[SurveyAnswer]
    items: Sequence[SurveyItem]


def write_survey_wave(
    con: duckdb.DuckDBPyConnection,
    wave: SurveyWave,
    answers: Sequence[SurveyAnswer],
    items: Sequence[SurveyItem],
) -> str:
    """Load one wave; returns "unchanged", "inserted" or "replaced". Raises SurveyLoadError."""
    (status,) = write_survey_waves(con, [WaveLoad(wave, answers, items)])
    return status


def write_survey_waves(con: duckdb.DuckDBPyConnection, loads: Sequence[WaveLoad]) -> list[str]:
    """Load every instrument of one file in ONE transaction; returns each one's status.

    A file feeding two instruments is accepted or refused whole: if the second instrument fails
    (a changed questionnaire, a broken key) the first is rolled back with it, so raw answers
    never hold half of a file. Raises SurveyLoadError; nothing was written then."""
    for load in loads:
        _check_records(load.wave, load.answers, load.items)
    keys = [(load.wave.wave, load.wave.instrument) for load in loads]
    if len(set(keys)) != len(keys):
        raise SurveyLoadError(f"Survey waves {keys}: the same wave and instrument twice.")
    with transaction(con):
        return [_write_one(con, load) for load in loads]


def _write_one(con: duckdb.DuckDBPyConnection, load: WaveLoad) -> str:
    """Replace one wave and instrument, inside the caller's transaction."""
    wave, answers = load.wave, load.answers
    key = {"wave": wave.wave, "instrument": wave.instrument}
    loaded = con.execute(query("surveys.sql", "loaded_sha"), key).fetchone()
    if loaded is not None and loaded[0] == wave.file_sha256:
        return "unchanged"
    try:
        _write_items(con, wave, load.items)
        con.execute(query("surveys.sql", "delete_answers"), key)
        con.execute(query("surveys.sql", "delete_wave"), key)
        con.execute(
            query("surveys.sql", "insert_wave"),
            {
                **key,
                "closes_on": wave.closes_on,
                "source_file": wave.source_file,
                "file_sha256": wave.file_sha256,
                "respondents": wave.respondents,
                "scale_points": wave.scale_points,
            },
        )
        con.execute(
            query("surveys.sql", "insert_answers"),
            {
                **key,
                "teams": [a.team for a in answers],
                "respondent_keys": [a.respondent_key for a in answers],
                "item_ids": [a.item_id for a in answers],
                "answers": [a.answer for a in answers],
            },
        )
    except duckdb.ConstraintException as exc:
        raise SurveyLoadError(
            f"Survey wave '{wave.wave}' ({wave.instrument}) breaks a key or constraint ({exc}); "
            "it was rolled back and nothing was written: import the file through read_survey."
        ) from exc
    return "inserted" if loaded is None else "replaced"


def _write_items(
    con: duckdb.DuckDBPyConnection, wave: SurveyWave, items: Sequence[SurveyItem]
) -> None:
    """Declare the instrument's items. A changed definition is refused while other waves of the
    instrument are loaded: their answers would be scored against the wrong items."""
    declared = con.execute(
        query("surveys.sql", "declared_items"), {"instrument": wave.instrument}
    ).fetchall()
    wanted = [(i.item_id, i.position, i.scale_points, i.reverse_scored) for i in items]
    if declared and [tuple(row) for row in declared] != wanted:
        (others,) = con.execute(
            query("surveys.sql", "other_waves"),
            {"instrument": wave.instrument, "wave": wave.wave},
        ).fetchone()
        if others:
            raise SurveyLoadError(
                f"Instrument '{wave.instrument}' is loaded for other waves with different items, "
                "scale or reverse flags: declare the changed questionnaire as a new instrument id."
            )
    con.execute(query("surveys.sql", "delete_items"), {"instrument": wave.instrument})
    for i in items:
        con.execute(
            query("surveys.sql", "insert_item"),
            {
                "instrument": i.instrument,
                "item_id": i.item_id,
                "position": i.position,
                "text": i.text,
                "scale_points": i.scale_points,
                "reverse_scored": i.reverse_scored,
                "scale_labels": list(i.scale_labels),
            },
        )


def _check_records(
    wave: SurveyWave, answers: Sequence[SurveyAnswer], items: Sequence[SurveyItem]
) -> None:
    name = f"Survey wave '{wave.wave}' ({wave.instrument})"
    if not answers:
        raise SurveyLoadError(f"{name} has no answers: a file with problems is never loaded.")
    if not items or any(i.instrument != wave.instrument for i in items):
        raise SurveyLoadError(f"{name}: pass the items of instrument '{wave.instrument}'.")
    if any(i.scale_points != wave.scale_points for i in items):
        raise SurveyLoadError(f"{name}: items and wave disagree on the number of scale points.")
    stored_texts = [wave.wave, wave.source_file, *(a.team for a in answers)]
    if any(looks_like_formula(text) for text in stored_texts):
        raise SurveyLoadError(
            f"{name}: a wave, file or team name starts like a spreadsheet "
            "formula (= + - @); rename it."
        )
    item_ids = {i.item_id for i in items}
    for a in answers:
        if (a.wave, a.instrument) != (wave.wave, wave.instrument) or a.item_id not in item_ids:
            raise SurveyLoadError(f"{name}: an answer belongs to another wave, instrument or item.")
        if a.answer is not None and not 1 <= a.answer <= wave.scale_points:
            raise SurveyLoadError(f"{name}: answer {a.answer} is outside 1-{wave.scale_points}.")
    respondents = len({a.respondent_key for a in answers})
    if respondents != wave.respondents:
        raise SurveyLoadError(
            f"{name} declares {wave.respondents} respondents but the answers have {respondents}."
        )
