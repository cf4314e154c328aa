"""Builds tiny hand-made `Org` event logs (team `alpha`, repo `acme/app`) for the oracle's tests.

Times are hours after T0 (Monday 2026-01-05 00:00 UTC), so expected metrics can be derived by
hand. Shas are sha1 of a readable label, so an issue body can name one the way a person would.
Commits get real parents (what compare() walks off main); calls must follow the order in which
things land on main. The truth fields (Deployment.production, kind, ...) stay blank: the
oracle must not need them.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta

from simulator.culture import TeamCulture
from simulator.culture_drift import TeamCultureSeries
from simulator.model import (
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    Org,
    PullRequest,
    Repo,
    Review,
    Team,
)

T0 = datetime(2026, 1, 5, tzinfo=UTC)
REPO = "acme/app"
TEAM = "alpha"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def sha(label: str) -> str:
    return hashlib.sha1(label.encode()).hexdigest()


def _team(name: str, repo: str, environments: list[str]) -> Team:
    # The oracle never reads culture: a constant, all-zero one fills the field.
    culture = TeamCulture(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ("bob",))
    series = TeamCultureSeries.constant(culture, at(-100).timestamp(), at(24 * 120).timestamp())
    return Team(name, ["ann", "bob"], [repo], environments, series)


class TinyOrg:
    """One team `alpha` owning one repo `acme/app`, whose main starts with commit "c0"."""

    def __init__(self, environments: tuple[str, ...] = ("production",)) -> None:
        self._ids = itertools.count(1)
        self.repo = Repo("app", REPO, 1, TEAM, at(-100), list(environments))
        self.org = Org("acme", 1, 0, at(-100), at(24 * 120),
                       [_team(TEAM, REPO, list(environments))], {}, {REPO: self.repo}, {})
        self.push("c0", -100)

    def add_idle_team(self, name: str) -> None:
        """A second team with a repo of its own and no activity at all."""
        repo = Repo("idle", f"acme/{name}", 2, name, at(-100), ["production"])
        self.org.teams.append(_team(name, repo.full_name, ["production"]))
        self.org.repos[repo.full_name] = repo

    def _commit(self, label: str, hours: float, message: str, kind: str, parents: list[str],
                on_main: bool) -> str:
        commit = Commit(sha(label), REPO, kind, "ann", at(hours), "ann", at(hours),
                        message or label, parents)
        self.repo.commits[commit.sha] = commit
        if on_main:
            self.repo.main_history.append(commit.sha)
        return commit.sha

    @property
    def head(self) -> list[str]:
        return self.repo.main_history[-1:]

    def push(self, label: str, hours: float, message: str = "") -> str:
        """A direct push to main, authored at `hours`."""
        return self._commit(label, hours, message, "direct", self.head, on_main=True)

    def off_main(self, label: str, hours: float, parent: str) -> str:
        """A commit on a side branch of commit `parent` (deployable, never on main)."""
        return self._commit(label, hours, "", "branch", [sha(parent)], on_main=False)

    def pull(self, number: int, commits: list[tuple[str, float]], created: float,
             merged: float | None, *, method: str = "merge", title: str = "Add feature",
             labels: tuple[str, ...] = (), head_ref: str = "feature/x",
             reviews: tuple[tuple[str, float], ...] = (), messages: tuple[str, ...] = ()
             ) -> PullRequest:
        """A PR by "ann" with branch commits (label, authored hours), forked from main's head,
        and approving reviews (login, hours); merged at `merged` with `method` (merge: the
        branch and a merge commit land on main; squash: one new commit "merge-N"; rebase:
        copies "rebase-N-i" with the same authored time and message), else still open."""
        texts = list(messages) or [label for label, _ in commits]
        base = self.head
        branch: list[str] = []
        for (label, hours), text in zip(commits, texts, strict=True):
            branch.append(self._commit(label, hours, text, "branch", branch[-1:] or base,
                                       on_main=False))
        merge_sha = None
        if merged is not None and method == "rebase":
            for i, original in enumerate(branch):
                source = self.repo.commits[original]
                merge_sha = self._commit(f"rebase-{number}-{i}", 0, source.message, "rebase",
                                         self.head, on_main=True)
                self.repo.commits[merge_sha].authored_at = source.authored_at
        elif merged is not None:
            if method == "merge":
                self.repo.main_history.extend(branch)
            parents = [*base, branch[-1]] if method == "merge" else self.head
            merge_sha = self._commit(f"merge-{number}", merged, title, method, parents,
                                     on_main=True)
        done = at(merged) if merged is not None else None
        pr = PullRequest(REPO, number, next(self._ids), title, "", "ann", head_ref, "main",
                         list(labels), at(created), done, done, "bob" if done else None,
                         method if done else None, merge_sha, branch[-1], base[0], branch)
        pr.reviews = [Review(next(self._ids), login, "APPROVED", at(hours), branch[-1], "")
                      for login, hours in reviews]
        self.repo.pulls.append(pr)
        return pr

    def deploy(self, label: str, finished: float | None, *, environment: str = "production",
               state: str = "success") -> Deployment:
        """A deployment of commit `label`: in_progress 10 minutes before `finished`, then
        `state` at `finished` (None: still in progress)."""
        started = (finished or 0.0) - 1 / 6
        statuses = [DeploymentStatus(next(self._ids), "in_progress", at(started), "", "bot")]
        if finished is not None:
            statuses.append(DeploymentStatus(next(self._ids), state, at(finished), "", "bot"))
        deployment = Deployment(REPO, 1000 + len(self.repo.deployments), environment,
                                sha(label), "main", "deploy", "bot", at(started), statuses,
                                production=False)
        self.repo.deployments.append(deployment)
        return deployment

    def issue(self, number: int, created: float, closed: float | None, body: str,
              labels: tuple[str, ...] = ("incident",)) -> Issue:
        issue = Issue(REPO, number, next(self._ids), f"Issue {number}", body, "ann",
                      list(labels), at(created), at(closed) if closed is not None else None,
                      kind="unknown")
        self.repo.issues.append(issue)
        return issue
