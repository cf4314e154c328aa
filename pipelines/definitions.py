"""Candor's Dagster definitions: `dagster dev` from the repository root loads `defs`.

Which candor.yaml is used: CANDOR_CONFIG, else the demo configuration (config/demo.yaml).
`defs` is built when Dagster's loader calls it (`@dg.definitions`), not at import: importing
this module reads no config, so a packaged `candor` or a test can import it anywhere.
"""

from __future__ import annotations

import dagster as dg

from pipelines.analysis.assets import culture_delivery_models, culture_vs_delivery
from pipelines.config import load_config
from pipelines.metrics.assets import model_assets
from pipelines.publishing.assets import warehouse_snapshot
from pipelines.reference.assets import team_reference
from pipelines.schedules import NIGHTLY_JOB, nightly_job, nightly_schedule
from pipelines.shared.ingest_asset import ingest_asset
from pipelines.shared.resources import CandorResource
from pipelines.shared.sync_report import sync_report_asset, sync_status_asset
from pipelines.sources import configured_sources
from pipelines.surveys.assets import culture_scores, survey_import
from pipelines.surveys.sensors import survey_drop_sensor, survey_job

__all__ = ["NIGHTLY_JOB", "build_definitions", "defs"]


def build_definitions(config_path: str | None = None) -> dg.Definitions:
    config = load_config(config_path)
    # Assets exist only for the sources candor.yaml declares (pipelines/sources.py).
    sources = configured_sources(config)
    return dg.Definitions(
        assets=[
            team_reference,
            *(ingest_asset(source) for source in sources),
            sync_status_asset(sources),
            *model_assets(),
            survey_import,
            culture_scores,
            culture_vs_delivery,
            culture_delivery_models,
            warehouse_snapshot,
            sync_report_asset(sources),
        ],
        jobs=[nightly_job, survey_job],
        sensors=[survey_drop_sensor(config)],
        schedules=[nightly_schedule(config)],
        resources={
            "candor": CandorResource(config_path=config_path or ""),
            **{source.resource_key: source.resource() for source in sources},
        },
        # One process per run: DuckDB takes one writer process at a time, and the pool keeps
        # concurrent runs from colliding.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev` and `dagster definitions validate` load: CANDOR_CONFIG's definitions."""
    return build_definitions()
