"""The change set of one production deployment: GitHub's compare with the previous deployment.

`compare_pair` asks `GET /repos/{o}/{r}/compare/{base_sha}...{head_sha}` and returns two things:
the compare fact of the pair (a `DeploymentCompare`, one row of raw.github_deployment_compares)
and the commits of the change set (raw.github_deployment_commits).

- `ahead` / `diverged`: the change set is the commits head has and base lacks.
- `behind`: head is an ancestor of base (a rollback to an older build); the change set is empty,
  and `behind_by` tells SQL how far back it went.
- `identical`: a redeploy of the same commit; no request is made when the shas are equal.
- GitHub refuses the compare with 404 ("No common ancestor between X and Y": orphan deploy
  commits, or history rewritten between two deployments) or 422: the fact says `unknown` with
  GitHub's answer as the reason, the change set is empty, and the sync goes on. Any other error
  (5xx after retries, 401, a malformed answer) fails the repository's sync as usual.
"""

from __future__ import annotations

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import GitHubRequestError, RequestCounter, fetch_list
from connectors.github.records import DeploymentCommit, DeploymentCompare
from connectors.github.shape import ApiObject, reading

COMPARE_STATUSES = ("ahead", "behind", "identical", "diverged")
"""The `status` values GitHub's compare answers with."""

UNKNOWN = "unknown"
"""Status of a pair whose compare GitHub refused: its change set is not known."""

REFUSED_STATUSES = (404, 422)
"""Compare answers that mean "this pair cannot be compared", not "the request failed"."""


def compare_pair(
    requester: Requester,
    repo: str,
    deployment_id: int,
    head_sha: str,
    base_deployment_id: int,
    base_sha: str,
    counter: RequestCounter,
) -> tuple[DeploymentCompare, list[DeploymentCommit]]:
    """The compare fact and change set of deployment `deployment_id` (at `head_sha`) against
    its base, the previous successful deployment of the same environment."""

    def fact(status: str, ahead: int | None, behind: int | None, reason: str | None = None):
        return DeploymentCompare(
            repo=repo,
            deployment_id=deployment_id,
            base_deployment_id=base_deployment_id,
            base_sha=base_sha,
            head_sha=head_sha,
            status=status,
            ahead_by=ahead,
            behind_by=behind,
            change_set_known=reason is None,
            unknown_reason=reason,
        )

    if base_sha == head_sha:
        return fact("identical", 0, 0), []
    path = f"/repos/{repo}/compare/{base_sha}...{head_sha}"
    try:
        compared = fetch_list(
            requester, path, counter, params={"per_page": requester.per_page}, items_key="commits"
        )
    except GitHubRequestError as err:
        if err.status not in REFUSED_STATUSES:
            raise
        return fact(UNKNOWN, None, None, str(err)), []
    with reading(path):
        answer = ApiObject(compared.first_page, "compare", None)
        status = answer.choice("status", COMPARE_STATUSES)
        known = fact(status, answer.count("ahead_by"), answer.count("behind_by"))
        if status == "behind":
            return known, []
        commits = [
            normalize.deployment_commit(repo, deployment_id, base_sha, raw)
            for raw in compared.items
        ]
    return known, commits
