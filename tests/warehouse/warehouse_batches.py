"""Deterministic GitHub record batches for the warehouse tests, as the connector would build them.

`make_batch(repo, units)` builds `units` pull requests, each with the rows around it, so that a
batch holds exactly ROWS_PER_UNIT * units records: 1 pull request, 3 pull commits, 1 review,
1 review comment, 1 issue, 1 deployment, 1 deployment status, 1 deployment commit, 1 deployment
compare, 1 workflow run, 1 release = 13 rows.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from connectors.github.records import (
    Cursor,
    Deployment,
    DeploymentCommit,
    DeploymentCompare,
    DeploymentStatus,
    Issue,
    PullCommit,
    PullRequest,
    PullReview,
    Release,
    RepoBatch,
    ReviewComment,
    WorkflowRun,
)

ROWS_PER_UNIT = 13
EPOCH = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def sha(*parts: object) -> str:
    """A stable 40-hex string for `parts` (stands in for a commit sha)."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def make_batch(repo: str, units: int, *, first: int = 1, title: str = "Add feature") -> RepoBatch:
    """Records numbered first .. first+units-1 for `repo`, plus three cursors."""
    batch = RepoBatch(repo=repo)
    for n in range(first, first + units):
        opened = EPOCH + timedelta(hours=n)
        merged = opened + timedelta(hours=2)
        payload = {"id": n, "user": {"login": "alice"}, "labels": [{"name": "feature"}]}
        merge_sha = sha(repo, "merge", n)
        batch.pull_requests.append(
            PullRequest(
                repo=repo,
                number=n,
                title=f"{title} {n}",
                author_login="alice",
                state="closed",
                head_ref=f"feature/{n}",
                base_ref="main",
                head_sha=sha(repo, "head", n),
                merge_commit_sha=merge_sha,
                labels=("feature",),
                created_at=opened,
                updated_at=merged,
                closed_at=merged,
                merged_at=merged,
                payload=payload,
            )
        )
        batch.pull_commits.extend(
            PullCommit(repo, n, sha(repo, "commit", n, k), opened, opened, "alice", f"step {k}")
            for k in range(3)
        )
        batch.pull_reviews.append(
            PullReview(repo, n, 1000 * n, "bob", "APPROVED", opened + timedelta(hours=1), payload)
        )
        batch.review_comments.append(
            ReviewComment(repo, n, 2000 * n, "bob", opened + timedelta(minutes=30), payload)
        )
        batch.issues.append(
            Issue(
                repo=repo,
                number=100_000 + n,
                title=f"Incident {n}",
                body=f"Broken since {merge_sha[:7]}",
                author_login="carol",
                state="open",
                labels=("incident",),
                created_at=opened,
                updated_at=opened,
                closed_at=None,
                payload=payload,
            )
        )
        deployed = merged + timedelta(hours=1)
        batch.deployments.append(
            Deployment(repo, n, "production", merge_sha, "main", "deploy", "ci-bot", deployed,
                       payload)
        )
        batch.deployment_statuses.append(
            DeploymentStatus(repo, n, f"DES_{3000 * n}", 3000 * n, "success",
                             deployed + timedelta(minutes=5), payload)
        )
        batch.deployment_commits.append(
            DeploymentCommit(repo, n, sha(repo, "merge", n - 1), merge_sha, opened, merged,
                             "alice", f"{title} {n}")
        )
        batch.deployment_compares.append(
            DeploymentCompare(repo, n, n - 1, sha(repo, "merge", n - 1), merge_sha, "ahead", 1, 0,
                              True, None)
        )
        batch.workflow_runs.append(
            WorkflowRun(repo, 4000 * n, 7, "Deploy", ".github/workflows/deploy.yml", "main",
                        merge_sha, "push", "completed", "success", 1, "ci-bot", deployed,
                        deployed, deployed + timedelta(minutes=4), payload)
        )
        batch.releases.append(
            Release(repo, 5000 * n, f"v1.{n}.0", f"{title} {n}", False, False, "main", merge_sha,
                    "alice", deployed, deployed + timedelta(minutes=6), payload)
        )
    newest = EPOCH + timedelta(hours=first + units - 1)
    batch.cursors = [
        Cursor("github", repo, "deployments", str(first + units - 1), f'W/"{units}"'),
        Cursor("github", repo, "pull_requests", newest.isoformat(), None),
        Cursor("github", repo, "issues", newest.isoformat(), None),
    ]
    return batch
