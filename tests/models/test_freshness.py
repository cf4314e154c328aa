"""Freshness beside every number: marts.source_freshness and the DORA marts' sync columns.

Team web owns four repositories, seen from now (the build time), limit 48 h:
  acme/web    every resource synced 1 h ago                      -> fresh
  acme/api    pull requests 100 h ago, the others 1 h ago;
              the last attempt of its pull requests failed        -> stale (oldest is 100 h)
  acme/docs   issues never synced successfully                    -> stale, no last success
  acme/new    no sync attempt at all                              -> stale, nothing known
Team ops owns acme/ops, synced 2 h ago -> fresh.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dora_world import World, at, new_world, sha

RESOURCES = ("deployments", "pull_requests", "issues")


@pytest.fixture(scope="module")
def world(models) -> World:
    built = new_world(models)
    built.settings()
    now = datetime.now(UTC)
    for team, repo in (("web", "acme/web"), ("web", "acme/api"), ("web", "acme/docs"),
                       ("web", "acme/new"), ("ops", "acme/ops")):
        built.team_repo(team, repo)
    for resource in RESOURCES:
        built.sync_status("acme/web", resource, now - timedelta(hours=1))
        built.sync_status("acme/ops", resource, now - timedelta(hours=2))
        if resource == "pull_requests":
            built.sync_status(
                "acme/api", resource, now - timedelta(hours=100),
                attempted=now - timedelta(hours=1), error="HTTP 500 from /pulls",
            )
        else:
            built.sync_status("acme/api", resource, now - timedelta(hours=1))
        if resource == "issues":
            built.sync_status("acme/docs", resource, None, attempted=now, error="404 Not Found")
        else:
            built.sync_status("acme/docs", resource, now - timedelta(hours=1))
    # one deployment each so both teams have DORA rows
    built.deploy("acme/web", 1, sha("a"), at(8, 9))
    built.deploy("acme/ops", 2, sha("b"), at(8, 10))
    built.run()
    built.now = now
    yield built
    built.con.close()


def test_each_repository_is_as_fresh_as_its_least_fresh_resource(world):
    rows = {r["repo"]: r for r in world.rows("select * from marts.source_freshness")}
    assert {repo: row["is_stale"] for repo, row in rows.items()} == {
        "acme/web": False, "acme/api": True, "acme/docs": True, "acme/new": True, "acme/ops": False,
    }
    assert rows["acme/api"]["last_success_at"] == world.now - timedelta(hours=100)
    assert rows["acme/api"]["last_error"] == "pull_requests: HTTP 500 from /pulls"
    assert rows["acme/docs"]["last_success_at"] is None
    assert rows["acme/new"]["last_attempt_at"] is None
    assert rows["acme/web"]["last_error"] is None
    assert {row["stale_after_hours"] for row in rows.values()} == {48.0}


@pytest.mark.parametrize("mart", ["dora_team_week", "dora_team_month"])
def test_every_dora_row_carries_the_freshness_of_its_data(world, mart):
    rows = world.rows(f"select team, data_synced_at, stale_repos from marts.{mart}")
    by_team = {(r["team"], r["data_synced_at"], tuple(r["stale_repos"])) for r in rows}
    # web has repositories that never synced: no complete sync to name, three stale repos.
    assert by_team == {
        ("web", None, ("acme/api", "acme/docs", "acme/new")),
        ("ops", world.now - timedelta(hours=2), ()),
    }


def test_no_limit_means_nothing_is_stale(models):
    built = new_world(models)
    built.settings()
    built.con.execute("delete from meta.settings where name = 'stale_after_hours'")
    built.team_repo("web", "acme/web")
    built.run()
    (row,) = built.rows("select is_stale, stale_after_hours from marts.source_freshness")
    assert row == {"is_stale": False, "stale_after_hours": None}
    built.con.close()
