"""Deployments of one repository: new deployments, their statuses, production change sets.

GitHub has no `since` for deployments; the list comes newest first (observed, not documented),
so it is read down to the highest id already known. Statuses are one list per deployment and are
fetched for every new deployment (those older than the re-poll horizon, most of a backfill, a
hundred to a GraphQL query: deployment_statuses.py) and re-polled for deployments that had not
finished, and for finished ones younger than `status_repoll_days`
(sources.github.status_repoll_days, counted back from the API's clock, its `Date` header):
GitHub still adds statuses to those, an `inactive` when a newer deployment succeeds, a `success`
after a `failure`, so an incremental sync stores the same statuses as a full refresh for every
deployment within that horizon. A re-polled deployment whose success was already seen never gets
its change set again. Re-polls are conditional (the list's ETag from the last read, kept in the
cursor): a list without a new status answers 304, which GitHub does not count against the rate
limit, so a no-change nightly re-polls for free.

A production deployment (environment matches the repo's rule, has a `success` status) gets a
change set: the commits of compare(previous successful deployment of the same environment ...
this one), processed in order of first success time (see change_sets.py). The first success of
an environment is the baseline and has neither a change set nor a compare fact. A re-deploy of
the same sha, or a rollback to an older one (compare says `behind`), has an empty change set.

When GitHub refuses a compare (404 "No common ancestor", 422), the deployment's change set is
stored as unknown and the sync goes on; the deployment still becomes the base of the next one
(the chain follows deployments, not commits), and the pair is compared again on the next
`COMPARE_RETRY_RUNS` runs, in case the refusal passes.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.change_sets import compare_pair
from connectors.github.deployment_cursor import (
    DeploymentCursor,
    PendingDeployment,
    RecentDeployment,
    SuccessfulDeployment,
    UnchainedDeployment,
    UnknownChangeSet,
)
from connectors.github.deployment_statuses import PAGE, statuses_by_graphql
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.production_rule import ProductionRule
from connectors.github.progress import CHUNK_DEPLOYMENTS, RepoProgress
from connectors.github.records import Cursor, Deployment, DeploymentStatus, RepoBatch
from connectors.github.settings import COMPARE_RETRY_RUNS, SOURCE, TERMINAL_DEPLOYMENT_STATES
from connectors.github.shape import reading

RESOURCE = "deployments"

STATUS_REPOLL_DAYS = 30
"""Default of sources.github.status_repoll_days: finished deployments created within this many
days have their statuses read again on every sync. A month covers GitHub's `inactive` (set when
the next deployment of the environment succeeds) for any environment deployed at least monthly;
the cost is one request per such deployment per run, conditional on its statuses' ETag, so only
a deployment with a new status counts against the rate limit."""

log = logging.getLogger(__name__)


def sync_deployments(
    requester: Requester,
    progress: RepoProgress,
    previous: Cursor | None,
    production: ProductionRule,
    counter: RequestCounter,
    status_repoll_days: float = STATUS_REPOLL_DAYS,
) -> Cursor:
    """Add the repo's new deployments, statuses and change sets to `progress`; return the
    cursor of the finished pass (the caller checkpoints it).

    Two passes, each committed every `CHUNK_DEPLOYMENTS` deployments when `progress` is chunked
    (a backfill of thousands of deployments needs more requests than a rate-limit window):
    statuses (with each deployment's row) in ascending id order, then change sets in order of
    first success. Between chunks the cursor (`_StatusPass.cursor_so_far`) records the polled
    deployments only: `max_id` the highest new one polled, so the next run lists the rest again;
    the successes not chained yet in `unchained`. Its list ETag is left out until the pass is
    complete: an unchanged first page must not hide the deployments not polled yet.
    """
    repo = progress.repo
    state = DeploymentCursor.from_json(previous.cursor if previous else None)
    known_max = state.max_id
    # Read down to the oldest deployment whose statuses are re-read, too: its object changes
    # with its statuses (`updated_at`), and those few are on the list's first page(s) anyway.
    read_down_to = min([known_max, *state.recent]) if known_max is not None else None
    listed = fetch_list(
        requester,
        f"/repos/{repo}/deployments",
        counter,
        params={"per_page": requester.per_page},
        etag=previous.etag if previous else None,
        keep=lambda raw: read_down_to is None or normalize.deployment_id(raw) > read_down_to
        or normalize.deployment_id(raw) in state.recent,
    )
    with reading(listed.path):
        listed_deployments = [normalize.deployment(repo, r) for r in listed.items]
    new = {
        d.deployment_id: d for d in listed_deployments
        if known_max is None or d.deployment_id > known_max
    }
    rows = {d.deployment_id: d for d in listed_deployments if d.deployment_id in new
            or d.deployment_id in state.recent}

    horizon = (listed.served_at or datetime.now(UTC)) - timedelta(days=status_repoll_days)
    recent = {i: r for i, r in state.recent.items() if r.created_at >= horizon}
    to_poll = dict(state.pending)
    to_poll.update(
        (i, PendingDeployment(i, r.environment, r.sha, r.etag)) for i, r in recent.items()
    )
    to_poll.update(
        (d.deployment_id, PendingDeployment(d.deployment_id, d.environment, d.sha))
        for d in new.values()
    )
    # Rows listed but not re-polled (a finished deployment past the horizon) are stored as
    # listed, in the first chunk.
    progress.batch.deployments.extend(d for i, d in rows.items() if i not in to_poll)
    polls = _StatusPass(state, recent, new, known_max, horizon)
    polls.first_success.update((i, u.at) for i, u in state.unchained.items())
    polls.facts.update(
        (i, PendingDeployment(i, u.environment, u.sha)) for i, u in state.unchained.items()
    )
    order = sorted(to_poll)
    read_once = _GraphqlWindows(requester, repo, new, horizon, order, counter)
    for position, deployment_id in enumerate(order, start=1):
        if deployment_id in rows:
            progress.batch.deployments.append(rows[deployment_id])
        polls.poll(requester, progress.batch, to_poll[deployment_id], production, counter,
                   read_once.statuses(deployment_id))
        if position % CHUNK_DEPLOYMENTS == 0 and position < len(order):
            progress.checkpoint(polls.cursor_so_far(repo), finished=False)

    retry_unknown_change_sets(requester, progress.batch, state, counter)
    chain = sorted(polls.first_success, key=lambda i: (polls.first_success[i], i))
    for position, deployment_id in enumerate(chain, start=1):
        add_change_set(requester, progress.batch, state, polls.facts[deployment_id],
                       polls.first_success[deployment_id], counter)
        polls.chained.add(deployment_id)
        if position % CHUNK_DEPLOYMENTS == 0 and position < len(chain):
            progress.checkpoint(polls.cursor_so_far(repo), finished=False)

    state.pending = polls.still_pending
    state.recent = polls.still_recent
    state.unchained = {}
    if new:
        state.max_id = max([*new, *([known_max] if known_max is not None else [])])
    return Cursor(
        source=SOURCE, scope=repo, resource=RESOURCE, cursor=state.to_json(), etag=listed.etag
    )


class _GraphqlWindows:
    """The statuses GraphQL gives for the pass's new deployments older than the re-poll
    horizon (read once, never re-polled: connectors/github/deployment_statuses.py), asked for
    `PAGE` at a time as the pass reaches them, so a pass stopped by the budget has asked for
    at most one window it did not commit; a window (100) spans several checkpoints
    (`CHUNK_DEPLOYMENTS`, 25), so every query a run can afford is followed by committed
    progress. The rest (re-polled ones, which need REST's ETag, and any the query could not give
    whole) are None: read over REST."""

    def __init__(self, requester: Requester, repo: str, new: dict[int, Deployment],
                 horizon: datetime, order: list[int], counter: RequestCounter) -> None:
        self.requester, self.repo, self.counter = requester, repo, counter
        self.node_ids = {
            i: new[i].payload["node_id"] for i in order
            if i in new and new[i].created_at < horizon
            and isinstance(new[i].payload.get("node_id"), str)
        }
        self.eligible = list(self.node_ids)  # in pass order
        self.asked_up_to = 0  # eligible[:asked_up_to] have been asked for
        self.read: dict[int, list[DeploymentStatus]] = {}

    def statuses(self, deployment_id: int) -> list[DeploymentStatus] | None:
        # the pass reaches the eligible deployments in their order: the first one not asked
        # for yet opens the next window
        if (self.asked_up_to < len(self.eligible)
                and self.eligible[self.asked_up_to] == deployment_id):
            window = self.eligible[self.asked_up_to:self.asked_up_to + PAGE]
            self.asked_up_to += len(window)
            self.read.update(statuses_by_graphql(
                self.requester, self.repo, {i: self.node_ids[i] for i in window},
                self.counter))
        return self.read.pop(deployment_id, None)


class _StatusPass:
    """What the status pass of one sync has learnt so far, and the cursor that records it."""

    def __init__(self, state: DeploymentCursor, recent: dict[int, RecentDeployment],
                 new: dict, known_max: int | None, horizon: datetime) -> None:
        self.state = state
        self.recent = recent
        self.new = new
        self.known_max = known_max
        self.horizon = horizon
        self.polled: set[int] = set()
        self.first_success: dict[int, datetime] = {}
        self.facts: dict[int, PendingDeployment] = {}
        self.chained: set[int] = set()
        self.still_pending: dict[int, PendingDeployment] = {}
        self.still_recent: dict[int, RecentDeployment] = {}

    def poll(self, requester: Requester, batch: RepoBatch, facts: PendingDeployment,
             production: ProductionRule, counter: RequestCounter,
             read: list[DeploymentStatus] | None = None) -> None:
        """Read one deployment's statuses into `batch` (over REST, unless `read` holds them
        already, from GraphQL) and sort it: still pending, recent, or finished; a first
        production success joins the change-set pass."""
        deployment_id = facts.deployment_id
        if read is not None:
            self.polled.add(deployment_id)
            statuses = read
        else:
            path = f"/repos/{batch.repo}/deployments/{deployment_id}/statuses"
            listed_statuses = fetch_list(
                requester, path, counter, params={"per_page": requester.per_page},
                etag=facts.etag)
            self.polled.add(deployment_id)
            if listed_statuses.not_modified:
                # No status since the last read (a new one would change the newest-first first
                # page): the deployment stays where the previous cursor had it, at no budget.
                if deployment_id in self.recent:
                    self.still_recent[deployment_id] = self.recent[deployment_id]
                else:
                    self.still_pending[deployment_id] = facts
                return
            facts = replace(facts, etag=listed_statuses.etag)
            with reading(path):
                statuses = [
                    normalize.deployment_status(batch.repo, deployment_id, raw)
                    for raw in listed_statuses.items
                ]
        batch.deployment_statuses.extend(statuses)
        success_times = [s.created_at for s in statuses if s.state == "success"]
        recent = self.recent
        chained = deployment_id in recent and recent[deployment_id].succeeded
        if not any(s.state in TERMINAL_DEPLOYMENT_STATES for s in statuses):
            self.still_pending[deployment_id] = facts
        else:
            # A deployment that was pending on earlier runs is not in `new`: its first status
            # stands in for its creation time (a few seconds later).
            created_at = (
                self.new[deployment_id].created_at if deployment_id in self.new
                else recent[deployment_id].created_at if deployment_id in recent
                else min(s.created_at for s in statuses)
            )
            if created_at >= self.horizon:
                self.still_recent[deployment_id] = RecentDeployment(
                    deployment_id, facts.environment, facts.sha, created_at,
                    chained or bool(success_times), facts.etag,
                )
        if success_times and production.matches(facts.environment) and not chained:
            self.first_success[deployment_id] = min(success_times)
            self.facts[deployment_id] = facts

    def cursor_so_far(self, repo: str) -> Cursor:
        """The cursor of a chunk: the deployments polled so far as this pass left them, the
        others as the previous cursor had them (new ones not polled are listed again)."""
        state = self.state
        pending = {i: p for i, p in state.pending.items() if i not in self.polled}
        pending.update(self.still_pending)
        recent = {i: r for i, r in self.recent.items() if i not in self.polled}
        recent.update(self.still_recent)
        polled_new = [i for i in self.new if i in self.polled]
        so_far = DeploymentCursor(
            max_id=max([*polled_new, *([self.known_max] if self.known_max is not None else [])],
                       default=None),
            pending=pending,
            last_success=dict(state.last_success),
            unknown=dict(state.unknown),
            recent=recent,
            unchained={
                i: UnchainedDeployment(i, self.facts[i].environment, self.facts[i].sha, at)
                for i, at in self.first_success.items() if i not in self.chained
            },
        )
        return Cursor(source=SOURCE, scope=repo, resource=RESOURCE, cursor=so_far.to_json(),
                      etag=None)


def add_change_set(
    requester: Requester,
    batch: RepoBatch,
    state: DeploymentCursor,
    deployment: PendingDeployment,
    succeeded_at: datetime,
    counter: RequestCounter,
) -> None:
    """Add the compare fact and change set of one successful production deployment and move
    `last_success`.

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
    if base is None:
        return  # the baseline of the environment
    fact, commits = compare_pair(
        requester,
        batch.repo,
        deployment.deployment_id,
        deployment.sha,
        base.deployment_id,
        base.sha,
        counter,
    )
    batch.deployment_compares.append(fact)
    batch.deployment_commits.extend(commits)
    if not fact.change_set_known:
        state.unknown[deployment.deployment_id] = UnknownChangeSet(
            deployment.deployment_id, base.deployment_id, base.sha, deployment.sha,
            COMPARE_RETRY_RUNS,
        )


def retry_unknown_change_sets(
    requester: Requester, batch: RepoBatch, state: DeploymentCursor, counter: RequestCounter
) -> None:
    """Compare again the pairs GitHub refused on earlier runs.

    A pair that compares now gets its real fact and change set (they replace the stored
    `unknown` row by key). One still refused is not written again: its row already says
    unknown; after its last retry it is dropped from the cursor and stays unknown.
    """
    for deployment_id, pair in sorted(state.unknown.items()):
        fact, commits = compare_pair(
            requester,
            batch.repo,
            deployment_id,
            pair.sha,
            pair.base_deployment_id,
            pair.base_sha,
            counter,
        )
        if fact.change_set_known:
            batch.deployment_compares.append(fact)
            batch.deployment_commits.extend(commits)
            del state.unknown[deployment_id]
        elif pair.retries_left <= 1:
            log.warning(
                "%s: the change set of deployment %d stays unknown after %d more compares (%s)",
                batch.repo, deployment_id, COMPARE_RETRY_RUNS, fact.unknown_reason,
            )
            del state.unknown[deployment_id]
        else:
            state.unknown[deployment_id] = UnknownChangeSet(
                deployment_id, pair.base_deployment_id, pair.base_sha, pair.sha,
                pair.retries_left - 1,
            )
