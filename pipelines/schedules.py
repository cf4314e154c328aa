"""The nightly job and its schedule (cron and timezone from candor.yaml `schedule:`)."""

from __future__ import annotations

import dagster as dg

from pipelines.config import CandorConfig

NIGHTLY_JOB = "nightly"

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Ingest every source incrementally, rebuild the models, run the checks.",
)


def nightly_schedule(config: CandorConfig) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="nightly_schedule",
        job=nightly_job,
        cron_schedule=config.schedule.cron,
        execution_timezone=config.schedule.timezone,
        description="Runs the nightly job: incremental ingestion, models, checks.",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
