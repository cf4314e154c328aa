"""Changes shipped by production deployments (merged PRs and direct pushes) and lead times.

A PR is shipped by the first production deployment (by finish time, any environment of its
repo) whose change set holds its merge_commit_sha, which works for merge, squash and rebase
merges alike. A change-set commit that belongs to no merged PR (not its merge commit, not one of
its commits, not a rebased copy of one: same authored time and message) is a direct push,
shipped the same way; its lead time starts at its own authored time (docs/metrics.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oracle_chains import ProductionDeployment

from simulator.model import Org, PullRequest, Repo

HOUR_SECONDS = 3600.0


@dataclass(frozen=True)
class ShippedChange:
    """One change and the deployment that shipped it; spans in hours, None when negative.

    `key` is "#<number>" for a PR and the commit sha for a direct push. `negative_spans` names
    the spans (lead_time, coding, pickup, review, deploy) that came out negative (clock skew)
    and were therefore set to None: the data-quality columns.
    """

    repo: str
    team: str
    key: str
    kind: str
    deployment_id: int
    finished_at: datetime
    first_commit_at: datetime | None
    lead_time_hours: float | None
    coding_hours: float | None = None
    pickup_hours: float | None = None
    review_hours: float | None = None
    deploy_hours: float | None = None
    negative_spans: tuple[str, ...] = ()


def shipped_changes(org: Org, deployments: list[ProductionDeployment]) -> list[ShippedChange]:
    """Attribute every change-set commit to a change, first deployment (by finish) wins."""
    merged_by_sha = {}
    pr_commits: set[tuple[str, str]] = set()
    pr_fingerprints: set[tuple[str, datetime, str]] = set()
    for repo in org.repos.values():
        for pr in repo.pulls:
            if pr.merged_at is not None and pr.merge_commit_sha:
                merged_by_sha[repo.full_name, pr.merge_commit_sha] = pr
                pr_commits.update((repo.full_name, sha) for sha in pr.commit_shas)
                pr_fingerprints.update(_fingerprint(repo, sha) for sha in pr.commit_shas
                                       if sha in repo.commits)
    shipped: set[tuple[str, str]] = set()
    changes = []
    for deployment in sorted(deployments, key=lambda d: d.order):
        repo = org.repos[deployment.repo]
        for sha in deployment.change_set or []:
            key = deployment.repo, sha
            pr = merged_by_sha.get(key)
            if key in shipped:
                continue
            shipped.add(key)
            if pr is not None:
                changes.append(_pull_change(repo, pr, deployment))
            elif key not in pr_commits and _fingerprint(repo, sha) not in pr_fingerprints:
                changes.append(_direct_change(repo, sha, deployment))
    return changes


def _fingerprint(repo: Repo, sha: str) -> tuple[str, datetime, str]:
    """What a rebased copy keeps of the commit it copies: authored time and message."""
    commit = repo.commits[sha]
    return repo.full_name, commit.authored_at, commit.message


def _pull_change(repo: Repo, pr: PullRequest, deployment: ProductionDeployment) -> ShippedChange:
    first = min((repo.commits[s].authored_at for s in pr.commit_shas if s in repo.commits),
                default=None)
    # self-reviews and reviews after the merge did not gate the merge: no pickup
    first_review = min((r.submitted_at for r in pr.reviews
                        if r.reviewer_login != pr.author_login and pr.merged_at is not None
                        and r.submitted_at <= pr.merged_at), default=None)
    finished = deployment.finished_at
    spans = {"lead_time": _hours(first, finished), "coding": _hours(first, pr.created_at),
             "pickup": _hours(pr.created_at, first_review),
             "review": _hours(first_review, pr.merged_at),
             "deploy": _hours(pr.merged_at, finished)}
    negative = tuple(name for name, span in spans.items() if span is not None and span < 0)
    lead, coding, pickup, review, deploy = (None if s is None or s < 0 else s
                                            for s in spans.values())
    return ShippedChange(repo.full_name, deployment.team, f"#{pr.number}", "pr",
                         deployment.deployment_id, finished, first, lead, coding, pickup,
                         review, deploy, negative)


def _direct_change(repo: Repo, sha: str, deployment: ProductionDeployment) -> ShippedChange:
    authored = repo.commits[sha].authored_at
    lead = _hours(authored, deployment.finished_at)
    negative = lead is not None and lead < 0
    return ShippedChange(repo.full_name, deployment.team, sha, "direct",
                         deployment.deployment_id, deployment.finished_at, authored,
                         None if negative else lead,
                         negative_spans=("lead_time",) if negative else ())


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / HOUR_SECONDS
