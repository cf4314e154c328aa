"""Sync entry points: one repository (`sync_repo`), or many in parallel (`sync_each_repo`,
`sync_repos`).

A sync returns one `RepoBatch` per repository: the records fetched since the given cursors and
the new cursors, which describe only what is in the batch. The caller (the warehouse) writes a
batch and its cursors in one transaction, so an interrupted run never moves a cursor past
uncommitted data. `full_refresh=True` ignores the cursors and fetches everything again.

One repository never stops another: `sync_each_repo` yields a `RepoFailure` for a repository
whose sync failed, for whatever reason (GitHub errors after the bounded retries, malformed
answers, a bug), and goes on with the others. Nothing of a failed repository is in any batch,
so its stored rows and cursors stay exactly as they were.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from github import Github

from connectors.github import deployments, issues, pulls, review_comments
from connectors.github.client import GitHubClientSettings, GitHubConfigError, make_github
from connectors.github.deployments import sync_deployments
from connectors.github.errors import GitHubDataError, GitHubSyncError, explain
from connectors.github.issues import sync_issues
from connectors.github.paging import GitHubRequestError, RequestCounter
from connectors.github.production_rule import ProductionRule
from connectors.github.pulls import sync_pull_requests
from connectors.github.records import Cursor, RepoBatch
from connectors.github.releases import sync_releases
from connectors.github.review_comments import sync_review_comments
from connectors.github.settings import DEFAULT_TOKEN_ENV, MAX_WORKERS
from connectors.github.shape import MalformedAnswer, MalformedObject
from connectors.github.signals import RepoSignal, WorkflowRule, as_signal
from connectors.github.workflow_runs import sync_workflow_runs

log = logging.getLogger(__name__)

_REPO_NAME = re.compile(r"^[\w.-]+/[\w.-]+$")

RESOURCES = (deployments.RESOURCE, review_comments.RESOURCE, pulls.RESOURCE, issues.RESOURCE)
"""The resources one repository sync covers, each with its own cursor; all succeed or fail
together (one batch per repository). `deployments` is read from the repository's deployment
signal: the Deployments API, workflow runs or releases (signals.py)."""


@dataclass(frozen=True)
class RepoFailure:
    """A repository whose sync failed: nothing of it was fetched into a batch, so its stored
    rows and cursors stay as they were. `error.reason` says what failed and what to do."""

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
) -> RepoBatch:
    """Fetch deployments (with statuses and production change sets), PRs and issues of `repo`.

    `cursors` maps a resource (`deployments`, `review_comments`, `pull_requests`, `issues`) to
    the cursor the last sync returned for it. `production_environment` is the repository's
    deployment signal (signals.RepoSignal): the Deployments API with its production-environment
    rule, deploy workflow runs (workflow_runs.py) or releases (releases.py); a plain string is
    the RE2 regular expression (searched in the environment name, may start with `(?i)`) that marks
    production environments of the Deployments API.
    `token_env` only names the token's variable in error messages.

    Raises GitHubConfigError for an unusable repository name or rule, GitHubSyncError (or its
    GitHubDataError) for a failed request or an answer the connector cannot read.
    """
    if not _REPO_NAME.match(repo):
        raise GitHubConfigError(
            f"Repository {repo!r} is not of the form owner/name: fix it in candor.yaml."
        )
    signal = as_signal(production_environment)
    production = ProductionRule(signal.production_environment, repo)
    if signal.signal == "workflow":
        WorkflowRule(signal, repo)  # a bad pattern fails before any request
    previous = {} if full_refresh else cursors
    batch = RepoBatch(repo=repo)
    counter = RequestCounter()
    requester = gh.requester
    fetch_deployments = {
        "environment": lambda c: sync_deployments(requester, batch, c, production, counter),
        "workflow": lambda c: sync_workflow_runs(requester, batch, c, signal, counter),
        "release": lambda c: sync_releases(requester, batch, c, signal, counter),
    }[signal.signal]
    try:
        batch.cursors = [
            fetch_deployments(previous.get("deployments")),
            # Before the PRs, so every PR a comment names is in this batch's PR list.
            sync_review_comments(requester, batch, previous.get("review_comments"), counter),
            sync_pull_requests(requester, batch, previous.get("pull_requests"), counter),
            sync_issues(requester, batch, previous.get("issues"), counter),
        ]
    except GitHubRequestError as err:
        raise GitHubSyncError(repo, f"{err}. {explain(err, repo, token_env)}") from err
    except MalformedAnswer as err:
        raise GitHubDataError(repo, err) from err
    except MalformedObject as err:
        # Every normalizer call names its endpoint; this only guards against one that does not.
        raise GitHubDataError(repo, f"an answer: {err}") from err
    finally:
        batch.requests = counter.requests
        batch.not_modified = counter.not_modified
        batch.pages = counter.pages
        batch.rate_remaining = counter.rate_remaining
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


def sync_each_repo(
    settings: GitHubClientSettings,
    repos: list[tuple[str, str | RepoSignal]],
    cursors: dict[tuple[str, str], Cursor],
    full_refresh: bool = False,
    max_workers: int = MAX_WORKERS,
) -> Iterator[RepoBatch | RepoFailure]:
    """Sync `repos` ((repo, deployment signal or production environment regex) pairs) in
    parallel.

    Yields each repository's batch as soon as it is complete, so the caller can write it in its
    own transaction while others are still fetching, and a RepoFailure for each repository
    that failed. `cursors` is keyed by (repo, resource). Each worker thread has its own PyGithub
    client (they are not thread-safe).
    """
    local = threading.local()
    clients: list[Github] = []
    clients_lock = threading.Lock()

    def run(repo: str, production_environment: str | RepoSignal) -> RepoBatch:
        gh = getattr(local, "gh", None)
        if gh is None:
            gh = local.gh = make_github(settings)
            with clients_lock:
                clients.append(gh)
        repo_cursors = {resource: c for (scope, resource), c in cursors.items() if scope == repo}
        return sync_repo(
            gh,
            repo,
            repo_cursors,
            production_environment,
            full_refresh,
            token_env=settings.token_env,
        )

    executor = ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(repos))), thread_name_prefix="github-sync"
    )
    try:
        futures: dict[Future[RepoBatch], str] = {
            executor.submit(run, repo, regex): repo for repo, regex in repos
        }
        for future in as_completed(futures):
            repo = futures[future]
            try:
                batch = future.result()
            except Exception as err:  # any failure is this repository's alone
                yield RepoFailure(repo, _as_sync_error(repo, err))
                continue
            yield batch
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
) -> Iterator[RepoBatch]:
    """`sync_each_repo` for callers that want all or an error: yields the batches, then, if any
    repository failed, raises one GitHubSyncError that names every failed repository."""
    failures: dict[str, GitHubSyncError] = {}
    for outcome in sync_each_repo(settings, repos, cursors, full_refresh, max_workers):
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
