"""Incidents linked through their fix (revert, rollback) and releases linked in every region.

World: team web owns acme/web (production = prod-eu and prod-us, each its own chain) and
acme/api (production); incident link window 6 h. January 2024:

  Rollback
    401 prod-eu Jan 8 09:00 a0 / 402 prod-us 09:10 a0   first of their chains
    403 prod-eu Jan 8 12:00 a1 / 404 prod-us 12:10 a1   the release that fails
    501 api     Jan 8 13:30 b0 / 502 api     13:45 b1   the team's latest deployments
    405 prod-eu Jan 8 22:00 a0 / 406 prod-us 22:10 a0   rollback: 403 and 404 failed
  #70 Jan 8 14:00 - Jan 9 02:00, names nothing: both rollbacks finished while it was open:
      rollback -> 403 and 404 (the time window alone would have picked 502, 15 min before)
  #72 Jan 8 13:00 - 13:20, names nothing: closed before the rollbacks, so they were not its
      fix: time window -> 404 (50 min before), and 403 of the same sha (1 h before)

  Revert
    407 prod-eu Jan 10 09:00 a2 / 408 prod-us 09:10 a2  ship cfeat "Add search"
    503 api     Jan 10 10:00 b2                          the team's latest deployment
    409 prod-eu Jan 10 16:00 a3 / 410 prod-us 16:10 a3  ship crev "This reverts commit cfeat"
  #71 Jan 10 11:00 - 18:00, names nothing: revert -> 407 and 408

  Time window across regions
    411 prod-eu Jan 12 09:00 a4 / 412 prod-us 09:30 a4  one release
  #73 Jan 12 12:00 - 13:00: time window -> 412 (2.5 h before) and 411 (3 h, same sha)
    413 prod-eu Jan 14 09:00 a5 / 414 prod-us 10:00 a6  two different shas
  #74 Jan 14 11:00 - 12:00: time window -> 414 only: 413 is near in time but another sha

  A named change that never reached production
    415 prod-eu Jan 16 09:00 a7 / 416 prod-us 09:10 a7
    417 prod-eu Jan 16 20:00 a5 / 418 prod-us 20:10 a5  rollback: 415 and 416 failed
  #75 Jan 16 12:00 - 21:00 names commit cstg, deployed to staging only: unlinked, although a
      rollback ran while it was open
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

WEB, API = "acme/web", "acme/api"
REGIONS = r"(?i)^prod-(eu|us)$"


def release(world: World, eu_id: int, commit: str, eu_at, *, base: str | None = None,
            change_set: list | None = None, us_delay_minutes: int = 10) -> None:
    """One sha deployed to prod-eu, then to prod-us `us_delay_minutes` later."""
    for deployment_id, env, minutes in ((eu_id, "prod-eu", 0),
                                        (eu_id + 1, "prod-us", us_delay_minutes)):
        world.deploy(WEB, deployment_id, sha(commit), eu_at.replace(minute=minutes), env=env)
        if base is not None:
            world.change_set(WEB, deployment_id, sha(base), change_set or [])


@pytest.fixture(scope="module")
def links(models) -> World:
    world = new_world(models)
    world.settings(incident_link_window_hours="6")
    world.team_repo("web", WEB, production=REGIONS)
    world.team_repo("web", API)
    release(world, 401, "a0", at(8, 9))
    release(world, 403, "a1", at(8, 12), base="a0",
            change_set=[(sha("ca1"), at(8, 11), "Cache pages")])
    world.deploy(API, 501, sha("b0"), at(8, 13, 30))
    world.deploy(API, 502, sha("b1"), at(8, 13, 45))
    release(world, 405, "a0", at(8, 22))
    world.issue(WEB, 70, at(8, 14), at(9, 2), body="Checkout errors")
    world.issue(WEB, 72, at(8, 13), at(8, 13, 20), body="Slow pages")

    release(world, 407, "a2", at(10, 9), base="a0",
            change_set=[(sha("cfeat"), at(10, 8), "Add search")])
    world.deploy(API, 503, sha("b2"), at(10, 10))
    revert = f'Revert "Add search"\n\nThis reverts commit {sha("cfeat")}.'
    release(world, 409, "a3", at(10, 16), base="a2",
            change_set=[(sha("crev"), at(10, 15), revert)])
    world.issue(WEB, 71, at(10, 11), at(10, 18), body="Search broken")

    release(world, 411, "a4", at(12, 9), us_delay_minutes=30)
    world.issue(WEB, 73, at(12, 12), at(12, 13), body="Errors")
    world.deploy(WEB, 413, sha("a5"), at(14, 9), env="prod-eu")
    world.deploy(WEB, 414, sha("a6"), at(14, 10), env="prod-us")
    world.issue(WEB, 74, at(14, 11), at(14, 12), body="Errors in the US")

    world.deploy(WEB, 300, sha("cstg"), at(15, 9), env="staging")
    release(world, 415, "a7", at(16, 9))
    release(world, 417, "a5", at(16, 20))
    world.issue(WEB, 75, at(16, 12), at(16, 21), body=f"Since {sha('cstg')[:9]} errors")
    world.run()
    yield world
    world.con.close()


def linked(world: World) -> dict[int, tuple]:
    rows = world.rows(
        "select number, link_method, linked_deployment_id, "
        "[d.deployment_id for d in linked_deployments] as ids "
        "from marts.incidents order by number"
    )
    return {r["number"]: (r["link_method"], r["linked_deployment_id"], r["ids"]) for r in rows}


def test_links_by_fix_and_by_release(links):
    assert linked(links) == {
        70: ("rollback", 404, [403, 404]),
        71: ("revert", 408, [407, 408]),
        72: ("time_window", 404, [403, 404]),
        73: ("time_window", 412, [411, 412]),
        74: ("time_window", 414, [414]),
        75: (None, None, []),
    }


def test_evidence_says_which_fix(links):
    evidence = dict(links.con.execute(
        "select number, link_evidence from marts.incidents where number in (70, 71, 75)"
    ).fetchall())
    assert evidence[70] == (
        f"deployment 406 redeployed {sha('a0')[:12]} of deployment 402, while the incident "
        "was open"
    )
    assert evidence[71] == f"commit {sha('crev')[:12]} reverts {sha('cfeat')}, while the " \
        "incident was open"
    assert evidence[75].startswith(f"names sha {sha('cstg')[:9]}")


def test_each_region_of_the_release_fails(links):
    failures = links.rows(
        "select deployment_id, incident_number, link_method from marts.deployment_failures "
        "where failure_method = 'incident' order by incident_number, deployment_id"
    )
    assert [tuple(r.values()) for r in failures] == [
        (403, 70, "rollback"), (404, 70, "rollback"),
        (407, 71, "revert"), (408, 71, "revert"),
        (403, 72, "time_window"), (404, 72, "time_window"),
        (411, 73, "time_window"), (412, 73, "time_window"),
        (414, 74, "time_window"),
    ]
    rows = {r["deployment_id"]: r for r in links.rows("select * from marts.deployments")}
    # 403 (prod-eu): detected by #72 at 13:00 (the earliest of #70, #72), recovered by the
    # rollback 405 at 22:00: 9 h. 411: detected by #73 at 12:00, no remediation, #73 closed
    # 13:00: 1 h. 413, another sha, stays a success.
    assert rows[403]["recovery_hours"] == pytest.approx(9.0)
    assert rows[411]["recovery_hours"] == pytest.approx(1.0)
    assert rows[413]["is_failed"] is False
    # the api deployments the time window would have blamed are not failed
    assert not any(rows[d]["is_failed"] for d in (501, 502, 503))
