"""Which survey exports to import: files named in candor.yaml and files in the drop folder.

A file in the drop folder is named `<wave>_<instrument>.csv` (or `.xlsx`), e.g.
`2026-Q3_westrum.csv`; the wave's close date comes from `surveys.waves`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from connectors.surveys import SurveySpec
from pipelines.config import CandorConfig
from pipelines.config.surveys import DROP_FILE_NAME, SurveysConfig


@dataclass(frozen=True)
class SurveySource:
    path: Path
    instrument: str
    wave: str


class SurveyFileError(ValueError):
    """A survey file cannot be matched to an instrument and wave; the message says why."""


def source_for_file(path: Path, surveys: SurveysConfig) -> SurveySource:
    """The instrument and wave of one file: its entry in `surveys.files`, else its name."""
    resolved = path.resolve()
    for entry in surveys.files:
        if Path(entry.path).resolve() == resolved:
            return SurveySource(resolved, entry.instrument, entry.wave)
    match = DROP_FILE_NAME.match(path.name)
    if match is None:
        raise SurveyFileError(
            f"{path}: not listed under surveys.files, and not named <wave>_<instrument>.csv "
            "or .xlsx; rename it (e.g. 2026-Q3_westrum.csv) or list it under surveys.files"
        )
    wave, instrument = match["wave"], match["instrument"]
    if instrument not in surveys.instrument_ids():
        known = ", ".join(sorted(surveys.instrument_ids()))
        raise SurveyFileError(f"{path}: unknown instrument '{instrument}' (known: {known})")
    if wave not in surveys.waves:
        raise SurveyFileError(
            f"{path}: wave '{wave}' has no close date; add it under surveys.waves in candor.yaml"
        )
    return SurveySource(resolved, instrument, wave)


def drop_folder_files(surveys: SurveysConfig) -> list[Path]:
    if not surveys.drop_folder:
        return []
    folder = Path(surveys.drop_folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))


def all_survey_files(surveys: SurveysConfig) -> list[Path]:
    named = [Path(entry.path) for entry in surveys.files]
    seen = {p.resolve() for p in named}
    return named + [p for p in drop_folder_files(surveys) if p.resolve() not in seen]


def spec_for(source: SurveySource, config: CandorConfig, today: dt.date) -> SurveySpec:
    surveys = config.surveys
    assert surveys is not None  # callers only ask when a surveys section exists
    return SurveySpec(
        instrument=surveys.instruments_by_id()[source.instrument],
        wave=source.wave,
        closes_on=surveys.waves[source.wave],
        column_mapping=surveys.column_mapping(source.instrument),
        known_teams=[team.name for team in config.teams],
        today=today,
        salt_env=surveys.salt_env,
    )
