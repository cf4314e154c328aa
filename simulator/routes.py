"""The simulated GitHub REST endpoints: URL rules and the handler of each endpoint.

Handlers read the org as of the server's clock and return either a `Listing` (the app pages
it and adds the `Link` header) or a `Document`. Orders and filters follow GitHub's docs:
deployments, statuses and releases newest first; pulls and issues sorted by `sort` and
`direction` (default created, desc); PR commits, reviews and comments oldest first; the
repository's review comments by id ascending, or by `sort` and `direction` (default desc) when
`sort` is given, `since` = updated at or after.
"""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from simulator import handlers_pulls, handlers_repo, handlers_signals

REPO = "/repos/<owner>/<name>"
URL_MAP = Map([
    Rule("/rate_limit", endpoint="rate_limit"),
    Rule("/orgs/<org>", endpoint="org"),
    Rule("/orgs/<org>/repos", endpoint="org_repos"),
    Rule("/users/<login>", endpoint="user"),
    Rule(REPO, endpoint="repo"),
    Rule(f"{REPO}/deployments", endpoint="deployments"),
    Rule(f"{REPO}/deployments/<int:deployment_id>", endpoint="deployment"),
    Rule(f"{REPO}/deployments/<int:deployment_id>/statuses", endpoint="deployment_statuses"),
    Rule(f"{REPO}/pulls", endpoint="pulls"),
    Rule(f"{REPO}/pulls/comments", endpoint="review_comments"),
    Rule(f"{REPO}/pulls/<int:number>", endpoint="pull"),
    Rule(f"{REPO}/pulls/<int:number>/commits", endpoint="pull_commits"),
    Rule(f"{REPO}/pulls/<int:number>/reviews", endpoint="pull_reviews"),
    Rule(f"{REPO}/pulls/<int:number>/comments", endpoint="pull_comments"),
    Rule(f"{REPO}/compare/<path:basehead>", endpoint="compare"),
    Rule(f"{REPO}/commits/<sha>", endpoint="commit"),
    Rule(f"{REPO}/commits/<sha>/pulls", endpoint="commit_pulls"),
    Rule(f"{REPO}/issues", endpoint="issues"),
    Rule(f"{REPO}/issues/<int:number>", endpoint="issue"),
    Rule(f"{REPO}/releases", endpoint="releases"),
    Rule(f"{REPO}/actions/runs", endpoint="actions_runs"),
    Rule(f"{REPO}/git/ref/tags/<path:tag>", endpoint="git_ref"),
    Rule(f"{REPO}/git/tags/<sha>", endpoint="git_tag"),
], strict_slashes=False)


HANDLERS = {**handlers_repo.HANDLERS, **handlers_pulls.HANDLERS, **handlers_signals.HANDLERS}
