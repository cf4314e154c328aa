"""Run Candor's asset graph in this process (what `candor run` and `candor demo` do)."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.definitions import NIGHTLY_JOB, build_definitions


def _instance() -> dg.DagsterInstance:
    # With DAGSTER_HOME set, runs are recorded where `dagster dev` shows them.
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def run_pipeline(config_path: str | None, *, full_refresh: bool = False, quiet: bool = False):
    """Materialize every asset and run every check; raises on the first failure."""
    defs = build_definitions(config_path)
    job = defs.resolve_job_def(NIGHTLY_JOB)
    run_config = {
        "ops": {"github_ingest": {"config": {"full_refresh": full_refresh}}},
        "loggers": {"console": {"config": {"log_level": "WARNING" if quiet else "INFO"}}},
    }
    with _instance() as instance:
        result = job.execute_in_process(run_config=run_config, instance=instance)
    return result
