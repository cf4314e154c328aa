"""Progress of a run as `candor run` and `candor demo` show it.

On a terminal, a live table: per source, the repositories done of all, records, requests, pages
and the rate-limit budget left so far, and the latest repository; then the model steps done of
all and the step running.
Not on a terminal (a log file, CI), plain lines: one per repository, then one when the models
start. Both are fed the run's log records (pipelines.cli.execution); what the ingestion reports
per repository (or account) is its own line (`github REPO: ... [k/n repositories]`,
`pagerduty ACCOUNT: ... [1/1 accounts]`), read here for counts.
A step that waits for the warehouse file (another process has it open) says so in one line,
shown in both forms: a run that seems to stand still says why.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.table import Table

from pipelines.shared.ingest_source import INGEST_SUFFIX
from warehouse.connection import WAITING_PREFIX

_REPOSITORY_LINE = re.compile(r"^(?P<source>\w+) (?P<repo>\S+): .*\[(?P<done>\d+)/(?P<total>\d+) "
                              r"(?P<unit>repositories|accounts)\]$")
_NUMBER_BEFORE = re.compile(
    r"(\d+) (deployments|pull requests|merge requests|issues|incidents|log entries|requests|"
    r"pages)\b")
_RATE_LEFT = re.compile(r"rate limit left (\d+)")


@dataclass
class SourceProgress:
    """One source's ingestion so far."""

    done: int = 0
    total: int = 0
    failed: int = 0
    records: int = 0
    requests: int = 0
    pages: int = 0
    rate_left: int | None = None
    latest: str = ""
    unit: str = "repos"  # what the source syncs one at a time: repos, accounts


@dataclass
class RunProgress:
    """What the records of a run said so far."""

    steps_total: int = 0
    steps_done: int = 0
    steps_failed: int = 0
    running: set[str] = field(default_factory=set)
    models_announced: bool = False
    sources: dict[str, SourceProgress] = field(default_factory=dict)

    def update(self, record: logging.LogRecord) -> str | None:
        """Take in one record; return a plain line worth printing, if it is one."""
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key")
        if event is not None and step:
            kind = event.event_type_value
            if kind == "STEP_START":
                self.running.add(step)
                if not step.endswith(INGEST_SUFFIX) and self.sources and not self.models_announced:
                    self.models_announced = True
                    return f"building the models and checks ({self.steps_total} steps)..."
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
                self.running.discard(step)
                self.steps_done += 1
                self.steps_failed += kind == "STEP_FAILURE"
            return None
        message = meta.get("orig_message", record.getMessage())
        if is_notice(message):
            return message
        matched = _REPOSITORY_LINE.match(message)
        if matched is None:
            return None
        source = self.sources.setdefault(matched["source"], SourceProgress())
        source.done, source.total = int(matched["done"]), int(matched["total"])
        source.unit = "repos" if matched["unit"] == "repositories" else "accounts"
        source.failed += "FAILED" in message
        for number, what in _NUMBER_BEFORE.findall(message):
            if what == "requests":
                source.requests += int(number)
            elif what == "pages":
                source.pages += int(number)
            else:
                source.records += int(number)
        rate = _RATE_LEFT.search(message)
        if rate:
            source.rate_left = int(rate.group(1))
        source.latest = matched["repo"]
        return message

    def table(self) -> Table:
        table = Table(box=None, show_header=True, header_style="bold")
        for header in ("", "done", "failed", "records", "requests", "pages", "rate left",
                       "latest"):
            table.add_column(header, justify="left" if header in ("", "latest") else "right")
        for name, source in sorted(self.sources.items()):
            table.add_row(
                name,
                f"{source.done}/{source.total} {source.unit}",
                str(source.failed),
                f"{source.records:,}",
                f"{source.requests:,}",
                f"{source.pages:,}",
                "" if source.rate_left is None else f"{source.rate_left:,}",
                source.latest,
            )
        table.add_row(
            "steps",
            f"{self.steps_done}/{self.steps_total}",
            str(self.steps_failed),
            "",
            "",
            "",
            "",
            ", ".join(sorted(self.running))[:40],
        )
        return table


def is_notice(line: str) -> bool:
    """True for a line shown even beside the live table: a step waiting for the warehouse."""
    return line.startswith(WAITING_PREFIX)


class ProgressDisplay:
    """A live table on a terminal, plain lines otherwise; use as a context manager and pass
    `record` to run_pipeline as `on_record`."""

    def __init__(self, console: Console, steps_total: int = 0) -> None:
        self.console = console
        self.state = RunProgress(steps_total=steps_total)
        self._live = (
            Live(self.state.table(), console=console, refresh_per_second=4, transient=True)
            if console.is_terminal
            else None
        )

    def record(self, record: logging.LogRecord) -> None:
        line = self.state.update(record)
        if self._live is not None:
            self._live.update(self.state.table())
            if line is not None and is_notice(line):
                self._live.console.print(line, markup=False, highlight=False, soft_wrap=True)
        elif line is not None:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def __enter__(self) -> ProgressDisplay:
        if self._live is not None:
            self._live.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._live is not None:
            self._live.stop()
