"""Sync entry points: one repository (`sync_repo`), or many in parallel (`sync_each_repo`,
`sync_repos`).

`sync_repo` returns one batch per repository: the records fetched since the given cursors and
the new cursors, which describe only what is in the batch. `sync_each_repo` hands each
repository over in chunks instead (progress.py): one per resource, and one per
`progress.CHUNK_PULLS` pull requests of the pull-request pass, each with the cursors of what
it and the chunks before it hold. The caller (the warehouse) writes each chunk and its cursors
in one transaction, so an interrupted run never moves a cursor past uncommitted data and the
next run resumes where the last committed chunk points. `full_refresh=True` ignores the cursors
and fetches everything again: as one batch per repository (its rows are replaced in one
transaction), or chunked, the first chunk replacing the repository's rows and the rest adding to
them, so that a full refresh too resumes, by the next run, where it stopped.

Requests are spent in this order (docs/configuration.md, "Backfills, request order and
deadlines"): first every repository's deployments, review comments, issues and the first page
(`per_page` PRs) of its pull-request pass, in config order, `max_workers` at a time; only then
do the repositories whose pull-request pass is longer go on with it. So an incremental run's
freshness never waits behind one repository's backfill.

One repository never stops another: `sync_each_repo` yields a `RepoFailure` for a repository
whose sync failed, for whatever reason (GitHub errors after the bounded retries, malformed
answers, a bug), and goes on with the others; its chunks committed before the failure stay
committed, nothing after it is handed over. Two conditions stop every repository, as no later
request could succeed: the run's deadline (settings.deadline, `schedule.max_run_minutes`) and a
rate limit that resets later than the run may wait. Repositories not finished then fail with
that reason ("not refreshed this run") and are continued by the next run.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from github import Github

from connectors.github import deployments, issues, pulls, review_comments
from connectors.github.client import GitHubClientSettings, GitHubConfigError, make_github
from connectors.github.deployments import STATUS_REPOLL_DAYS, sync_deployments
from connectors.github.errors import GitHubDataError, GitHubSyncError, explain
from connectors.github.issues import sync_issues
from connectors.github.paging import (
    GitHubRequestError,
    RequestCounter,
    RunDeadlineReached,
)
from connectors.github.production_rule import ProductionRule
from connectors.github.progress import RepoChunk, RepoProgress
from connectors.github.pulls import sync_pull_requests, unfinished_pass
from connectors.github.records import Cursor, RepoBatch
from connectors.github.releases import sync_releases
from connectors.github.review_comments import sync_review_comments
from connectors.github.rule_stamp import continued_cursor, rule_fingerprint
from connectors.github.settings import DEFAULT_TOKEN_ENV, MAX_WORKERS
from connectors.github.shape import MalformedAnswer, MalformedObject
from connectors.github.signals import RepoSignal, WorkflowRule, as_signal
from connectors.github.workflow_runs import sync_workflow_runs

log = logging.getLogger(__name__)

_REPO_NAME = re.compile(r"^[\w.-]+/[\w.-]+$")

RESOURCES = (deployments.RESOURCE, review_comments.RESOURCE, issues.RESOURCE, pulls.RESOURCE)
"""The resources one repository sync covers, each with its own cursor, in the order they are
synced: the pull requests last, as their details (two requests per PR) can need more requests
than the rest together. `deployments` is read from the repository's deployment signal: the
Deployments API, workflow runs or releases (signals.py)."""


@dataclass(frozen=True)
class RepoFailure:
    """A repository whose sync failed: nothing after its last handed-over chunk is stored, so
    its rows and cursors stay as its committed chunks (or its last sync) left them.
    `error.reason` says what failed and what to do."""

    repo: str
    error: GitHubSyncError

    @property
    def reason(self) -> str:
        return self.error.reason


def sync_repo(
    gh: Github,
    repo: str,
    cursors: dict[str, Cursor],
    production_environment: str | RepoSignal,
    full_refresh: bool = False,
    *,
    token_env: str = DEFAULT_TOKEN_ENV,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
    deadline: float | None = None,
    deadline_minutes: float | None = None,
) -> RepoChunk:
    """Fetch deployments (with statuses and production change sets), PRs and issues of `repo`,
    as one batch.

    `cursors` maps a resource (`deployments`, `review_comments`, `pull_requests`, `issues`) to
    the cursor the last sync returned for it. `production_environment` is the repository's
    deployment signal (signals.RepoSignal): the Deployments API with its production-environment
    rule, deploy workflow runs (workflow_runs.py) or releases (releases.py); a plain string is
    the RE2 regular expression (searched in the environment name, may start with `(?i)`) that marks
    production environments of the Deployments API.
    `token_env` only names the token's variable in error messages; `status_repoll_days` is the
    age below which finished deployments have their statuses read again (deployments.py);
    `deadline` as in sync_repo_chunks (here nothing of the repository is kept when it passes).

    Raises GitHubConfigError for an unusable repository name or rule, GitHubSyncError (or its
    GitHubDataError) for a failed request or an answer the connector cannot read.
    """
    progress = _sync(
        gh, repo, {} if full_refresh else cursors, production_environment, RepoProgress(
            repo, RequestCounter(deadline=deadline, deadline_minutes=deadline_minutes)
        ), token_env=token_env, status_repoll_days=status_repoll_days,
    )
    batch = progress.take()
    batch.final = True
    log.info(
        "github %s: %d deployments, %d statuses, %d deploy runs, %d releases, "
        "%d change-set commits, %d PRs, %d issues; %d requests, %d not modified",
        repo,
        len(batch.deployments),
        len(batch.deployment_statuses),
        len(batch.workflow_runs),
        len(batch.releases),
        len(batch.deployment_commits),
        len(batch.pull_requests),
        len(batch.issues),
        batch.requests,
        batch.not_modified,
    )
    return batch


def sync_repo_chunks(
    gh: Github,
    repo: str,
    cursors: dict[str, Cursor],
    production_environment: str | RepoSignal,
    emit: Callable[[RepoChunk], None],
    *,
    resources: tuple[str, ...] = RESOURCES,
    pull_detail_limit: int | None = None,
    token_env: str = DEFAULT_TOKEN_ENV,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
    deadline: float | None = None,
    deadline_minutes: float | None = None,
) -> RepoChunk:
    """`sync_repo` handing the records to `emit` chunk by chunk (progress.py), each chunk with
    the cursor of what it completes; returns the last chunk (no records, no cursor: the
    requests made after the last checkpoint).

    Only `resources` are synced. `pull_detail_limit` ends the pull-request pass after that many
    detailed PRs (its cursor then records an unfinished pass: pulls.unfinished_pass).
    `deadline` (epoch seconds) stops the sync before any request after it (RunDeadlineReached,
    raised as a GitHubSyncError); what was emitted before stays valid.
    """
    counter = RequestCounter(deadline=deadline, deadline_minutes=deadline_minutes)
    progress = _sync(
        gh, repo, cursors, production_environment, RepoProgress(repo, counter, emit),
        resources=resources, pull_detail_limit=pull_detail_limit, token_env=token_env,
        status_repoll_days=status_repoll_days,
    )
    log.info("github %s: %s synced; %d requests, %d not modified", repo, ", ".join(resources),
             counter.requests, counter.not_modified)
    return progress.take()


def _sync(
    gh: Github,
    repo: str,
    previous: dict[str, Cursor],
    production_environment: str | RepoSignal,
    progress: RepoProgress,
    *,
    resources: tuple[str, ...] = RESOURCES,
    pull_detail_limit: int | None = None,
    token_env: str,
    status_repoll_days: float,
) -> RepoProgress:
    """Sync `resources` of `repo` into `progress`, a checkpoint after each."""
    if not _REPO_NAME.match(repo):
        raise GitHubConfigError(
            f"Repository {repo!r} is not of the form owner/name: fix it in candor.yaml."
        )
    signal = as_signal(production_environment)
    production = ProductionRule(signal.production_environment, repo)
    if signal.signal == "workflow":
        WorkflowRule(signal, repo)  # a bad pattern fails before any request
    rule = rule_fingerprint(signal)
    previous = {**previous, deployments.RESOURCE: continued_cursor(
        previous.get(deployments.RESOURCE), rule, repo)}
    progress.record_rule(deployments.RESOURCE, rule)
    counter = progress.counter
    requester = gh.requester
    fetch_deployments = {
        # Each checkpoints itself inside its passes and hands back the finished pass's cursor.
        "environment": lambda b, c: sync_deployments(
            requester, progress, c, production, counter, status_repoll_days
        ),
        "workflow": lambda b, c: sync_workflow_runs(requester, progress, c, signal, counter),
        "release": lambda b, c: sync_releases(requester, progress, c, signal, counter),
    }[signal.signal]
    steps: dict[str, Callable[[RepoBatch, Cursor | None], Cursor]] = {
        deployments.RESOURCE: fetch_deployments,
        # Before the PRs, so every PR a comment names is among the PRs stored by the end of
        # the repository's sync.
        review_comments.RESOURCE: lambda b, c: sync_review_comments(requester, b, c, counter),
        issues.RESOURCE: lambda b, c: sync_issues(requester, b, c, counter),
    }
    try:
        for resource in (r for r in RESOURCES if r in resources):
            if resource == pulls.RESOURCE:
                # Checkpoints itself: after each chunk of PRs and at the end of the pass.
                sync_pull_requests(
                    requester, progress, previous.get(resource), counter,
                    detail_limit=pull_detail_limit,
                )
            else:
                progress.checkpoint(steps[resource](progress.batch, previous.get(resource)))
    except RunDeadlineReached as err:
        raise GitHubSyncError(repo, f"not refreshed this run: {err}") from err
    except GitHubRequestError as err:
        # GitHub's own message may end with a full stop already ("API rate limit exceeded.")
        cause = str(err).rstrip().rstrip(".")
        raise GitHubSyncError(repo, f"{cause}. {explain(err, repo, token_env)}") from err
    except MalformedAnswer as err:
        raise GitHubDataError(repo, err) from err
    except MalformedObject as err:
        # Every normalizer call names its endpoint; this only guards against one that does not.
        raise GitHubDataError(repo, f"an answer: {err}") from err
    return progress


class _RunStop:
    """The first condition that stops every repository of the run, shared by the workers."""

    def __init__(self, deadline: float | None, deadline_minutes: float | None) -> None:
        self.deadline = deadline
        self.deadline_minutes = deadline_minutes
        self._lock = threading.Lock()
        self._reason: str | None = None

    def reason(self) -> str | None:
        """Why no repository may start now, or None."""
        with self._lock:
            if self._reason is None and self.deadline is not None and time.time() >= self.deadline:
                self._reason = str(RunDeadlineReached(None, self.deadline_minutes))
            return self._reason

    def note(self, err: BaseException) -> None:
        """Stop the run if `err` (a repository's failure) means no later request can succeed."""
        cause = err.__cause__ if isinstance(err, GitHubSyncError) else err
        if isinstance(cause, GitHubRequestError) and cause.stops_run:
            with self._lock:
                self._reason = self._reason or str(cause)


def sync_each_repo(
    settings: GitHubClientSettings,
    repos: list[tuple[str, str | RepoSignal]],
    cursors: dict[tuple[str, str], Cursor],
    full_refresh: bool = False,
    max_workers: int = MAX_WORKERS,
    *,
    chunked: bool = False,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
) -> Iterator[RepoBatch | RepoFailure]:
    """Sync `repos` ((repo, deployment signal or production environment regex) pairs) in
    parallel.

    Yields batches (RepoChunk) as soon as each is complete, so the caller can write each in its
    own transaction while others are still fetching; the last of a repository has `final` set.
    `chunked` hands repositories over in chunks, in the request order of this module's
    docstring (what ingestion does), also with `full_refresh` (the cursors are ignored and the
    caller replaces each repository's rows with its first chunk); otherwise each repository is
    one batch. A repository that failed yields a RepoFailure instead of its final batch; its
    earlier chunks are valid. `cursors` is keyed by (repo, resource). Each worker thread has
    its own PyGithub client (they are not thread-safe).
    """
    local = threading.local()
    clients: list[Github] = []
    clients_lock = threading.Lock()
    stop = _RunStop(settings.deadline, settings.deadline_minutes)
    results: queue.Queue[tuple[str, str, object, bool]] = queue.Queue()
    signals = dict(repos)

    def client() -> Github:
        gh = getattr(local, "gh", None)
        if gh is None:
            gh = local.gh = make_github(settings)
            with clients_lock:
                clients.append(gh)
        return gh

    def run(repo: str, repo_cursors: dict[str, Cursor], first_round: bool) -> None:
        try:
            reason = stop.reason()
            if reason is not None:
                raise GitHubSyncError(repo, f"not refreshed this run: {reason}")
            if not chunked:
                last = sync_repo(
                    client(), repo, repo_cursors, signals[repo], full_refresh,
                    token_env=settings.token_env, status_repoll_days=status_repoll_days,
                    deadline=settings.deadline, deadline_minutes=settings.deadline_minutes,
                )
            else:
                last = sync_repo_chunks(
                    client(), repo, repo_cursors, signals[repo],
                    lambda chunk: results.put(("chunk", repo, chunk, first_round)),
                    resources=RESOURCES if first_round else (pulls.RESOURCE,),
                    pull_detail_limit=settings.per_page if first_round else None,
                    token_env=settings.token_env, status_repoll_days=status_repoll_days,
                    deadline=settings.deadline, deadline_minutes=settings.deadline_minutes,
                )
            results.put(("done", repo, last, first_round))
        except Exception as err:  # any failure is this repository's alone
            stop.note(err)
            results.put(("failed", repo, _as_sync_error(repo, err), first_round))

    executor = ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(repos))), thread_name_prefix="github-sync"
    )
    try:
        running = 0
        for repo, _ in repos:
            scoped = {} if full_refresh else {
                resource: c for (scope, resource), c in cursors.items() if scope == repo}
            executor.submit(run, repo, scoped, True)
            running += 1
        pull_cursors: dict[str, Cursor] = {}
        while running:
            kind, repo, item, first_round = results.get()
            if kind == "chunk":
                assert isinstance(item, RepoChunk)
                pull_cursors.update((repo, c) for c in item.cursors if c.resource == pulls.RESOURCE)
                yield item
                continue
            running -= 1
            if kind == "failed":
                assert isinstance(item, GitHubSyncError)
                yield RepoFailure(repo, item)
                continue
            assert isinstance(item, RepoChunk)
            if first_round and unfinished_pass(pull_cursors.get(repo)):
                # The rest of a long pull-request pass, after every repository's first round.
                executor.submit(run, repo, {pulls.RESOURCE: pull_cursors[repo]}, False)
                running += 1
            else:
                item.final = True
            yield item
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        for gh in clients:
            gh.close()


def sync_repos(
    settings: GitHubClientSettings,
    repos: list[tuple[str, str | RepoSignal]],
    cursors: dict[tuple[str, str], Cursor],
    full_refresh: bool = False,
    max_workers: int = MAX_WORKERS,
    *,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
) -> Iterator[RepoBatch]:
    """`sync_each_repo` for callers that want all or an error: yields the batches, then, if any
    repository failed, raises one GitHubSyncError that names every failed repository."""
    failures: dict[str, GitHubSyncError] = {}
    outcomes = sync_each_repo(
        settings, repos, cursors, full_refresh, max_workers, status_repoll_days=status_repoll_days
    )
    for outcome in outcomes:
        if isinstance(outcome, RepoFailure):
            failures[outcome.repo] = outcome.error
            continue
        yield outcome
    if failures:
        raise GitHubSyncError.combine(failures, total=len(repos))


def _as_sync_error(repo: str, err: Exception) -> GitHubSyncError:
    """`err`, raised by the sync of `repo`, as the GitHubSyncError a RepoFailure carries."""
    if isinstance(err, GitHubSyncError):
        return err
    if isinstance(err, GitHubConfigError):
        wrapped = GitHubSyncError(repo, str(err))
    else:
        # A bug, not a GitHub answer: keep the traceback in the log for whoever fixes it.
        log.error("github %s: unexpected error", repo, exc_info=err)
        wrapped = GitHubSyncError(
            repo,
            f"unexpected {type(err).__name__}: {err}. This is a Candor bug (the traceback is in "
            "the run's log); the other repositories were synced",
        )
    wrapped.__cause__ = err
    return wrapped
