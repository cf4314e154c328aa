"""One repository's life as an event loop: PR merges, direct pushes and releases in time order.

Events are (time, action) pairs in a heap. Actions may schedule later events (a failure
schedules its revert PR and remediating deployment), so main's history is always built in time
order and `head_at` is exact. Nothing after the window's end is simulated.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable

from simulator import text
from simulator.context import DAY, WEEK, GenContext
from simulator.deployments import DeployPipeline
from simulator.failures import FailurePlanter
from simulator.git_history import History
from simulator.model import PullRequest, Repo, Team
from simulator.pull_requests import PullPlan, plan_routine, realize

PRS_PER_MEMBER_WEEK = 1.0
DIRECT_PUSHES_PER_REPO_WEEK = 0.25
MERGE_METHODS = ["merge", "squash", "rebase"]
STALE_SHARE = 0.03  # routine PRs left open and forgotten


class RepoTimeline:
    """Simulates one repo that receives `share` of its team's PRs and releases."""

    def __init__(self, ctx: GenContext, team: Team, repo: Repo, share: float,
                 activity: float = 1.0) -> None:
        self.ctx = ctx
        self.team = team
        self.repo = repo
        self.share = share
        self.activity = activity  # multiplies the routine PR and direct-push rates
        self.history = History(ctx, repo, team.members[0], ctx.start - 30 * DAY)
        self.pipeline = DeployPipeline(ctx, team, self.history)
        self.merged_pulls: dict[str, PullRequest] = {}
        self.pipeline.on_release = FailurePlanter(ctx, self.pipeline, self.schedule,
                                                  self.land_pull, self.merged_pulls)
        # each repo has its own habit, so all three merge methods appear across the org
        self.method_weights = ctx.rng.dirichlet([1.5, 1.5, 1.5])
        self._events: list[tuple[float, int, Callable[[float], None]]] = []
        self._order = itertools.count()

    def schedule(self, when: float, action: Callable[[float], None]) -> None:
        heapq.heappush(self._events, (when, next(self._order), action))

    def run(self) -> None:
        """Plan the routine work, then play every event up to the window's end."""
        ctx = self.ctx
        pr_rate = PRS_PER_MEMBER_WEEK * self.activity * len(self.team.members) * self.share / WEEK
        for resolve_at in ctx.poisson_times(pr_rate, ctx.start, ctx.end + 10 * DAY):
            plan = plan_routine(ctx, self.team, resolve_at)
            if plan.created > ctx.end:
                continue
            # still open when the window closes: not resolved yet, or abandoned (3 %)
            if resolve_at > ctx.end or ctx.chance(STALE_SHARE):
                plan.resolved, plan.merged = None, False
                resolve_at = ctx.end
            self.schedule(resolve_at, lambda _at, p=plan: self.land_pull(p))
        push_rate = DIRECT_PUSHES_PER_REPO_WEEK * self.activity / WEEK
        for when in ctx.poisson_times(push_rate, ctx.start, ctx.end):
            self.schedule(when, self._push)
        # the release rate follows the team's culture quarter by quarter
        for low, high, culture in self.team.culture.segments(ctx.start, ctx.end):
            for when in ctx.poisson_times(culture.deploys_per_week * self.share / WEEK, low, high):
                self.schedule(ctx.working_time(when), self.pipeline.release)
        while self._events:
            when, _, action = heapq.heappop(self._events)
            if when > ctx.end:
                break
            action(when)

    def land_pull(self, plan: PullPlan) -> None:
        method = MERGE_METHODS[int(self.ctx.rng.choice(3, p=self.method_weights))]
        pr = realize(self.ctx, self.history, plan, method)
        self.repo.pulls.append(pr)
        if pr.merge_commit_sha:
            self.merged_pulls[pr.merge_commit_sha] = pr

    def _push(self, when: float) -> None:
        author = text.pick(self.ctx.rng, self.team.members)
        self.history.push(author, when, f"{text.title(self.ctx.rng)} (direct push)")
