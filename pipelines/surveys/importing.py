"""Check and import survey exports: read, validate, then load each file in its own transaction.

A file with any problem loads nothing; the other files still load. Re-importing an unchanged
file is a no-op; a changed file for the same wave and instrument replaces that wave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from connectors.surveys import SurveyAnswer, SurveyWave, read_survey, survey_items
from pipelines.config import CandorConfig
from pipelines.surveys.files import SurveyFileError, all_survey_files, source_for_file, spec_for
from warehouse.surveys import write_survey_wave


@dataclass
class FileCheck:
    """What reading one file found: its records, or the problems that keep it out."""

    path: Path
    wave: SurveyWave | None = None
    answers: list[SurveyAnswer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    instrument: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.wave is not None


def check_file(path: Path, config: CandorConfig, today: dt.date) -> FileCheck:
    """Read and validate one export without loading it."""
    if config.surveys is None:
        return FileCheck(path, problems=[f"{path}: candor.yaml has no `surveys:` section"])
    try:
        source = source_for_file(path, config.surveys)
    except SurveyFileError as exc:
        return FileCheck(path, problems=[str(exc)])
    wave, answers, problems = read_survey(source.path, spec_for(source, config, today))
    return FileCheck(path, wave, answers, [str(p) for p in problems], source.instrument)


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    status: str  # inserted, replaced, unchanged or rejected
    respondents: int
    problems: tuple[str, ...] = ()


def import_surveys(
    con: duckdb.DuckDBPyConnection, config: CandorConfig, today: dt.date
) -> list[ImportOutcome]:
    """Import every configured and dropped survey file; return what happened to each."""
    if config.surveys is None:
        return []
    outcomes = []
    instruments = config.surveys.instruments_by_id()
    for path in all_survey_files(config.surveys):
        checked = check_file(path, config, today)
        if not checked.ok:
            outcomes.append(ImportOutcome(path, "rejected", 0, tuple(checked.problems)))
            continue
        assert checked.wave is not None and checked.instrument is not None
        items = survey_items(instruments[checked.instrument])
        status = write_survey_wave(con, checked.wave, checked.answers, items)
        outcomes.append(ImportOutcome(path, status, checked.wave.respondents))
    return outcomes
