"""Survey import: read CSV/XLSX exports of culture surveys into plain, identity-free records.

Never imports dagster or duckdb. Entry points: `read_export(path, ExportSpec(...))` for a file
feeding one or more instruments, `read_survey(path, SurveySpec(...))` for one instrument.
"""

from connectors.surveys.export import (
    ExportRead,
    ExportSpec,
    InstrumentColumns,
    InstrumentRecords,
    read_export,
)
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
from connectors.surveys.submitted import WaveWindow

__all__ = [
    "AGREE_5",
    "AGREE_7",
    "BUILTIN_INSTRUMENTS",
    "PSYCHOLOGICAL_SAFETY",
    "WESTRUM",
    "ColumnMapping",
    "ColumnMappingError",
    "ExportRead",
    "ExportSpec",
    "Instrument",
    "InstrumentColumns",
    "InstrumentConfigError",
    "InstrumentRecords",
    "Item",
    "Scale",
    "SurveyAnswer",
    "SurveyItem",
    "SurveyProblem",
    "SurveySpec",
    "SurveyWave",
    "WaveWindow",
    "instrument_from_config",
    "instruments_from_config",
    "read_export",
    "read_survey",
    "spreadsheet_safe",
    "survey_items",
]
