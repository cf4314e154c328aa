"""Run Candor's asset graph in this process (what `candor run` and `candor demo` do).

Dagster's console log (step events, stack traces, "Not executing" lines) is shown only with
`--debug`; otherwise every log record goes to `on_record` (the progress display) and the CLI
prints Candor's own summary of what failed (pipelines.cli.failures).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import dagster as dg

from pipelines.cli.failures import failure_messages
from pipelines.definitions import NIGHTLY_JOB, build_definitions
from pipelines.shared.ingest_source import FULL_REFRESH_TAG

__all__ = ["failure_messages", "run_pipeline"]

PROGRESS_LOGGER = "candor_progress"

RecordSink = Callable[[logging.LogRecord], None]


class _SinkHandler(logging.Handler):
    def __init__(self, sink: RecordSink) -> None:
        super().__init__(level=logging.DEBUG)
        self._sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self._sink(record)


def _progress_logger(sink: RecordSink) -> dg.LoggerDefinition:
    @dg.logger(description="Hands every record to the `candor` progress display.")
    def candor_progress(_init_context) -> logging.Logger:
        log = logging.Logger("candor.progress", level=logging.DEBUG)
        log.addHandler(_SinkHandler(sink))
        return log

    return candor_progress


def _instance() -> dg.DagsterInstance:
    # With DAGSTER_HOME set, runs are recorded where `dagster dev` shows them.
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def run_pipeline(
    config_path: str | None,
    *,
    full_refresh: bool = False,
    quiet: bool = False,
    debug: bool = False,
    on_record: RecordSink | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize every asset and run every check; failed steps are in the result.

    Dagster's console log is on with `debug` (every line), or at WARNING without a display
    (`on_record` None: tests, library use) unless `quiet`; records go to `on_record` if given.
    `on_plan` is told the number of steps before the first runs.
    """
    defs = build_definitions(config_path)
    job = defs.resolve_job_def(NIGHTLY_JOB)
    if on_plan is not None:
        on_plan(len(job.graph.nodes))
    loggers: dict = {}
    if debug:
        loggers["console"] = {"config": {"log_level": "DEBUG"}}
    elif on_record is None:
        loggers["console"] = {"config": {"log_level": "CRITICAL" if quiet else "WARNING"}}
    if on_record is not None:
        job = job.with_logger_defs({**job.loggers, PROGRESS_LOGGER: _progress_logger(on_record)})
        loggers[PROGRESS_LOGGER] = {}
    # The full refresh reaches every source's ingestion through one run tag.
    tags = {FULL_REFRESH_TAG: "true"} if full_refresh else {}
    with _instance() as instance:
        return job.execute_in_process(
            run_config={"loggers": loggers}, instance=instance, raise_on_error=False, tags=tags
        )
