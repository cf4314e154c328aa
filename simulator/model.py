"""The simulated organization as plain dataclasses: the generator's complete event log.

Everything the simulated APIs serve is derived from these objects, and nothing else: a test or
an independent DORA recomputation can read the truth straight from here. All timestamps are
timezone-aware UTC datetimes with whole seconds. Ids and numbers are assigned in creation order
(GitHub style): deployment, status, PR, issue, review, comment and release ids grow with their
creation time across the whole org; PR and issue numbers share one sequence per repository.

Besides what GitHub would show, the objects carry the *causal* facts the generator planted
(which deployment introduced a defect, what remediated it, which incident it caused). Those
fields are marked "truth" in the docstrings; the API never serves them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.culture import CultureKnobs, TeamCulture
from simulator.culture_drift import TeamCultureSeries
from simulator.model_delivery import Deployment, DeploymentStatus, Issue, Release
from simulator.model_git import Commit, PullRequest, Review, ReviewComment

__all__ = ["Commit", "Deployment", "DeploymentStatus", "Issue", "Org", "Person", "PullRequest",
           "Release", "Repo", "Review", "ReviewComment", "Team"]


@dataclass
class Person:
    """A GitHub account. Humans belong to a team; bots (`kind="Bot"`) have `team=None`.

    `name` and `email` appear only inside commit objects (`commit.author`), as on GitHub; they
    exist so privacy tests can check they never reach the warehouse.
    """

    login: str
    user_id: int
    name: str
    email: str
    team: str | None
    kind: str = "User"


@dataclass
class Team:
    """A team, its people and repositories, and its latent culture (truth).

    `culture` holds the team's standardized latent values (psychological safety, Westrum,
    learning) per calendar quarter, and the behaviour and delivery rates they produced through
    the coefficients in `Org.coefficients` (simulator/culture_drift.py). Everything the team
    does reads the quarter it happens in: `team.at(when)`.
    """

    name: str
    members: list[str]
    repos: list[str]
    production_environments: list[str]
    culture: TeamCultureSeries

    def at(self, when: float | datetime) -> TeamCulture:
        """The team's culture and rates in the quarter holding `when` (epoch s or datetime)."""
        return self.culture.at(when)


@dataclass
class Repo:
    """A repository owned by the org, with its whole history.

    `commits` holds every commit by sha (branch commits of unmerged PRs too). `main_history`
    lists the shas reachable from main in the order they became reachable: a merge PR's branch
    commits come just before its merge commit. So for two shas on main, compare(base...head) is
    the slice after base up to and including head.
    """

    name: str
    full_name: str
    repo_id: int
    team: str
    created_at: datetime
    production_environments: list[str]
    default_branch: str = "main"
    commits: dict[str, Commit] = field(default_factory=dict)
    main_history: list[str] = field(default_factory=list)
    pulls: list[PullRequest] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)


@dataclass
class Org:
    """The whole simulated organization: teams, people, repos and the true model coefficients."""

    name: str
    org_id: int
    seed: int
    start: datetime
    end: datetime
    teams: list[Team]
    people: dict[str, Person]
    repos: dict[str, Repo]
    coefficients: dict[str, Any]
    knobs: CultureKnobs = field(default_factory=CultureKnobs)
    activity: float = 1.0  # multiplies the routine PR and direct-push rates

    def team(self, name: str) -> Team:
        return next(t for t in self.teams if t.name == name)

    def demo_config(self) -> dict[str, Any]:
        """The `teams:` and `rules.repo_rules` sections of a candor.yaml for this org."""
        from simulator.exports import demo_config

        return demo_config(self)

    def ground_truth(self) -> dict[str, Any]:
        """True coefficients, knobs, team-quarter latent values and planted counts (JSON)."""
        from simulator.truth import ground_truth

        return ground_truth(self)

    def write_ground_truth(self, path: str | Path) -> Path:
        """Write `ground_truth()` as indented JSON to `path` and return the path."""
        target = Path(path)
        target.write_text(json.dumps(self.ground_truth(), indent=2, sort_keys=True) + "\n")
        return target
