"""The change set of one successful deployment: GitLab's repository compare with the previous
successful deployment of the same environment.

`GET /projects/:id/repository/compare?from=<base>&to=<head>` (merge-base comparison) lists the
commits `head` has and `base` lacks, oldest first. GitLab has no ahead/behind status (GitHub's
compare has), so the status is derived:

- commits listed: `ahead` (the change set; `behind_by` is not asked, NULL);
- none, and the shas differ: the reverse compare is asked once; commits there mean `behind`
  (a rollback to an ancestor, `behind_by` of them), none mean `identical`;
- equal shas: `identical`, no request;
- a 404 (a sha GitLab no longer has: history rewritten, a force-push) is `unknown`, with
  GitLab's answer as the reason; the change set is empty and the sync goes on. Any other error
  fails the project's sync as usual.
"""

from __future__ import annotations

from urllib.parse import quote

import gitlab

from connectors.gitlab import normalize
from connectors.gitlab.records import DeploymentCommit, DeploymentCompare

UNKNOWN = "unknown"


def compare_pair(gl: gitlab.Gitlab, repo: str, deployment_id: int, head_sha: str,
                 base_deployment_id: int, base_sha: str
                 ) -> tuple[DeploymentCompare, list[DeploymentCommit]]:
    """The compare fact and change set of `deployment_id` (at `head_sha`) against its base."""

    def fact(status: str, ahead: int | None, behind: int | None,
             reason: str | None = None) -> DeploymentCompare:
        return DeploymentCompare(
            repo=repo, deployment_id=deployment_id, base_deployment_id=base_deployment_id,
            base_sha=base_sha, head_sha=head_sha, status=status, ahead_by=ahead,
            behind_by=behind, change_set_known=reason is None, unknown_reason=reason)

    if head_sha == base_sha:
        return fact("identical", 0, 0), []
    try:
        forward = _commits(gl, repo, base_sha, head_sha)
        if forward:
            what = f"a compare commit of {repo} deployment {deployment_id}"
            commits = []
            for item in forward:
                authored, committed = normalize.commit_times(item, what)
                commits.append(DeploymentCommit(
                    repo=repo, deployment_id=deployment_id, base_sha=base_sha,
                    sha=str(item["id"]).lower(), authored_at=authored, committed_at=committed,
                    message=item.get("message")))
            return fact("ahead", len(commits), None), commits
        backward = _commits(gl, repo, head_sha, base_sha)
    except gitlab.GitlabHttpError as problem:
        if problem.response_code == 404:
            return fact(UNKNOWN, None, None, f"GitLab compare answered 404: "
                        f"{problem.error_message}"), []
        raise
    if backward:
        return fact("behind", 0, len(backward)), []
    return fact("identical", 0, 0), []


def _commits(gl: gitlab.Gitlab, repo: str, base: str, head: str) -> list[dict]:
    answer = gl.http_get(f"/projects/{quote(repo, safe='')}/repository/compare",
                         query_data={"from": base, "to": head, "straight": "false"})
    assert isinstance(answer, dict)
    return list(answer.get("commits") or [])
