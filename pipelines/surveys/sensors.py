"""A sensor on the survey drop folder: a new or changed export starts an import run."""

import hashlib
from pathlib import Path

import dagster as dg

from pipelines.config import CandorConfig
from pipelines.config.surveys import SurveysConfig
from pipelines.surveys.assets import survey_import
from pipelines.surveys.files import drop_folder_files

SURVEY_JOB = "survey_import_job"

# The import multi-asset's keys (raw/survey_*, meta/survey_items) and everything built from them:
# a selection names asset keys, never the op's name.
survey_job = dg.define_asset_job(
    SURVEY_JOB,
    selection=dg.AssetSelection.assets(*survey_import.keys).downstream(),
    description="Import dropped survey exports and rebuild the culture scores.",
)


def folder_state(surveys: SurveysConfig) -> str:
    """A digest of the drop folder's files (name, size, modification time)."""
    digest = hashlib.sha256()
    for path in drop_folder_files(surveys):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def survey_drop_sensor(config: CandorConfig) -> dg.SensorDefinition:
    folder = config.surveys.drop_folder if config.surveys else None

    @dg.sensor(
        name="survey_drop_folder",
        job=survey_job,
        minimum_interval_seconds=60,
        description=f"Starts an import when a survey export appears or changes in {folder}.",
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context: dg.SensorEvaluationContext):
        if not config.surveys or not folder or not Path(folder).is_dir():
            return dg.SkipReason("no surveys.drop_folder configured, or the folder does not exist")
        if not drop_folder_files(config.surveys):
            return dg.SkipReason(f"no survey exports in {folder} yet")
        state = folder_state(config.surveys)
        if state == context.cursor:
            return dg.SkipReason("no new or changed survey export")
        context.update_cursor(state)
        return dg.RunRequest(run_key=state)

    return _sensor
