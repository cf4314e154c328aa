"""Deployments from the three signals: the Deployments API, Actions runs and releases.

World: team core owns acme/web (signal environment, the default), acme/app (workflow:
`(?i)deploy` on branch main) and acme/lib (release: tag `^v[0-9]+\\.[0-9]+\\.[0-9]+$`). All in
the ISO week of Monday 2024-01-08.

  acme/web  deployment 31  production, success Jan 8 08:00                  deployed
            run 39         a deploy run in a repo of signal environment     ignored
  acme/app  run 11  Deploy, main, success, updated Jan 8 09:00, sha a0      deployed (first)
            run 12  Deploy, main, failure, Jan 8 10:00                      failed attempt
            run 13  Deploy, main, cancelled, Jan 8 10:30                    ignored
            run 14  CI (ci.yml), main, success, Jan 8 11:00                 ignored (workflow)
            run 15  Deploy, branch feature, success, Jan 8 11:30            ignored (branch)
            run 16  Deploy, main, success, updated Jan 8 12:00, sha a1      deployed; ships c1
            run 17  Deploy, main, timed_out, Jan 9 10:00                    failed attempt
            run 18  Deploy, main, in_progress, Jan 9 11:00                  pending
            deployment 38  a Deployments-API deployment in a workflow repo  ignored
  acme/lib  release 21  v1.0.0 published Jan 8 09:00, sha b0               deployed (first)
            release 22  v1.1.0-rc.1, prerelease                             ignored
            release 23  v1.1.0, draft (never published)                     ignored
            release 24  docs-1 (tag does not match), published              ignored
            release 25  v1.1.0 published Jan 8 15:00, sha b1                deployed; ships c2

By hand: deployments 1 + 2 + 2 = 5; failed attempts 12 and 17 = 2; changes c1 (authored 08:00,
shipped by run 16 at 12:00: 4 h) and c2 (authored 13:00, shipped by release 25 at 15:00: 2 h):
median lead time (4 + 2) / 2 = 3 h.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from dora_world import World, at, sha

WORKFLOW = "(?i)deploy"
TAG = r"^v[0-9]+\.[0-9]+\.[0-9]+$"


def signal(world: World, repo: str, kind: str, workflow=None, branch=None, tag=None) -> None:
    world.con.execute(
        "insert into meta.repo_deployment_signals values ('github', ?, ?, ?, ?, ?)",
        [repo, kind, workflow, branch, tag],
    )


def run(world: World, repo: str, run_id: int, commit: str, updated: datetime, *,
        name: str = "Deploy", path: str = ".github/workflows/deploy.yml", branch: str = "main",
        status: str = "completed", conclusion: str | None = "success") -> None:
    world.con.execute(
        "insert into raw.github_workflow_runs values "
        "(?, ?, 1, ?, ?, ?, ?, 'push', ?, ?, 1, 'ci', ?, ?, ?, '{}')",
        [repo, run_id, name, path, branch, commit, status, conclusion,
         updated - timedelta(minutes=10), updated - timedelta(minutes=9), updated],
    )


def release(world: World, repo: str, release_id: int, tag: str, commit: str | None,
            published: datetime | None, *, draft: bool = False, prerelease: bool = False) -> None:
    created = (published or at(8)) - timedelta(minutes=30)
    world.con.execute(
        "insert into raw.github_releases values (?, ?, ?, ?, ?, ?, 'main', ?, 'rel', ?, ?, ?)",
        [repo, release_id, tag, tag, draft, prerelease, commit, created, published,
         json.dumps({"tag_name": tag})],
    )


def build(world: World) -> None:
    world.settings()
    for repo in ("acme/web", "acme/app", "acme/lib"):
        world.team_repo("core", repo)
    signal(world, "acme/app", "workflow", workflow=WORKFLOW, branch="main")
    signal(world, "acme/lib", "release", tag=TAG)

    world.deploy("acme/web", 31, sha("w0"), at(8, 8))
    run(world, "acme/web", 39, sha("w9"), at(8, 9))

    run(world, "acme/app", 11, sha("a0"), at(8, 9))
    run(world, "acme/app", 12, sha("a1"), at(8, 10), conclusion="failure")
    run(world, "acme/app", 13, sha("a1"), at(8, 10, 30), conclusion="cancelled")
    run(world, "acme/app", 14, sha("a1"), at(8, 11), name="CI", path=".github/workflows/ci.yml")
    run(world, "acme/app", 15, sha("f1"), at(8, 11, 30), branch="feature")
    run(world, "acme/app", 16, sha("a1"), at(8, 12))
    world.change_set("acme/app", 16, sha("a0"), [(sha("c1"), at(8, 8), "Add export")])
    run(world, "acme/app", 17, sha("a2"), at(9, 10), conclusion="timed_out")
    run(world, "acme/app", 18, sha("a2"), at(9, 11), status="in_progress", conclusion=None)
    world.deploy("acme/app", 38, sha("a9"), at(8, 13))

    release(world, "acme/lib", 21, "v1.0.0", sha("b0"), at(8, 9))
    release(world, "acme/lib", 22, "v1.1.0-rc.1", sha("b1"), at(8, 11), prerelease=True)
    release(world, "acme/lib", 23, "v1.1.0", None, None, draft=True)
    release(world, "acme/lib", 24, "docs-1", sha("b1"), at(8, 12))
    release(world, "acme/lib", 25, "v1.1.0", sha("b1"), at(8, 15))
    world.change_set("acme/lib", 25, sha("b0"), [(sha("c2"), at(8, 13), "Add parser")])
    world.run()


def test_each_signal_yields_its_attempts_and_ignores_the_rest(world: World) -> None:
    build(world)
    rows = world.rows(
        "select repo, signal, environment, deployment_id, sha, outcome, finished_at, failed_at "
        "from staging.int_production_deployment_attempts order by repo, deployment_id"
    )
    found = {(r["repo"], r["deployment_id"]): r for r in rows}
    assert sorted(found) == [
        ("acme/app", 11), ("acme/app", 12), ("acme/app", 16), ("acme/app", 17), ("acme/app", 18),
        ("acme/lib", 21), ("acme/lib", 25), ("acme/web", 31),
    ]
    assert {k: r["outcome"] for k, r in found.items()} == {
        ("acme/app", 11): "deployed", ("acme/app", 12): "failed_attempt",
        ("acme/app", 16): "deployed", ("acme/app", 17): "failed_attempt",
        ("acme/app", 18): "pending", ("acme/lib", 21): "deployed", ("acme/lib", 25): "deployed",
        ("acme/web", 31): "deployed",
    }
    assert {r["signal"] for k, r in found.items() if k[0] == "acme/app"} == {"workflow"}
    assert found["acme/lib", 25]["signal"] == "release"
    assert found["acme/lib", 25]["environment"] == "release"
    assert found["acme/app", 16]["environment"] == "Deploy"
    # finish = run updated_at / release published_at; a failed run fails at its updated_at
    assert found["acme/app", 16]["finished_at"] == at(8, 12)
    assert found["acme/app", 16]["sha"] == sha("a1")
    assert found["acme/app", 17]["failed_at"] == at(9, 10)
    assert found["acme/lib", 25]["finished_at"] == at(8, 15)
    assert found["acme/lib", 25]["sha"] == sha("b1")


def test_marts_count_deployments_attempts_and_lead_times_of_every_signal(world: World) -> None:
    build(world)
    week = world.one(
        "select deployments, failed_deploy_attempts, changes, lead_time_median_hours "
        "from marts.dora_team_week where team = 'core' and week_start = date '2024-01-08'"
    )
    # by hand, see the module docstring: 5 deployments, 2 failed attempts, 2 changes, 3 h
    assert week == {"deployments": 5, "failed_deploy_attempts": 2, "changes": 2,
                    "lead_time_median_hours": 3.0}
    chained = world.rows(
        "select deployment_id, previous_deployment_id from staging.int_production_deployments "
        "where repo in ('acme/app', 'acme/lib') order by deployment_id"
    )
    assert chained == [
        {"deployment_id": 11, "previous_deployment_id": None},
        {"deployment_id": 16, "previous_deployment_id": 11},
        {"deployment_id": 21, "previous_deployment_id": None},
        {"deployment_id": 25, "previous_deployment_id": 21},
    ]
