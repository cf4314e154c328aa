"""Check and import survey exports: read, validate, then load each file in its own transaction.

A file is accepted or refused whole: with any problem, in any of the instruments it feeds, it
loads nothing, and a file feeding several instruments loads them together in one transaction.
The other files still load. Re-importing an unchanged file is a no-op; a changed file for the
same wave and instrument replaces that wave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from connectors.surveys import ExportRead, InstrumentRecords, read_export, survey_items
from pipelines.config import CandorConfig
from pipelines.surveys.files import (
    SurveyFileError,
    all_survey_files,
    competing_files,
    source_for_file,
    spec_for,
)
from pipelines.surveys.loading import SurveyLoadError, WaveLoad, write_survey_waves


@dataclass
class FileCheck:
    """What reading one file found: its records per instrument, or the problems that keep it
    out (each a sentence naming the file, and the row and column where there is one)."""

    path: Path
    read: ExportRead | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.read is not None

    @property
    def records(self) -> tuple[InstrumentRecords, ...]:
        return self.read.records if self.read is not None else ()


def check_file(path: Path, config: CandorConfig, today: dt.date) -> FileCheck:
    """Read and validate one export without loading it (`candor survey check` and the import
    share this, so both report the same problems)."""
    if config.surveys is None:
        return FileCheck(path, problems=[f"{path}: candor.yaml has no `surveys:` section"])
    try:
        source = source_for_file(path, config.surveys)
    except SurveyFileError as exc:
        return FileCheck(path, problems=[str(exc)])
    read = read_export(source.path, spec_for(source, config, today))
    problems = competing_files(source, config.surveys) + [str(p) for p in read.problems]
    return FileCheck(path, read, problems)


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file. status: inserted, replaced, unchanged or rejected; for a file
    feeding several instruments that differ, per instrument ("westrum inserted, psysafe
    unchanged")."""

    path: Path
    status: str
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
        loads = [
            WaveLoad(r.wave, r.answers, survey_items(instruments[r.wave.instrument]))
            for r in checked.records
        ]
        try:
            statuses = write_survey_waves(con, loads)
        except SurveyLoadError as exc:  # e.g. a changed questionnaire: this file only
            outcomes.append(ImportOutcome(path, "rejected", 0, (f"{path.name}: {exc}",)))
            continue
        outcomes.append(
            ImportOutcome(path, _status(loads, statuses), checked.records[0].wave.respondents)
        )
    return outcomes


def _status(loads: list[WaveLoad], statuses: list[str]) -> str:
    if len(set(statuses)) == 1:
        return statuses[0]
    return ", ".join(f"{w.wave.instrument} {s}" for w, s in zip(loads, statuses, strict=True))
