"""Importing a survey file the way the pipeline does, and fingerprints of the warehouse file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from connectors.surveys import SurveyProblem, SurveySpec, read_survey, survey_items
from pipelines.surveys.loading import write_survey_wave
from warehouse.connection import connect


def file_digest(path: Path) -> str:
    """SHA-256 over the database file and its write-ahead log (if one was left behind)."""
    digest = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def import_file(db: Path, path: Path, spec: SurveySpec) -> tuple[str | None, list[SurveyProblem]]:
    """Open the warehouse, read the file, load it only if it has no problems, close."""
    con = connect(db)
    try:
        wave, answers, problems = read_survey(path, spec)
        if problems:
            return None, problems
        return write_survey_wave(con, wave, answers, survey_items(spec.instrument)), []
    finally:
        con.close()


def fetch(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on a closed warehouse file (read-only, closed again afterwards)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
