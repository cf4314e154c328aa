"""Final pass over a generated org: cut everything after the window's end, then give ids and
numbers in creation order (as GitHub does) and write the messages that quote PR numbers.

During generation ids are provisional (one counter for everything); references between
objects (retry_of, remediates, remediated_by, caused_by_deployment_ids, Commit.pr_number,
ReviewComment.review_id, PullRequest.remediates_deployment_id) are rewritten here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from simulator.model import Commit, Deployment, Org, PullRequest, Repo

DEPLOYMENT_ID_BASE = 1_000_000
STATUS_ID_BASE = 3_000_000
PR_ID_BASE = 700_000
ISSUE_ID_BASE = 800_000
REVIEW_ID_BASE = 10_000_000
COMMENT_ID_BASE = 20_000_000
RELEASE_ID_BASE = 400_000


def finalize(org: Org) -> None:
    for repo in org.repos.values():
        _trim(repo, org.end)
    _renumber_deployments(org)
    for repo in org.repos.values():
        _number_pulls_and_issues(repo)
        _write_merge_messages(org.name, repo)
    pulls = [p for r in org.repos.values() for p in r.pulls]
    _sequence(pulls, lambda p: p.created_at, PR_ID_BASE, "pr_id")
    _sequence([i for r in org.repos.values() for i in r.issues], lambda i: i.created_at,
              ISSUE_ID_BASE, "issue_id")
    reviews = _sequence([v for p in pulls for v in p.reviews], lambda v: v.submitted_at,
                        REVIEW_ID_BASE, "review_id")
    for comment in (c for p in pulls for c in p.comments):
        comment.review_id = reviews[comment.review_id]
    _sequence([c for p in pulls for c in p.comments], lambda c: c.created_at, COMMENT_ID_BASE,
              "comment_id")
    _sequence([x for r in org.repos.values() for x in r.releases], lambda x: x.created_at,
              RELEASE_ID_BASE, "release_id")


def _sequence(items: Iterable, when, base: int, attribute: str) -> dict[int, int]:
    """Set `attribute` to base+1, base+2, ... in (time, provisional id) order; return old->new."""
    mapping = {}
    for position, item in enumerate(sorted(items, key=lambda x: (when(x), getattr(x, attribute)))):
        mapping[getattr(item, attribute)] = base + position + 1
        setattr(item, attribute, base + position + 1)
    return mapping


def _trim(repo: Repo, end: datetime) -> None:
    repo.deployments = [d for d in repo.deployments if d.created_at <= end]
    kept = {d.deployment_id for d in repo.deployments}
    for deployment in repo.deployments:
        deployment.statuses = [s for s in deployment.statuses if s.created_at <= end]
        if deployment.remediated_by not in kept:
            deployment.remediated_by = None
    repo.issues = [i for i in repo.issues if i.created_at <= end]
    for issue in repo.issues:
        if issue.closed_at is not None and issue.closed_at > end:
            issue.closed_at = None
    repo.releases = [x for x in repo.releases if x.published_at <= end]


def _renumber_deployments(org: Org) -> None:
    deployments: list[Deployment] = [d for r in org.repos.values() for d in r.deployments]
    ids = _sequence(deployments, lambda d: d.created_at, DEPLOYMENT_ID_BASE, "deployment_id")
    for d in deployments:
        d.retry_of = ids.get(d.retry_of) if d.retry_of else None
        d.remediates = ids.get(d.remediates) if d.remediates else None
        d.remediated_by = ids.get(d.remediated_by) if d.remediated_by else None
    _sequence([s for d in deployments for s in d.statuses], lambda s: s.created_at,
              STATUS_ID_BASE, "status_id")
    for repo in org.repos.values():
        repo.deployments.sort(key=lambda d: d.deployment_id)
        for issue in repo.issues:
            issue.caused_by_deployment_ids = [ids[x] for x in issue.caused_by_deployment_ids]
        for pr in repo.pulls:
            if pr.remediates_deployment_id is not None:
                pr.remediates_deployment_id = ids.get(pr.remediates_deployment_id)


def _number_pulls_and_issues(repo: Repo) -> None:
    """PRs and issues share one number sequence per repo, in creation order."""
    items = sorted([*repo.pulls, *repo.issues], key=lambda x: (x.created_at, x.number))
    pr_numbers = {}
    for number, item in enumerate(items, start=1):
        if isinstance(item, PullRequest):
            pr_numbers[item.number] = number
        item.number = number
    for commit in repo.commits.values():
        if commit.pr_number is not None:
            commit.pr_number = pr_numbers[commit.pr_number]
    repo.pulls.sort(key=lambda p: p.number)
    repo.issues.sort(key=lambda i: i.number)
    by_deployment = {d.deployment_id: d for d in repo.deployments}
    for issue in repo.issues:
        for deployment_id in issue.caused_by_deployment_ids:
            by_deployment[deployment_id].incident_numbers.append(issue.number)


def _write_merge_messages(org_name: str, repo: Repo) -> None:
    """GitHub's default messages for merge and squash commits, which quote the PR number."""
    for pr in repo.pulls:
        if pr.merge_commit_sha is None or pr.merge_method == "rebase":
            continue
        commit: Commit = repo.commits[pr.merge_commit_sha]
        if pr.merge_method == "merge":
            commit.message = f"Merge pull request #{pr.number} from {org_name}/{pr.head_ref}"
            commit.message += f"\n\n{pr.title}"
        else:
            bullets = "\n\n".join(f"* {repo.commits[s].message}" for s in pr.commit_shas)
            commit.message = f"{pr.title} (#{pr.number})\n\n{bullets}"
