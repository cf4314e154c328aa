"""Pull requests as of a clock, and their JSON shapes (list item, single PR, issue view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.github_json import GithubJson, iso
from simulator.model import PullRequest, Repo, Review, ReviewComment


@dataclass
class PullAtClock:
    """What GitHub would show of `pr` at `clock`: only what had happened by then."""

    pr: PullRequest
    commits: list[str]
    reviews: list[Review]
    comments: list[ReviewComment]
    closed_at: datetime | None
    merged_at: datetime | None
    updated_at: datetime

    @property
    def state(self) -> str:
        return "closed" if self.closed_at else "open"

    @property
    def merge_commit_sha(self) -> str | None:
        return self.pr.merge_commit_sha if self.merged_at else None


def pull_at(repo: Repo, pr: PullRequest, clock: datetime) -> PullAtClock:
    commits = [s for s in pr.commit_shas if repo.commits[s].committed_at <= clock] or [
        pr.commit_shas[0]]
    reviews = [v for v in pr.reviews if v.submitted_at <= clock]
    comments = [c for c in pr.comments if c.created_at <= clock]
    closed = pr.closed_at if pr.closed_at and pr.closed_at <= clock else None
    merged = pr.merged_at if pr.merged_at and pr.merged_at <= clock else None
    moments = [pr.created_at, *(repo.commits[s].committed_at for s in commits),
               *(v.submitted_at for v in reviews), *(c.created_at for c in comments)]
    if closed:
        moments.append(closed)
    updated = max(m for m in moments if m <= clock)
    return PullAtClock(pr, commits, reviews, comments, closed, merged, updated)


def pull_json(render: GithubJson, repo: Repo, view: PullAtClock, full: bool) -> dict[str, Any]:
    """A PR as in `GET /pulls` (full=False) or `GET /pulls/{n}` (full=True)."""
    pr = view.pr
    api = f"{render.api}/repos/{repo.full_name}"
    html = f"{render.web}/{repo.full_name}/pull/{pr.number}"
    head_sha = view.commits[-1]
    repo_json = render.repo(repo)
    body: dict[str, Any] = {
        "url": f"{api}/pulls/{pr.number}", "id": pr.pr_id,
        "node_id": f"PR_{pr.pr_id}", "html_url": html, "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch", "issue_url": f"{api}/issues/{pr.number}",
        "commits_url": f"{api}/pulls/{pr.number}/commits",
        "review_comments_url": f"{api}/pulls/{pr.number}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{pr.number}/comments",
        "statuses_url": f"{api}/statuses/{head_sha}",
        "number": pr.number, "state": view.state, "locked": False, "title": pr.title,
        "user": render.user(pr.author_login), "body": pr.body,
        "labels": [render.label(repo, n) for n in pr.labels], "milestone": None,
        "active_lock_reason": None, "created_at": iso(pr.created_at),
        "updated_at": iso(view.updated_at), "closed_at": iso(view.closed_at),
        "merged_at": iso(view.merged_at), "merge_commit_sha": view.merge_commit_sha,
        "assignee": None, "assignees": [], "requested_reviewers": [], "requested_teams": [],
        "draft": False,
        "head": {"label": f"{repo.full_name.split('/')[0]}:{pr.head_ref}", "ref": pr.head_ref,
                 "sha": head_sha, "user": repo_json["owner"], "repo": repo_json},
        "base": {"label": f"{repo.full_name.split('/')[0]}:{pr.base_ref}", "ref": pr.base_ref,
                 "sha": pr.base_sha, "user": repo_json["owner"], "repo": repo_json},
        "_links": {"self": {"href": f"{api}/pulls/{pr.number}"}, "html": {"href": html},
                   "commits": {"href": f"{api}/pulls/{pr.number}/commits"}},
        "author_association": "MEMBER", "auto_merge": None,
    }
    if full:
        body.update({
            "merged": view.merged_at is not None, "mergeable": None if view.closed_at else True,
            "mergeable_state": "unknown" if view.closed_at else "clean",
            "merged_by": render.user(pr.merged_by) if view.merged_at else None,
            "comments": 0, "review_comments": len(view.comments),
            "maintainer_can_modify": False, "commits": len(view.commits),
            "additions": 10 * len(view.commits), "deletions": 3 * len(view.commits),
            "changed_files": len(view.commits),
        })
    return body


def pull_as_issue(render: GithubJson, repo: Repo, view: PullAtClock) -> dict[str, Any]:
    """A PR as it appears in `GET /issues`: an issue with a `pull_request` key."""
    pr = view.pr
    body = render.issue_common(repo, pr.number, pr.title, pr.body, pr.author_login, pr.labels,
                                pr.pr_id, pr.created_at, view.closed_at, view.updated_at)
    html = f"{render.web}/{repo.full_name}/pull/{pr.number}"
    body["pull_request"] = {"url": f"{render.api}/repos/{repo.full_name}/pulls/{pr.number}",
                            "html_url": html, "diff_url": f"{html}.diff",
                            "patch_url": f"{html}.patch", "merged_at": iso(view.merged_at)}
    body["draft"] = False
    return body
