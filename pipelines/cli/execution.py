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
    """Materialize every asset and run every check; failed steps are in the result."""
    defs = build_definitions(config_path)
    job = defs.resolve_job_def(NIGHTLY_JOB)
    run_config = {
        "ops": {"github_ingest": {"config": {"full_refresh": full_refresh}}},
        "loggers": {"console": {"config": {"log_level": "WARNING" if quiet else "INFO"}}},
    }
    with _instance() as instance:
        result = job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    return result


def failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed step: the step and the error's own message (no traceback)."""
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            error = event.step_failure_data.error
            # A user error wraps the real one: show the innermost cause's message.
            while error.cause is not None:
                error = error.cause
            # Messages read "module.ClassName: text"; users need the text.
            kind, _, text = error.message.strip().partition(": ")
            messages.append(f"{event.step_key}: {text if text and ' ' not in kind else kind}")
    return messages
