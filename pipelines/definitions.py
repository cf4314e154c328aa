"""Candor's Dagster definitions: `dagster dev` from the repository root loads `defs`.

Which candor.yaml is used: CANDOR_CONFIG, else the demo configuration (config/demo.yaml).
`defs` is built when Dagster's loader calls it (`@dg.definitions`), not at import: importing
this module reads no config, so a packaged `candor` or a test can import it anywhere.
"""

from __future__ import annotations

import dagster as dg

from pipelines.analysis.assets import culture_delivery_models, culture_vs_delivery
from pipelines.config import load_config
from pipelines.github.assets import github_ingest
from pipelines.github.report import sync_report
from pipelines.github.resources import GitHubResource
from pipelines.metrics.assets import model_assets
from pipelines.publishing.assets import warehouse_snapshot
from pipelines.reference.assets import team_reference
from pipelines.schedules import NIGHTLY_JOB, nightly_job, nightly_schedule
from pipelines.shared.resources import CandorResource
from pipelines.surveys.assets import culture_scores, survey_import
from pipelines.surveys.sensors import survey_drop_sensor, survey_job

__all__ = ["NIGHTLY_JOB", "build_definitions", "defs"]


def build_definitions(config_path: str | None = None) -> dg.Definitions:
    config = load_config(config_path)
    return dg.Definitions(
        assets=[
            team_reference,
            github_ingest,
            *model_assets(),
            survey_import,
            culture_scores,
            culture_vs_delivery,
            culture_delivery_models,
            warehouse_snapshot,
            sync_report,
        ],
        jobs=[nightly_job, survey_job],
        sensors=[survey_drop_sensor(config)],
        schedules=[nightly_schedule(config)],
        resources={
            "candor": CandorResource(config_path=config_path or ""),
            "github": GitHubResource(),
        },
        # One process per run: DuckDB takes one writer process at a time, and the pool keeps
        # concurrent runs from colliding.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev` and `dagster definitions validate` load: CANDOR_CONFIG's definitions."""
    return build_definitions()
