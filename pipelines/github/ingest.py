"""GitHub ingestion of every configured repository, each repository on its own.

A repository's batch, its cursors and its success row in meta.sync_status are written in one
transaction; a repository whose sync failed (any reason: GitHub errors after the retries, an
answer the connector cannot read, a batch the warehouse refuses) gets a failure row in
meta.sync_status in a transaction of its own, and nothing else of it changes. Every other
repository loads. The caller decides what a failure means for the run (the ingest asset
succeeds, so every model builds; `meta/sync_report` fails the run at its end).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from connectors.github.client import GitHubClientSettings
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import COMPARE_RETRY_RUNS, SOURCE
from connectors.github.signals import RepoSignal
from connectors.github.sync import RESOURCES, RepoFailure, sync_each_repo
from pipelines.config import CandorConfig
from warehouse.errors import WarehouseLoadError
from warehouse.loading import write_repo_batch
from warehouse.sync_status import record_failure

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingestion did: the attempt time every meta.sync_status row of it carries, the
    failed repositories with their reasons, and the change sets that became unknown."""

    attempted_at: datetime
    repositories: int
    failures: dict[str, str] = field(default_factory=dict)  # repo -> reason and fix
    unknown_change_sets: list[str] = field(default_factory=list)  # one line per repository
    requests: int = 0
    not_modified: int = 0


def ingest_github(
    con: duckdb.DuckDBPyConnection,
    settings: GitHubClientSettings,
    repos: list[tuple[str, str]],
    cursors: dict[tuple[str, str], Cursor],
    *,
    full_refresh: bool = False,
    max_workers: int,
    progress: Callable[[str], None] = log.info,
) -> IngestReport:
    """Sync `repos` ((repo, production rule) pairs) and write each repository as it arrives.

    `progress` gets one line per repository, after its batch (or its failure) is committed.
    """
    report = IngestReport(attempted_at=datetime.now(UTC), repositories=len(repos))
    outcomes = sync_each_repo(settings, repos, cursors, full_refresh, max_workers)
    for done, outcome in enumerate(outcomes, start=1):
        counted = f"[{done}/{len(repos)} repositories]"
        if isinstance(outcome, RepoFailure):
            _record_failure(con, report, outcome.repo, outcome.reason)
            progress(f"github {outcome.repo}: FAILED, kept as last synced: {outcome.reason} "
                     f"{counted}")
            continue
        try:
            write_repo_batch(con, outcome, replace=full_refresh, attempted_at=report.attempted_at)
        except WarehouseLoadError as err:
            _record_failure(con, report, outcome.repo, str(err))
            progress(f"github {outcome.repo}: FAILED to store, kept as last synced: {err} "
                     f"{counted}")
            continue
        report.requests += outcome.requests
        report.not_modified += outcome.not_modified
        unknown = unknown_change_sets(outcome)
        if unknown:
            report.unknown_change_sets.append(unknown)
        progress(
            f"github {outcome.repo}: {len(outcome.deployments)} deployments, "
            f"{len(outcome.pull_requests)} pull requests, {len(outcome.issues)} issues; "
            f"{outcome.requests} requests ({outcome.not_modified} not modified, "
            f"{outcome.pages} pages){_rate_left(outcome)} {counted}"
        )
    return report


def _rate_left(batch: RepoBatch) -> str:
    left = batch.rate_remaining
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
    con: duckdb.DuckDBPyConnection, report: IngestReport, repo: str, reason: str
) -> None:
    report.failures[repo] = reason
    record_failure(con, SOURCE, repo, RESOURCES, reason, report.attempted_at)


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
