"""Plain records the survey import returns: the contract with pipelines/surveys/loading.py.

Each dataclass maps 1:1 to a table of warehouse/migrations/002_surveys.sql:
SurveyWave -> raw.survey_waves, SurveyAnswer -> raw.survey_answers, SurveyItem ->
meta.survey_items. No record holds a name, an e-mail, a free-text answer or a raw respondent id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from connectors.surveys.instruments import Instrument

DEFAULT_SALT_ENV = "CANDOR_SURVEY_SALT"
MIN_SALT_CHARS = 16


@dataclass(frozen=True)
class SurveyWave:
    """One imported export: which wave of which instrument, from which file (basename only)."""

    wave: str
    instrument: str
    closes_on: dt.date
    source_file: str
    file_sha256: str
    respondents: int
    scale_points: int


@dataclass(frozen=True)
class SurveyAnswer:
    """One respondent's answer to one item: the raw scale code 1..k, None for no answer / NA.

    respondent_key is opaque: HMAC-SHA256(salt, respondent id) when the export has an id column
    (so the same person links across waves without the id being stored), else derived from the
    file's hash and row number (stable when the same file is imported again).
    """

    wave: str
    instrument: str
    team: str
    respondent_key: str
    item_id: str
    answer: int | None


@dataclass(frozen=True)
class SurveyItem:
    """One item of an instrument as declared at import (meta.survey_items)."""

    instrument: str
    item_id: str
    position: int
    text: str
    scale_points: int
    reverse_scored: bool
    scale_labels: tuple[str, ...]


def keyed_respondent(salt: str, respondent_id: str) -> str:
    """HMAC-SHA256 of the id under a secret salt: without the salt, ids can't be guessed back
    (a plain hash of an e-mail address could be, by hashing candidate addresses)."""
    return hmac.new(salt.encode(), respondent_id.encode(), hashlib.sha256).hexdigest()


def row_respondent(file_sha256: str, row_number: int) -> str:
    """Key for an export without ids: stable for the same file, meaningless outside it."""
    return hashlib.sha256(f"{file_sha256}:{row_number}".encode()).hexdigest()


def survey_items(instrument: Instrument) -> list[SurveyItem]:
    """meta.survey_items rows of an instrument, in questionnaire order."""
    return [
        SurveyItem(
            instrument=instrument.instrument_id,
            item_id=item.item_id,
            position=position,
            text=item.text,
            scale_points=instrument.scale.points,
            reverse_scored=item.reverse_scored,
            scale_labels=instrument.scale.labels,
        )
        for position, item in enumerate(instrument.items, start=1)
    ]
