"""What a run's failures and checks say to the person who ran it: Candor's own messages.

A failed step becomes one line: the step and the message of the outermost error Candor raised
(a connector's, the warehouse's or a `dg.Failure`'s), which names the setting and the fix. The
innermost cause (PyGithub's JSON, urllib3's retries, an errno) is what that message already
explains, so it is not shown; Dagster's traces are behind `--debug`. Steps failing with the same
message (one locked warehouse, four steps) share one line.
"""

from __future__ import annotations

import dagster as dg

from pipelines.metrics.checks import all_checks
from pipelines.shared.ingest_asset import FAILED_REPOSITORIES
from pipelines.shared.ingest_source import INGEST_SUFFIX
from pipelines.shared.sync_report import SYNC_REPORT_KEY

_REPORT_STEP = SYNC_REPORT_KEY.to_python_identifier()
CANDOR_PACKAGES = ("connectors.", "warehouse.", "models.", "pipelines.", "simulator.")


def _text(message: str) -> str:
    """`module.ClassName: text` (traceback's form) as its text, the first line only."""
    first = message.strip().splitlines()[0] if message.strip() else message
    kind, sep, text = first.partition(": ")
    return text if sep and " " not in kind else first


def error_message(error) -> str:
    """The message to show for a step's SerializableErrorInfo chain (see the module doc)."""
    chain = []
    while error is not None:
        chain.append(error)
        error = error.cause
    # Dagster wraps the user's error ("Error occurred while executing op ..."): skip its own.
    user = [e for e in chain if not e.message.startswith(("dagster.", "Dagster"))] or chain
    ours = [e for e in user if e.message.startswith(CANDOR_PACKAGES)]
    return _text((ours or user)[0].message)


def failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failure: `step: message`; a described failure (a `dg.Failure`, such as
    `meta/sync_report`'s) gives each of its lines, one per failed repository. If repositories
    failed but the report did not run (an earlier step failed), their lines come from the
    ingestion's metadata."""
    messages: list[str] = []
    by_message: dict[str, list[str]] = {}
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
            by_message.setdefault(error_message(data.error), []).append(event.step_key)
    messages[:0] = [f"{', '.join(steps)}: {text}" for text, steps in by_message.items()]
    if not reported:
        messages.extend(_failed_repositories(result))
    return messages


def failed_repositories(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """The repositories the ingestions (every source's) could not sync in this run, with their
    reasons, from their metadata (there even when `meta/sync_report` never ran)."""
    failed: dict[str, str] = {}
    for by_repo in _failures_by_ingestion(result).values():
        failed.update(by_repo)
    return failed


def _failures_by_ingestion(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, str]]:
    """Per ingest step (`<source>_ingest`), the repositories it could not sync and why."""
    by_step: dict[str, dict[str, str]] = {}
    for node in result.job_def.nodes:
        if not node.name.endswith(INGEST_SUFFIX):
            continue
        for materialization in result.asset_materializations_for_node(node.name):
            value = materialization.metadata.get(FAILED_REPOSITORIES)
            if value is not None and value.value:
                by_step.setdefault(node.name, {}).update(value.value)
    return by_step


def _failed_repositories(result: dg.ExecuteInProcessResult) -> list[str]:
    """Lines for the repositories the ingestions could not sync, from their metadata."""
    lines: list[str] = []
    for step, failed in sorted(_failures_by_ingestion(result).items()):
        lines.append(f"{step}: {len(failed)} repositories were not synced this run:")
        lines.extend(f"  {repo}: {reason}" for repo, reason in sorted(failed.items()))
    return lines


def check_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed or warning asset check: severity, table and check, what it asserts,
    and how many rows break it (the check's SQL file says what the rows are)."""
    described = {(check.table, check.name): check.description for check in all_checks()}
    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        level = "warning" if evaluation.severity == dg.AssetCheckSeverity.WARN else "FAILED"
        rows = evaluation.metadata.get("offending_rows")
        count = f" ({rows.value} rows)" if rows is not None else ""
        table = ".".join(evaluation.asset_key.path)
        what = described.get((table, evaluation.check_name), "")
        lines.append(f"  {level}: {table} {evaluation.check_name}{count}: {what}".rstrip(": "))
    return lines
