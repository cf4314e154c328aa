"""Sync entry points: one repository (`sync_repo`) or many in parallel (`sync_repos`).

A sync returns one `RepoBatch` per repository: the records fetched since the given cursors and
the new cursors, which describe only what is in the batch. The caller (the warehouse) writes a
batch and its cursors in one transaction, so an interrupted run never moves a cursor past
uncommitted data. `full_refresh=True` ignores the cursors and fetches everything again.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from github import Github

from connectors.github.client import GitHubClientSettings, GitHubConfigError, make_github
from connectors.github.deployments import sync_deployments
from connectors.github.errors import GitHubSyncError, explain
from connectors.github.issues import sync_issues
from connectors.github.paging import GitHubRequestError, RequestCounter
from connectors.github.pulls import sync_pull_requests
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import DEFAULT_TOKEN_ENV, MAX_WORKERS

log = logging.getLogger(__name__)

_REPO_NAME = re.compile(r"^[\w.-]+/[\w.-]+$")


def sync_repo(
    gh: Github,
    repo: str,
    cursors: dict[str, Cursor],
    production_environment: str,
    full_refresh: bool = False,
    *,
    token_env: str = DEFAULT_TOKEN_ENV,
) -> RepoBatch:
    """Fetch deployments (with statuses and production change sets), PRs and issues of `repo`.

    `cursors` maps a resource (`deployments`, `pull_requests`, `issues`) to the cursor the last
    sync returned for it. `production_environment` is the regular expression (Python `re.search`,
    may start with `(?i)`) that marks production environments. `token_env` only names the token's
    variable in error messages.
    """
    if not _REPO_NAME.match(repo):
        raise GitHubConfigError(
            f"Repository {repo!r} is not of the form owner/name: fix it in candor.yaml."
        )
    try:
        production = re.compile(production_environment)
    except re.error as err:
        raise GitHubConfigError(
            f"production_environment {production_environment!r} for {repo} is not a valid "
            f"regular expression ({err}): fix rules.production_environment in candor.yaml."
        ) from err
    previous = {} if full_refresh else cursors
    batch = RepoBatch(repo=repo)
    counter = RequestCounter()
    requester = gh.requester
    try:
        batch.cursors = [
            sync_deployments(requester, batch, previous.get("deployments"), production, counter),
            sync_pull_requests(requester, batch, previous.get("pull_requests"), counter),
            sync_issues(requester, batch, previous.get("issues"), counter),
        ]
    except GitHubRequestError as err:
        hint = explain(err, repo, token_env)
        raise GitHubSyncError(f"GitHub sync of {repo} failed: {err}. {hint}") from err
    finally:
        batch.requests = counter.requests
        batch.not_modified = counter.not_modified
    log.info(
        "github %s: %d deployments, %d statuses, %d change-set commits, %d PRs, %d issues; "
        "%d requests, %d not modified",
        repo,
        len(batch.deployments),
        len(batch.deployment_statuses),
        len(batch.deployment_commits),
        len(batch.pull_requests),
        len(batch.issues),
        batch.requests,
        batch.not_modified,
    )
    return batch


def sync_repos(
    settings: GitHubClientSettings,
    repos: list[tuple[str, str]],
    cursors: dict[tuple[str, str], Cursor],
    full_refresh: bool = False,
    max_workers: int = MAX_WORKERS,
) -> Iterator[RepoBatch]:
    """Sync `repos` ((repo, production environment regex) pairs) in parallel.

    Yields each repository's batch as soon as it is complete, so the caller can write it in its
    own transaction while others are still fetching. `cursors` is keyed by (repo, resource).
    Each worker thread has its own PyGithub client (they are not thread-safe). A repository that
    fails does not stop the others; after the last batch, one GitHubSyncError names every failed
    repository.
    """
    local = threading.local()
    clients: list[Github] = []
    clients_lock = threading.Lock()

    def run(repo: str, production_environment: str) -> RepoBatch:
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

    failures: dict[str, GitHubSyncError] = {}
    executor = ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(repos))), thread_name_prefix="github-sync"
    )
    try:
        futures: dict[Future[RepoBatch], str] = {
            executor.submit(run, repo, regex): repo for repo, regex in repos
        }
        for future in as_completed(futures):
            try:
                batch = future.result()
            except GitHubSyncError as err:
                failures[futures[future]] = err
                continue
            yield batch
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        for gh in clients:
            gh.close()
    if failures:
        raise GitHubSyncError.combine(failures, total=len(repos))
