"""Run Candor's asset graph in this process (what `candor run` and `candor demo` do)."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.definitions import NIGHTLY_JOB, build_definitions
from pipelines.github.assets import FAILED_REPOSITORIES
from pipelines.github.report import SYNC_REPORT_KEY

_REPORT_STEP = SYNC_REPORT_KEY.to_python_identifier()


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
    """One line per failed step: the step and the error's own message (no traceback).

    A step that failed with a written description gives each of its lines: `meta/sync_report`
    says one line per failed repository, with the reason and the fix. If repositories failed
    but the report did not run (an earlier step failed), their lines come from the ingestion.
    """
    messages = []
    reported = False
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        described = data.user_failure_data.description if data.user_failure_data else None
        if described:
            first, *rest = described.strip().splitlines()
            messages.append(f"{event.step_key}: {first}")
            messages.extend(f"  {line}" for line in rest)
            reported = reported or event.step_key == _REPORT_STEP
        elif data.error is not None:
            error = data.error
            # A user error wraps the real one: show the innermost cause's message.
            while error.cause is not None:
                error = error.cause
            # Messages read "module.ClassName: text"; users need the text.
            kind, _, text = error.message.strip().partition(": ")
            messages.append(f"{event.step_key}: {text if text and ' ' not in kind else kind}")
    if not reported:
        messages.extend(_failed_repositories(result))
    return messages


def _failed_repositories(result: dg.ExecuteInProcessResult) -> list[str]:
    """Lines for the repositories the ingestion could not sync, from its metadata."""
    failed: dict[str, str] = {}
    for materialization in result.asset_materializations_for_node("github_ingest"):
        value = materialization.metadata.get(FAILED_REPOSITORIES)
        if value is not None:
            failed.update(value.value)
    if not failed:
        return []
    return [
        f"github_ingest: {len(failed)} repositories were not synced this run:",
        *(f"  {repo}: {reason}" for repo, reason in sorted(failed.items())),
    ]
