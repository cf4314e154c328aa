"""GitHub ingestion of every configured repository, each repository on its own.

A repository arrives in chunks (connectors.github.progress): each chunk, its cursors and the
success rows of the resources it completes are written in one transaction, so a run that stops
anywhere keeps every committed chunk and the next run resumes from their cursors. A repository
whose sync failed (any reason: GitHub errors after the retries, an answer the connector cannot
read, a chunk the warehouse refuses, the run's deadline) gets a failure row in meta.sync_status
for each resource it did not complete this run, in a transaction of its own; after a refused
chunk, none of its later chunks is written (their cursors would pass the refused rows). Every
other repository loads. The caller decides what a failure means for the run (the ingest asset
succeeds, so every model builds; `meta/sync_report` fails the run at its end, listing the
repositories not refreshed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from connectors.contract import Cursor
from connectors.github.client import GitHubClientSettings
from connectors.github.deployments import STATUS_REPOLL_DAYS
from connectors.github.records import RepoBatch
from connectors.github.settings import COMPARE_RETRY_RUNS, SOURCE
from connectors.github.signals import RepoSignal
from connectors.github.sync import RESOURCES, RepoFailure, sync_each_repo
from connectors.github.tables import GITHUB_TABLES
from pipelines.config import CandorConfig
from pipelines.shared.ingest_source import IngestReport
from warehouse.errors import WarehouseLoadError
from warehouse.loading import write_batch
from warehouse.sync_status import record_failure

log = logging.getLogger(__name__)


@dataclass
class _RepoTotals:
    """What one repository's chunks of this run added up to, for its progress line."""

    deployments: int = 0
    pull_requests: int = 0
    issues: int = 0
    requests: int = 0
    not_modified: int = 0
    pages: int = 0
    rate_remaining: int | None = None
    completed: set[str] = field(default_factory=set)  # resources synced to the end this run
    refused: bool = False  # the warehouse refused a chunk: later chunks are not written
    written: int = 0  # chunks committed this run

    def add(self, chunk: RepoBatch) -> None:
        self.deployments += len(chunk.deployments)
        self.pull_requests += len(chunk.pull_requests)
        self.issues += len(chunk.issues)
        self.requests += chunk.requests
        self.not_modified += chunk.not_modified
        self.pages += chunk.pages
        if chunk.rate_remaining is not None:
            self.rate_remaining = chunk.rate_remaining


def ingest_github(
    con: duckdb.DuckDBPyConnection,
    settings: GitHubClientSettings,
    repos: list[tuple[str, str]],
    cursors: dict[tuple[str, str], Cursor],
    *,
    full_refresh: bool = False,
    max_workers: int,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
    progress: Callable[[str], None] = log.info,
) -> IngestReport:
    """Sync `repos` ((repo, production rule) pairs) and write each chunk as it arrives.

    `progress` gets one line per repository, after its last chunk (or its failure) is
    committed. `settings.deadline` bounds the sync (schedule.max_run_minutes).
    """
    report = IngestReport(attempted_at=datetime.now(UTC), repositories=len(repos))
    outcomes = sync_each_repo(
        settings, repos, cursors, full_refresh, max_workers,
        chunked=True, status_repoll_days=status_repoll_days,
    )
    totals: dict[str, _RepoTotals] = {}
    done = 0
    for outcome in outcomes:
        repo = outcome.repo
        repo_totals = totals.setdefault(repo, _RepoTotals())
        final = isinstance(outcome, RepoFailure) or getattr(outcome, "final", True)
        done += final
        counted = f"[{done}/{len(repos)} repositories]"
        if isinstance(outcome, RepoFailure):
            if not repo_totals.refused:
                _record_failure(con, report, repo, outcome.reason, repo_totals.completed)
                kept = _kept(repo_totals, full_refresh)
                progress(f"github {repo}: FAILED, {kept}: {outcome.reason} {counted}")
            continue
        if repo_totals.refused:
            continue
        repo_totals.add(outcome)
        report.requests += outcome.requests
        report.not_modified += outcome.not_modified
        try:
            # A full refresh replaces the repository's rows and cursors with its first chunk
            # and adds the others to it: stopped midway, the repository holds what was
            # re-fetched, its cursors say so, and the next run goes on from there.
            written = write_batch(
                con, GITHUB_TABLES, outcome, replace=full_refresh and repo_totals.written == 0,
                attempted_at=report.attempted_at,
            )
        except WarehouseLoadError as err:
            repo_totals.refused = True
            _record_failure(con, report, repo, str(err), repo_totals.completed)
            kept = _kept(repo_totals, full_refresh)
            progress(f"github {repo}: FAILED to store, {kept}: {err} {counted}")
            continue
        report.chunks += 1
        repo_totals.written += 1
        for table, count in written.items():
            report.rows[table] = report.rows.get(table, 0) + count
        unfinished = getattr(outcome, "unfinished", ())
        repo_totals.completed.update(c.resource for c in outcome.cursors
                                     if c.resource not in unfinished)
        unknown = unknown_change_sets(outcome)
        if unknown:
            report.unknown_change_sets.append(unknown)
        if final:
            progress(
                f"github {repo}: {repo_totals.deployments} deployments, "
                f"{repo_totals.pull_requests} pull requests, {repo_totals.issues} issues; "
                f"{repo_totals.requests} requests ({repo_totals.not_modified} not modified, "
                f"{repo_totals.pages} pages){_rate_left(repo_totals.rate_remaining)} {counted}"
            )
    return report


def _kept(totals: _RepoTotals, full_refresh: bool) -> str:
    """What of a failed repository stays: its last sync, plus this run's committed chunks (or,
    in a full refresh, those chunks alone: the first one replaced the repository's rows)."""
    if totals.written == 0:
        return "kept as last synced"
    progress = (f"({totals.deployments} deployments, {totals.pull_requests} pull requests); "
                "the next run continues")
    if full_refresh:
        return f"replaced by this full refresh's committed progress {progress}"
    return f"kept as last synced plus this run's committed progress {progress}"


def _rate_left(left: int | None) -> str:
    return "" if left is None else f"; rate limit left {left}"


def unknown_change_sets(batch: RepoBatch) -> str | None:
    """One line naming the production deployments of `batch` whose change set GitHub refused,
    or None. Pairs asked again and still refused are not in the batch (their row is stored)."""
    unknown = [c for c in batch.deployment_compares if not c.change_set_known]
    if not unknown:
        return None
    ids = ", ".join(str(c.deployment_id) for c in unknown[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    return (
        f"{batch.repo}: the change set of {len(unknown)} production deployment(s) is unknown "
        f"(deployment {ids}{more}): {unknown[0].unknown_reason} Their pull requests count as not "
        f"shipped; each pair is compared again on the next {COMPARE_RETRY_RUNS} runs."
    )


def _record_failure(
    con: duckdb.DuckDBPyConnection,
    report: IngestReport,
    repo: str,
    reason: str,
    completed: set[str],
) -> None:
    """Record `repo`'s failure for the resources it did not complete this run."""
    report.failures[repo] = reason
    failed = [r for r in RESOURCES if r not in completed] or list(RESOURCES)
    record_failure(con, SOURCE, repo, failed, reason, report.attempted_at)


def repo_signal(config: CandorConfig, repo: str) -> RepoSignal:
    """The connector's view of `repo`'s deployment rules in candor.yaml."""
    signal = config.deployment_signal_for(repo)
    return RepoSignal(
        signal=signal.signal,
        production_environment=config.production_environment_for(repo),
        workflow_regex=getattr(signal, "workflow_regex", None),
        branch=getattr(signal, "branch", None),
        tag_regex=getattr(signal, "tag_regex", None),
    )
