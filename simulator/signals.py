"""Which signal each simulated repository deploys by, and the releases of release repos.

Candor reads a repository's production deployments from one signal (docs/metrics.md §2). The
simulated org has repositories of each kind, chosen by position, without random draws:
- the first repository of the second team of every six (`search` in the default org) deploys
  from the Actions workflow `Deploy production` (simulator/actions.py serves its runs);
- the first repository of the third team of every six (`growth`... in the default org) deploys
  by publishing releases (below);
- every other repository uses the Deployments API.
Every repository still serves its Deployments-API deployments and its Actions runs (a deploy
job with an `environment:` creates both on GitHub); the demo config (`demo_config`) tells Candor
which one to read.

Releases of a release repository are derived from its deployment event log, so the truth
(which deployment failed, what remediated it, which incident it caused) stays in
`Repo.deployments`: each successful production deployment is a published release with the same
id, tag `v1.N.0`, the deployed sha and `published_at` = the deployment's finish. Failed
attempts publish nothing. Around them are releases that are not deployments: a prerelease
`v1.N.0-rc.1` for every successful staging deployment, a `docs-N` release (tag not matching)
after every `DOCS_EVERY`-th release, and one draft after the last release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from simulator.model import Org, Repo

WORKFLOW_TEAM = 1
RELEASE_TEAM = 2
TEAM_CYCLE = 6
DOCS_EVERY = 4
DOCS_RELEASE_ID_BASE = 70_000_000
DRAFT_RELEASE_ID_BASE = 80_000_000

DEPLOY_WORKFLOW_REGEX = r"^Deploy production$"
RELEASE_TAG_REGEX = r"^v[0-9]+\.[0-9]+\.[0-9]+$"


@dataclass(frozen=True)
class ServedRelease:
    """A release as the API shows it; `published_at` None is a draft."""

    release_id: int
    tag_name: str
    name: str
    target_sha: str
    author_login: str
    created_at: datetime
    published_at: datetime | None
    prerelease: bool = False


def deployment_signal(org: Org, repo: Repo) -> str:
    """environment, workflow or release: which signal `repo` deploys by."""
    for index, team in enumerate(org.teams):
        if team.repos and team.repos[0] == repo.full_name:
            position = index % TEAM_CYCLE
            if position == WORKFLOW_TEAM:
                return "workflow"
            if position == RELEASE_TEAM:
                return "release"
    return "environment"


def repo_rules(org: Org) -> dict[str, Any]:
    """`rules.repo_rules` entries of candor.yaml for the repositories not using environment."""
    rules: dict[str, Any] = {}
    for name, repo in sorted(org.repos.items()):
        signal = deployment_signal(org, repo)
        if signal == "workflow":
            rules[name] = {"deployments": {"signal": "workflow",
                                           "workflow_regex": DEPLOY_WORKFLOW_REGEX,
                                           "branch": repo.default_branch}}
        elif signal == "release":
            rules[name] = {"deployments": {"signal": "release", "tag_regex": RELEASE_TAG_REGEX}}
    return rules


def served_releases(org: Org, repo: Repo) -> list[ServedRelease]:
    """The releases `repo` serves, oldest first: derived ones for a release repository, the
    generator's `Repo.releases` (published, not prereleases) for the others."""
    if deployment_signal(org, repo) != "release":
        return [ServedRelease(r.release_id, r.tag_name, r.name, r.target_sha, r.author_login,
                              r.created_at, r.published_at) for r in repo.releases]
    releases: list[ServedRelease] = []
    number = 0
    for d in repo.deployments:
        finished = d.finished_at
        if finished is None:
            continue
        if not d.production:
            tag = f"v1.{number + 1}.0-rc.{d.deployment_id % 1000}"
            releases.append(ServedRelease(d.deployment_id, tag, tag, d.sha, d.creator_login,
                                          d.created_at, finished, prerelease=True))
            continue
        number += 1
        tag = f"v1.{number}.0"
        releases.append(ServedRelease(d.deployment_id, tag, tag, d.sha, d.creator_login,
                                      d.created_at, finished))
        if number % DOCS_EVERY == 0:
            docs = finished + timedelta(minutes=10)
            releases.append(ServedRelease(DOCS_RELEASE_ID_BASE + number, f"docs-{number}",
                                          f"Docs {number}", d.sha, d.creator_login, docs, docs))
    if number:
        last = max(r.published_at for r in releases if r.published_at is not None)
        releases.append(ServedRelease(DRAFT_RELEASE_ID_BASE + repo.repo_id, f"v1.{number + 1}.0",
                                      "Next release", releases[-1].target_sha,
                                      releases[-1].author_login, last + timedelta(hours=1), None))
    return sorted(releases, key=lambda r: (r.created_at, r.release_id))
