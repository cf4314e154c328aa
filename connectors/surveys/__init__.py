"""Survey import: read CSV/XLSX exports of culture surveys into plain, identity-free records.

Never imports dagster or duckdb. Entry point: `read_survey(path, SurveySpec(...))`.
"""

from connectors.surveys.instrument_config import (
    InstrumentConfigError,
    instrument_from_config,
    instruments_from_config,
)
from connectors.surveys.instruments import (
    AGREE_5,
    AGREE_7,
    BUILTIN_INSTRUMENTS,
    PSYCHOLOGICAL_SAFETY,
    WESTRUM,
    Instrument,
    Item,
    Scale,
)
from connectors.surveys.load import SurveySpec, read_survey
from connectors.surveys.mapping import ColumnMapping, ColumnMappingError
from connectors.surveys.problems import SurveyProblem, spreadsheet_safe
from connectors.surveys.records import SurveyAnswer, SurveyItem, SurveyWave, survey_items

__all__ = [
    "AGREE_5",
    "AGREE_7",
    "BUILTIN_INSTRUMENTS",
    "PSYCHOLOGICAL_SAFETY",
    "WESTRUM",
    "ColumnMapping",
    "ColumnMappingError",
    "Instrument",
    "InstrumentConfigError",
    "Item",
    "Scale",
    "SurveyAnswer",
    "SurveyItem",
    "SurveyProblem",
    "SurveySpec",
    "SurveyWave",
    "instrument_from_config",
    "instruments_from_config",
    "read_survey",
    "spreadsheet_safe",
    "survey_items",
]
