"""GitHub REST JSON shapes for the model objects, as seen at a given clock.

Field names and nesting follow the recorded and documented examples (api-examples/github);
URLs are built on the base URL the request came in on, so PyGithub follows them. Objects are
rendered "as of" `clock`: later reviews, statuses, merges and closes are not shown yet.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from simulator.model import (
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    Org,
    PullRequest,
    Release,
    Repo,
    Review,
    ReviewComment,
)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, number: int | str) -> str:
    return hashlib.sha1(f"{kind}:{number}".encode()).hexdigest()[:20]


class GithubJson:
    """Renders model objects for one API base (e.g. http://127.0.0.1:8765/api/v3)."""

    def __init__(self, org: Org, api: str, web: str) -> None:
        self.org = org
        self.api = api
        self.web = web
        self._users: dict[str, dict[str, Any]] = {}
        self._repos: dict[str, dict[str, Any]] = {}

    def user(self, login: str | None) -> dict[str, Any] | None:
        if login is None:
            return None
        if login not in self._users:
            person = self.org.people.get(login)
            uid = person.user_id if person else 1
            api = f"{self.api}/users/{login}"
            self._users[login] = {
                "login": login, "id": uid, "node_id": node_id("user", uid),
                "avatar_url": f"{self.web}/avatars/u/{uid}", "gravatar_id": "",
                "url": api, "html_url": f"{self.web}/{login}",
                "followers_url": f"{api}/followers", "repos_url": f"{api}/repos",
                "organizations_url": f"{api}/orgs", "events_url": f"{api}/events{{/privacy}}",
                "type": person.kind if person else "User", "site_admin": False,
            }
        return self._users[login]

    def organization(self) -> dict[str, Any]:
        api = f"{self.api}/orgs/{self.org.name}"
        return {"login": self.org.name, "id": self.org.org_id,
                "node_id": node_id("org", self.org.org_id), "url": api,
                "repos_url": f"{api}/repos", "html_url": f"{self.web}/{self.org.name}",
                "avatar_url": f"{self.web}/avatars/u/{self.org.org_id}", "type": "Organization",
                "site_admin": False, "description": "Simulated organization"}

    def repo(self, repo: Repo) -> dict[str, Any]:
        if repo.full_name not in self._repos:
            api = f"{self.api}/repos/{repo.full_name}"
            owner = {**self.organization(), "url": f"{self.api}/users/{self.org.name}"}
            self._repos[repo.full_name] = {
                "id": repo.repo_id, "node_id": node_id("repo", repo.repo_id),
                "name": repo.name, "full_name": repo.full_name, "private": True,
                "owner": owner, "html_url": f"{self.web}/{repo.full_name}",
                "description": f"{repo.team} team service", "fork": False, "url": api,
                "pulls_url": f"{api}/pulls{{/number}}", "issues_url": f"{api}/issues{{/number}}",
                "deployments_url": f"{api}/deployments", "releases_url": f"{api}/releases{{/id}}",
                "compare_url": f"{api}/compare/{{base}}...{{head}}",
                "commits_url": f"{api}/commits{{/sha}}",
                "created_at": iso(repo.created_at), "updated_at": iso(self.org.end),
                "pushed_at": iso(self.org.end), "default_branch": repo.default_branch,
                "visibility": "private", "archived": False, "disabled": False,
                "topics": [repo.team], "language": "Python",
            }
        return self._repos[repo.full_name]

    def commit(self, repo: Repo, commit: Commit) -> dict[str, Any]:
        """The commit shape of pulls/{n}/commits and compare: git data plus GitHub users."""
        api = f"{self.api}/repos/{repo.full_name}"
        author = self.org.people[commit.author_login]
        committer = self.org.people.get(commit.committer_login)
        tree = hashlib.sha1(f"tree:{commit.sha}".encode()).hexdigest()
        return {
            "sha": commit.sha, "node_id": node_id("commit", commit.sha),
            "commit": {
                "author": {"name": author.name, "email": author.email,
                           "date": iso(commit.authored_at)},
                "committer": {"name": committer.name if committer else "GitHub",
                              "email": committer.email if committer else "noreply@github.com",
                              "date": iso(commit.committed_at)},
                "message": commit.message,
                "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"},
                "url": f"{api}/git/commits/{commit.sha}", "comment_count": 0,
            },
            "url": f"{api}/commits/{commit.sha}",
            "html_url": f"{self.web}/{repo.full_name}/commit/{commit.sha}",
            "comments_url": f"{api}/commits/{commit.sha}/comments",
            "author": self.user(commit.author_login),
            "committer": self.user(commit.committer_login),
            "parents": [{"sha": p, "url": f"{api}/commits/{p}",
                         "html_url": f"{self.web}/{repo.full_name}/commit/{p}"}
                        for p in commit.parents],
        }

    def label(self, repo: Repo, name: str) -> dict[str, Any]:
        return {"id": int(hashlib.sha1(name.encode()).hexdigest()[:8], 16),
                "node_id": node_id("label", name), "name": name, "color": "d73a4a",
                "url": f"{self.api}/repos/{repo.full_name}/labels/{name}",
                "description": None, "default": name in ("bug", "enhancement")}

    def deployment(self, repo: Repo, d: Deployment, clock: datetime) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/deployments/{d.deployment_id}"
        seen = [s.created_at for s in d.statuses if s.created_at <= clock]
        return {
            "url": api, "id": d.deployment_id, "node_id": node_id("deploy", d.deployment_id),
            "sha": d.sha, "ref": d.ref, "task": d.task, "payload": {},
            "original_environment": d.environment, "environment": d.environment,
            "description": f"{d.kind} of {d.ref}", "creator": self.user(d.creator_login),
            "created_at": iso(d.created_at), "updated_at": iso(max([d.created_at, *seen])),
            "statuses_url": f"{api}/statuses",
            "repository_url": f"{self.api}/repos/{repo.full_name}",
            "transient_environment": False,
            "production_environment": d.environment in repo.production_environments,
            "performed_via_github_app": None,
        }

    def deployment_status(self, repo: Repo, d: Deployment, s: DeploymentStatus
                          ) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/deployments/{d.deployment_id}"
        log = f"{self.web}/{repo.full_name}/actions/runs/{d.deployment_id}"
        return {
            "url": f"{api}/statuses/{s.status_id}", "id": s.status_id,
            "node_id": node_id("status", s.status_id), "state": s.state,
            "creator": self.user(s.creator_login), "description": s.description,
            "environment": d.environment, "target_url": log,
            "created_at": iso(s.created_at), "updated_at": iso(s.created_at),
            "deployment_url": api, "repository_url": f"{self.api}/repos/{repo.full_name}",
            "environment_url": "", "log_url": log, "performed_via_github_app": None,
        }

    def release(self, repo: Repo, r: Release, clock: datetime) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/releases/{r.release_id}"
        published = r.published_at <= clock
        return {
            "url": api, "assets_url": f"{api}/assets",
            "html_url": f"{self.web}/{repo.full_name}/releases/tag/{r.tag_name}",
            "id": r.release_id, "node_id": node_id("release", r.release_id),
            "tag_name": r.tag_name, "target_commitish": r.target_sha, "name": r.name,
            "draft": not published, "prerelease": False, "author": self.user(r.author_login),
            "created_at": iso(r.created_at),
            "published_at": iso(r.published_at) if published else None, "assets": [],
            "tarball_url": f"{self.api}/repos/{repo.full_name}/tarball/{r.tag_name}",
            "zipball_url": f"{self.api}/repos/{repo.full_name}/zipball/{r.tag_name}",
            "body": f"Release {r.tag_name}",
        }

    def review(self, repo: Repo, pr: PullRequest, v: Review) -> dict[str, Any]:
        html = f"{self.web}/{repo.full_name}/pull/{pr.number}"
        api = f"{self.api}/repos/{repo.full_name}/pulls/{pr.number}"
        return {
            "id": v.review_id, "node_id": node_id("review", v.review_id),
            "user": self.user(v.reviewer_login), "body": v.body, "state": v.state,
            "html_url": f"{html}#pullrequestreview-{v.review_id}", "pull_request_url": api,
            "author_association": "MEMBER", "submitted_at": iso(v.submitted_at),
            "commit_id": v.commit_id,
            "_links": {"html": {"href": f"{html}#pullrequestreview-{v.review_id}"},
                       "pull_request": {"href": api}},
        }

    def review_comment(self, repo: Repo, pr: PullRequest, c: ReviewComment) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/pulls"
        html = f"{self.web}/{repo.full_name}/pull/{pr.number}#discussion_r{c.comment_id}"
        return {
            "url": f"{api}/comments/{c.comment_id}", "pull_request_review_id": c.review_id,
            "id": c.comment_id, "node_id": node_id("comment", c.comment_id),
            "diff_hunk": "@@ -1,3 +1,4 @@", "path": c.path, "position": c.line,
            "original_position": c.line, "line": c.line, "side": "RIGHT",
            "commit_id": c.commit_id, "original_commit_id": c.commit_id,
            "user": self.user(c.author_login), "body": c.body,
            "created_at": iso(c.created_at), "updated_at": iso(c.created_at),
            "html_url": html, "pull_request_url": f"{api}/{pr.number}",
            "author_association": "MEMBER",
            "_links": {"self": {"href": f"{api}/comments/{c.comment_id}"},
                       "html": {"href": html}, "pull_request": {"href": f"{api}/{pr.number}"}},
        }

    def issue(self, repo: Repo, i: Issue, clock: datetime) -> dict[str, Any]:
        closed = i.closed_at is not None and i.closed_at <= clock
        body = self.issue_common(repo, i.number, i.title, i.body, i.author_login, i.labels,
                                  i.issue_id, i.created_at, i.closed_at if closed else None)
        body["state_reason"] = "completed" if closed else None
        return body

    def issue_common(self, repo: Repo, number: int, title: str, text: str, author: str,
                      labels: list[str], issue_id: int, created: datetime,
                      closed: datetime | None, updated: datetime | None = None
                      ) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/issues/{number}"
        return {
            "url": api, "repository_url": f"{self.api}/repos/{repo.full_name}",
            "labels_url": f"{api}/labels{{/name}}", "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": f"{self.web}/{repo.full_name}/issues/{number}",
            "id": issue_id, "node_id": node_id("issue", issue_id), "number": number,
            "title": title, "user": self.user(author),
            "labels": [self.label(repo, n) for n in labels],
            "state": "closed" if closed else "open", "locked": False, "assignee": None,
            "assignees": [], "milestone": None, "comments": 0,
            "created_at": iso(created), "updated_at": iso(updated or closed or created),
            "closed_at": iso(closed), "author_association": "MEMBER", "body": text,
        }
