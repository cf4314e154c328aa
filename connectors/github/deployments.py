"""Deployments of one repository: new deployments, their statuses, production change sets.

GitHub has no `since` for deployments; the list comes newest first (observed, not documented),
so it is read down to the highest id already known. Statuses are one list per deployment and are
fetched for every new deployment and re-polled for deployments that had not finished.

A production deployment (environment matches the repo's regex, has a `success` status) gets a
change set: the commits of compare(previous successful deployment of the same environment ...
this one), processed in order of first success time. The first success of an environment is
the baseline and has no change set. A re-deploy of the same sha, or a rollback to an older one
(compare says `behind`), has an empty change set.
"""

from __future__ import annotations

import re
from datetime import datetime

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.deployment_cursor import (
    DeploymentCursor,
    PendingDeployment,
    SuccessfulDeployment,
)
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.records import Cursor, RepoBatch
from connectors.github.settings import SOURCE, TERMINAL_DEPLOYMENT_STATES

RESOURCE = "deployments"


def sync_deployments(
    requester: Requester,
    batch: RepoBatch,
    previous: Cursor | None,
    production: re.Pattern[str],
    counter: RequestCounter,
) -> Cursor:
    """Add the repo's new deployments, statuses and change sets to `batch`; return the cursor."""
    repo = batch.repo
    state = DeploymentCursor.from_json(previous.cursor if previous else None)
    known_max = state.max_id
    listed = fetch_list(
        requester,
        f"/repos/{repo}/deployments",
        counter,
        params={"per_page": requester.per_page},
        etag=previous.etag if previous else None,
        keep=lambda raw: known_max is None or raw["id"] > known_max,
    )
    new = {raw["id"]: normalize.deployment(repo, raw) for raw in listed.items}
    batch.deployments.extend(new.values())

    to_poll = dict(state.pending)
    to_poll.update(
        (d.deployment_id, PendingDeployment(d.deployment_id, d.environment, d.sha))
        for d in new.values()
    )
    first_success: dict[int, datetime] = {}
    still_pending: dict[int, PendingDeployment] = {}
    for deployment_id, facts in sorted(to_poll.items()):
        statuses = [
            normalize.deployment_status(repo, deployment_id, raw)
            for raw in fetch_list(
                requester,
                f"/repos/{repo}/deployments/{deployment_id}/statuses",
                counter,
                params={"per_page": requester.per_page},
            ).items
        ]
        batch.deployment_statuses.extend(statuses)
        if not any(s.state in TERMINAL_DEPLOYMENT_STATES for s in statuses):
            still_pending[deployment_id] = facts
        success_times = [s.created_at for s in statuses if s.state == "success"]
        if success_times and production.search(facts.environment):
            first_success[deployment_id] = min(success_times)

    for deployment_id in sorted(first_success, key=lambda i: (first_success[i], i)):
        facts = to_poll[deployment_id]
        _add_change_set(requester, batch, state, facts, first_success[deployment_id], counter)

    state.pending = still_pending
    if new:
        state.max_id = max([*new, *([known_max] if known_max is not None else [])])
    return Cursor(
        source=SOURCE, scope=repo, resource=RESOURCE, cursor=state.to_json(), etag=listed.etag
    )


def _add_change_set(
    requester: Requester,
    batch: RepoBatch,
    state: DeploymentCursor,
    deployment: PendingDeployment,
    succeeded_at: datetime,
    counter: RequestCounter,
) -> None:
    """Add the change set of one successful production deployment and move `last_success`.

    Environments are keyed in lower case: GitHub environment names are not case-sensitive.
    """
    environment = deployment.environment.lower()
    base = state.last_success.get(environment)
    if base is not None and succeeded_at < base.at:
        # Finished before the deployment already recorded as latest: its predecessor is not
        # known here, and it must not become the base of later change sets.
        return
    state.last_success[environment] = SuccessfulDeployment(
        deployment.deployment_id, deployment.sha, succeeded_at
    )
    if base is None or base.sha == deployment.sha:
        return
    compared = fetch_list(
        requester,
        f"/repos/{batch.repo}/compare/{base.sha}...{deployment.sha}",
        counter,
        params={"per_page": requester.per_page},
        items_key="commits",
    )
    if compared.first_page.get("status") == "behind":
        return
    batch.deployment_commits.extend(
        normalize.deployment_commit(batch.repo, deployment.deployment_id, base.sha, raw)
        for raw in compared.items
    )
