"""The progress display reads the ingestion's per-repository lines into per-source totals."""

from __future__ import annotations

import io
import logging

from rich.console import Console

from pipelines.cli.progress import RunProgress


def _record(message: str) -> logging.LogRecord:
    record = logging.LogRecord("dagster", logging.INFO, __file__, 1, message, None, None)
    record.dagster_meta = {"orig_message": message}
    return record


def test_repository_lines_add_up_per_source_with_pages_and_the_rate_left():
    progress = RunProgress()
    lines = [
        "github acme/a: 3 deployments, 5 pull requests, 2 issues; 20 requests (4 not modified, "
        "16 pages); rate limit left 4980 [1/2 repositories]",
        "github acme/b: 1 deployments, 0 pull requests, 1 issues; 9 requests (9 not modified, "
        "0 pages); rate limit left 4971 [2/2 repositories]",
    ]
    printed = [progress.update(_record(line)) for line in lines]
    assert printed == lines  # plain mode prints each repository line as it is
    github = progress.sources["github"]
    # records 3+5+2 + 1+0+1 = 12; requests 20 + 9; pages 16 + 0; the latest budget wins
    assert (github.done, github.total, github.records, github.requests, github.pages,
            github.rate_left) == (2, 2, 12, 29, 16, 4971)
    out = io.StringIO()
    Console(file=out, width=100).print(progress.table())
    assert "4,971" in out.getvalue() and "2/2 repos" in out.getvalue()


def test_a_failed_repository_is_counted():
    progress = RunProgress()
    progress.update(_record("github acme/a: FAILED, kept as last synced: boom [1/1 repositories]"))
    assert progress.sources["github"].failed == 1


def test_a_pagerduty_account_line_counts_its_incidents_and_log_entries():
    progress = RunProgress()
    line = ("pagerduty default: 4 services, 128 incidents, 460 log entries; 17 requests in 6 "
            "windows [1/1 accounts]")
    assert progress.update(_record(line)) == line
    pagerduty = progress.sources["pagerduty"]
    # records: 128 incidents + 460 log entries (services are not counted as records)
    assert (pagerduty.done, pagerduty.total, pagerduty.records, pagerduty.requests) == (
        1, 1, 588, 17)
    out = io.StringIO()
    Console(file=out, width=100).print(progress.table())
    assert "1/1 accounts" in out.getvalue()
