"""A canned production deployment chain for the in-memory GitHub (github_fake_api.py).

`deployment_routes()` is one repository whose production chain has a baseline, a failed
attempt, a change, a same-sha redeploy, a rollback, a deployment still in progress and a
staging deployment that is never production; the tests read their expectations off it.
"""

from __future__ import annotations

from github_fake_api import REPO, commit, day


def deployment(dep_id: int, env: str, sha: str, created: str) -> dict:
    return {
        "id": dep_id,
        "environment": env,
        "sha": sha,
        "ref": "main",
        "task": "deploy",
        "creator": {"login": "deployer"},
        "created_at": created,
    }


def statuses(dep_id: int, *states: tuple[str, str]) -> list[dict]:
    """Statuses newest first, as GitHub lists them; `states` are given oldest first."""
    made = [
        {"id": dep_id * 10 + i, "node_id": f"DES_{dep_id * 10 + i}", "state": state,
         "created_at": at}
        for i, (state, at) in enumerate(states)
    ]
    return made[::-1]


def compare(status: str, *shas: str, behind_by: int = 0) -> dict:
    return {
        "status": status,
        "ahead_by": len(shas),
        "behind_by": behind_by,
        "commits": [commit(s, day(1)) for s in shas],
    }


def deployment_routes() -> dict:
    """One production chain: baseline, failed attempt, change, same-sha redeploy, rollback,
    a deployment still in progress, and a staging deployment that is never production."""
    d = f"/repos/{REPO}/deployments"
    return {
        d: [
            deployment(107, "production", "s4", day(6)),
            deployment(106, "Production", "s1", day(5)),
            deployment(105, "production", "s3", day(4)),
            deployment(104, "production", "s3", day(3)),
            deployment(103, "production", "s2", day(2, 13)),
            deployment(102, "staging", "s2", day(2)),
            deployment(101, "production", "s1", day(1)),
        ],
        f"{d}/101/statuses": statuses(101, ("success", day(1, 13)), ("inactive", day(3, 13))),
        f"{d}/102/statuses": statuses(102, ("success", day(2, 13))),
        f"{d}/103/statuses": statuses(103, ("in_progress", day(2, 14)), ("failure", day(2, 15))),
        f"{d}/104/statuses": statuses(104, ("success", day(3, 13))),
        f"{d}/105/statuses": statuses(105, ("success", day(4, 13))),
        f"{d}/106/statuses": statuses(106, ("success", day(5, 13))),
        f"{d}/107/statuses": statuses(107, ("in_progress", day(6, 13))),
        f"/repos/{REPO}/compare/s1...s3": compare("ahead", "s2", "s3"),
        f"/repos/{REPO}/compare/s3...s1": compare("behind", behind_by=2),
        f"/repos/{REPO}/compare/s1...s4": compare("ahead", "s3b", "s4"),
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [],
    }
