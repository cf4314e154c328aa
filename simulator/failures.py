"""Plants what happens after a release ships a defect: the incident and the remediation.

Remediation is one of (equally likely):
- rollback: after the recovery time, the previous good sha is deployed again to each
  production environment (ref = that sha, created by a person);
- revert: a PR titled `Revert "<title>"` whose commit says `This reverts commit <sha>.` is
  merged, then main is deployed;
- hotfix: a PR labelled `hotfix` from a `hotfix/...` branch is merged, then main is deployed;
- fix_forward: only an incident is worked; routine releases go on while it is open.
Rollback and revert need a previous good deployment (else the failure becomes a hotfix).
An incident issue accompanies every fix-forward and 60 % of the others; half of the incident
bodies name the failed deployment's short sha (explicit reference).
"""

from __future__ import annotations

from collections.abc import Callable

from simulator import text
from simulator.context import HOUR, GenContext, to_datetime
from simulator.culture import TRUE_COEFFICIENTS
from simulator.deployments import ACTIONS_BOT, MINUTE, DeployPipeline
from simulator.model import Deployment, Issue, PullRequest
from simulator.pull_requests import PullPlan, plan_remediation

ALERT_BOT = "alertmanager[bot]"
REMEDIATIONS = ["rollback", "revert", "hotfix", "fix_forward"]
Schedule = Callable[[float, Callable[[float], None]], None]


class FailurePlanter:
    """Called by a repo's `DeployPipeline` with the deployments of a release that failed."""

    def __init__(self, ctx: GenContext, pipeline: DeployPipeline, schedule: Schedule,
                 land_pull: Callable[[PullPlan], None],
                 merged_pulls: dict[str, PullRequest]) -> None:
        self.ctx = ctx
        self.pipeline = pipeline
        self.team = pipeline.team
        self.repo = pipeline.repo
        self.schedule = schedule
        self.land_pull = land_pull
        self.merged_pulls = merged_pulls

    def __call__(self, shipped: list[Deployment]) -> None:
        ctx = self.ctx
        finished = shipped[-1].statuses[-1].created_at.timestamp()
        sd = TRUE_COEFFICIENTS["recovery_log_hours"]["sd"]
        log_median = self.team.at(finished).recovery_log_median_hours  # this quarter's
        recovery = ctx.lognormal_hours(log_median, sd, 0.25, 14 * 24)
        previous = [self.pipeline.previous_success(d) for d in shipped]
        choice = REMEDIATIONS[int(ctx.rng.integers(len(REMEDIATIONS)))]
        if choice in ("rollback", "revert") and any(p is None for p in previous):
            choice = "hotfix"
        culprit = self._culprit(previous[0], shipped[0]) if choice == "revert" else None
        if choice == "revert" and culprit is None:
            choice = "hotfix"
        for deployment in shipped:
            deployment.change_failure = True
            deployment.remediation = choice
        incident = None
        if choice == "fix_forward" or ctx.chance(0.6):
            incident = self._open_incident(shipped, finished, recovery)
        if choice == "fix_forward":
            if incident is not None:
                incident.closed_at = to_datetime(finished + recovery)
            return
        self.pipeline.busy_until = max(self.pipeline.busy_until, finished + recovery + HOUR)
        if choice in ("revert", "hotfix"):
            self._plan_fix_pull(choice, culprit, shipped[0], finished, recovery)
        self.schedule(finished + 0.8 * recovery,
                      lambda at: self._redeploy(shipped, previous, choice, at, incident))

    def _culprit(self, base: Deployment | None, bad: Deployment) -> tuple[str, str] | None:
        """(title, sha) of a change shipped by `bad`: a merged PR, else a direct push."""
        if base is None:
            return None
        change_set = self.pipeline.history.between(base.sha, bad.sha)
        pulls = [self.merged_pulls[s] for s in change_set if s in self.merged_pulls]
        if pulls:
            pr = pulls[int(self.ctx.rng.integers(len(pulls)))]
            return pr.title, pr.merge_commit_sha or ""
        commits = self.repo.commits
        direct = [s for s in change_set if commits[s].kind == "direct"]
        if direct:
            return commits[direct[-1]].message.splitlines()[0], direct[-1]
        return None

    def _plan_fix_pull(self, kind: str, culprit: tuple[str, str] | None, bad: Deployment,
                       finished: float, recovery: float) -> None:
        if kind == "revert" and culprit is not None:
            title = f'Revert "{culprit[0]}"'
            message = f"{title}\n\nThis reverts commit {culprit[1]}."
        else:
            title = f"Hotfix: guard {text.pick(self.ctx.rng, text.NOUNS)}"
            message = title
        created = finished + self.ctx.uniform(0.1, 0.3) * recovery
        plan = plan_remediation(self.ctx, self.team, kind, title, message, created,
                                finished + 0.65 * recovery)
        plan.reverts_sha = culprit[1] if kind == "revert" and culprit else None
        plan.remediates = bad.deployment_id
        self.schedule(finished + 0.65 * recovery, lambda _at: self.land_pull(plan))

    def _redeploy(self, shipped: list[Deployment], previous: list[Deployment | None], kind: str,
                  at: float, incident: Issue | None) -> None:
        """The remediating deployment for each failed production deployment, in order."""
        for bad, good in zip(shipped, previous, strict=True):
            if kind == "rollback" and good is not None:
                fix = self.pipeline.deploy(bad.environment, good.sha, at, kind=kind,
                                           ref=good.sha, creator=text.pick(self.ctx.rng,
                                                                           self.team.members))
            else:
                fix = self.pipeline.deploy(bad.environment, self.pipeline.history.head_at(at),
                                           at, kind=kind, creator=ACTIONS_BOT)
            fix.remediates = bad.deployment_id
            bad.remediated_by = fix.deployment_id
            at = fix.statuses[-1].created_at.timestamp() + self.ctx.uniform(5, 20) * MINUTE
        if incident is not None:
            incident.closed_at = to_datetime(at + self.ctx.uniform(5, 60) * MINUTE)

    def _open_incident(self, shipped: list[Deployment], finished: float,
                       recovery: float) -> Issue:
        ctx = self.ctx
        detected = finished + min(max(5 * MINUTE, ctx.uniform(0.05, 0.5) * recovery), 6 * HOUR)
        explicit = ctx.chance(0.5)
        last = shipped[-1]
        noun = text.pick(ctx.rng, text.NOUNS)
        if explicit:
            body = (f"Error rate spiked right after deploying `{last.sha[:7]}` to "
                    f"{last.environment}.\n\nImpact: {noun} failing for some users.")
        else:
            body = f"Customers report failures in the {noun}.\n\nInvestigating."
        severity = text.pick(ctx.rng, ["sev1", "sev2", "sev2", "sev3", "sev3"])
        issue = Issue(
            repo=self.repo.full_name, number=ctx.next_id(), issue_id=ctx.next_id(),
            title=f"{severity.upper()}: {noun} errors in {self.repo.name}", body=body,
            author_login=ALERT_BOT if ctx.chance(0.25) else text.pick(ctx.rng, self.team.members),
            labels=["incident", severity], created_at=to_datetime(detected), closed_at=None,
            kind="incident", caused_by_deployment_ids=[d.deployment_id for d in shipped],
            mentions_sha=explicit)
        self.repo.issues.append(issue)
        return issue
