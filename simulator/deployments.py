"""Deployments of one repository: routine releases, failed attempts and retries, and inactive
statuses, as GitHub records them.

A routine release deploys main's head to `staging`, then to each production environment in
turn. A failed attempt (failure/error status) is retried with the same sha. Whether a release
ships a defect is drawn from the team's failure probability; `simulator.failures` then plants
the remediation. Deploy durations are a few minutes; times are epoch seconds.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator import text
from simulator.context import HOUR, GenContext, to_datetime
from simulator.culture import TRUE_COEFFICIENTS
from simulator.git_history import History
from simulator.model import Deployment, DeploymentStatus, Release, Team

ACTIONS_BOT = "github-actions[bot]"
STAGING = "staging"
MINUTE = 60.0
RELEASE_EVERY = 3  # a GitHub release (tag) for every third routine release


class DeployPipeline:
    """Creates the deployments of one repo and remembers each environment's deploy history."""

    def __init__(self, ctx: GenContext, team: Team, history: History) -> None:
        self.ctx = ctx
        self.team = team
        self.history = history
        self.repo = history.repo
        self.busy_until = 0.0
        self.successes: dict[str, list[Deployment]] = {}
        self.routine_releases = 0
        self.on_release: Callable[[list[Deployment]], None] | None = None

    def release(self, when: float) -> None:
        """A routine release of main at `when`, unless one is running or nothing is new."""
        if when < self.busy_until:
            return
        sha = self.history.head_at(when)
        environments = self.repo.production_environments
        if sha in {d.sha for d in self.successes.get(environments[0], [])}:
            return
        self.deploy(STAGING, sha, when, kind="release")
        at = when + self.ctx.uniform(20, 90) * MINUTE
        shipped = []
        for environment in environments:
            deployment = self.deploy_with_retries(environment, sha, at)
            shipped.append(deployment)
            at = deployment.statuses[-1].created_at.timestamp() + self.ctx.uniform(10, 40) * MINUTE
        self.busy_until = at
        self.routine_releases += 1
        if self.routine_releases % RELEASE_EVERY == 0:
            self._tag_release(shipped[0])
        failure_probability = self.team.at(when).failure_probability  # this quarter's
        if self.on_release is not None and self.ctx.chance(failure_probability):
            self.on_release(shipped)

    def deploy_with_retries(self, environment: str, sha: str, at: float) -> Deployment:
        """Deploy; a failed attempt is followed by a retry of the same sha a little later."""
        p_fail = TRUE_COEFFICIENTS["attempt_failure_probability"]["value"]
        attempt = self.deploy(environment, sha, at, kind="release", fail=self.ctx.chance(p_fail))
        if attempt.succeeded:
            return attempt
        retry_at = attempt.statuses[-1].created_at.timestamp() + self.ctx.uniform(10, 60) * MINUTE
        retry = self.deploy(environment, sha, retry_at, kind="retry")
        retry.retry_of = attempt.deployment_id
        return retry

    def deploy(self, environment: str, sha: str, created: float, *, kind: str,
               ref: str = "main", creator: str = ACTIONS_BOT, fail: bool = False) -> Deployment:
        """One deployment with its statuses: in_progress, then success or failure/error."""
        started = created + self.ctx.uniform(5, 60)
        finished = started + self.ctx.uniform(3, 25) * MINUTE
        outcome = ("failure" if self.ctx.chance(0.7) else "error") if fail else "success"
        deployment = Deployment(
            repo=self.repo.full_name, deployment_id=self.ctx.next_id(), environment=environment,
            sha=sha, ref=ref, task="deploy", creator_login=creator,
            created_at=to_datetime(created),
            statuses=[self._status("in_progress", started, "Deployment started", creator),
                      self._status(outcome, finished, f"Deployment {outcome}", creator)],
            production=environment in self.repo.production_environments, kind=kind)
        self.repo.deployments.append(deployment)
        if outcome == "success":
            earlier = self.successes.setdefault(environment, [])
            if earlier:  # GitHub's auto_inactive on the previous active deployment
                earlier[-1].statuses.append(
                    self._status("inactive", finished, "Superseded", ACTIONS_BOT))
            earlier.append(deployment)
        return deployment

    def _status(self, state: str, when: float, description: str, creator: str) -> DeploymentStatus:
        return DeploymentStatus(self.ctx.next_id(), state, to_datetime(when), description,
                                creator)

    def previous_success(self, deployment: Deployment) -> Deployment | None:
        """The successful deployment of the same environment just before `deployment`."""
        chain = self.successes.get(deployment.environment, [])
        position = next(i for i, d in enumerate(chain) if d is deployment)
        return chain[position - 1] if position > 0 else None

    def _tag_release(self, deployment: Deployment) -> None:
        number = len(self.repo.releases) + 1
        created = deployment.statuses[-1].created_at.timestamp()
        self.repo.releases.append(Release(
            repo=self.repo.full_name, release_id=self.ctx.next_id(),
            tag_name=f"v1.{number}.0", name=f"v1.{number}.0", target_sha=deployment.sha,
            author_login=text.pick(self.ctx.rng, self.team.members),
            created_at=to_datetime(created),
            published_at=to_datetime(created + self.ctx.uniform(0, 3) * HOUR)))
