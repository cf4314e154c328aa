"""Chains per environment, empty periods, UTC weeks and explicit pull request links.

World: team ops owns acme/ops, production = '(?i)^prod-(eu|us)$'; team idle owns acme/idle and
has no data at all. Incident link window 12 h. The session time zone is Los Angeles, so any
week key computed in local time would move E2 (Monday Jan 15 01:00 UTC = Sunday 17:00 in LA)
into the previous week.

  E1 301  prod-eu       Jan 2 10:00  sha o0  first of the prod-eu chain
  U1 302  PROD-US       Jan 2 11:00  sha o0  first of the PROD-US chain (case-insensitive rule)
  S1 303  prod-staging  Jan 3 10:00  not production
  (week of Jan 8: nothing)
  E2 304  prod-eu       Jan 15 01:00 sha o1  change set: PR #5, PR #6, direct push d1
  U2 305  PROD-US       Jan 16 13:00 sha o1  same change set; nothing is attributed to it

Incidents: #8 Jan 16 20:00-21:00, no reference: U2 finished 7 h before -> time_window; E2
shipped the same sha but 43 h before, outside the window, so the window links U2 alone;
#7 Jan 17 09:00-11:00, "after #5": explicit via PR #5, whose merge commit is in E2's and U2's
change sets: the latest deployment before the incident, U2 (20 h before, outside the window),
and, the release having reached prod-eu too, E2 there: a two-region release fails in both.
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

OPS = "acme/ops"


@pytest.fixture(scope="module")
def periods(models) -> World:
    world = new_world(models)
    world.con.execute("set TimeZone = 'America/Los_Angeles'")
    world.settings(incident_link_window_hours="12")
    world.team_repo("ops", OPS, production=r"(?i)^prod-(eu|us)$")
    world.team_repo("idle", "acme/idle")
    world.deploy(OPS, 301, sha("o0"), at(2, 10), env="prod-eu")
    world.deploy(OPS, 302, sha("o0"), at(2, 11), env="PROD-US")
    world.deploy(OPS, 303, sha("o0"), at(3, 10), env="prod-staging")
    change_set = [
        (sha("k5"), at(14, 20), "Merge pull request #5"),
        (sha("k6"), at(14, 22), "Merge pull request #6"),
        (sha("d1"), at(14, 18), "Hot config change"),
    ]
    world.deploy(OPS, 304, sha("o1"), at(15, 1), env="prod-eu")
    world.change_set(OPS, 304, sha("o0"), change_set)
    world.deploy(OPS, 305, sha("o1"), at(16, 13), env="PROD-US")
    world.change_set(OPS, 305, sha("o0"), change_set)
    world.pull_request(
        OPS, 5, merge_sha=sha("k5"), opened=at(14, 16), merged=at(14, 20),
        commits=[(sha("p5"), at(14, 15), "Five")],
    )
    world.pull_request(
        OPS, 6, merge_sha=sha("k6"), opened=at(14, 21, 30), merged=at(14, 22),
        commits=[(sha("p6"), at(14, 21), "Six")],
    )
    world.issue(OPS, 8, at(16, 20), at(16, 21), body="Errors in the US")
    world.issue(OPS, 7, at(17, 9), at(17, 11), body="Latency after #5")
    world.run()
    yield world
    world.con.close()


def test_each_environment_is_its_own_chain(periods):
    rows = periods.rows(
        "select deployment_id, environment, previous_deployment_id, is_first_of_chain "
        "from marts.deployments order by deployment_id"
    )
    assert [tuple(r.values()) for r in rows] == [
        (301, "prod-eu", None, True),
        (302, "PROD-US", None, True),
        (304, "prod-eu", 301, False),
        (305, "PROD-US", 302, False),
    ]
    shipped = periods.rows("select distinct deployment_id from marts.changes")
    assert shipped == [{"deployment_id": 304}]  # E2 finished first; U2 ships nothing new


def test_explicit_pull_request_link_and_recovery_over_two_incidents(periods):
    links = periods.rows(
        "select number, linked_deployment_id, link_method, link_evidence "
        "from marts.incidents order by number"
    )
    assert [tuple(r.values()) for r in links] == [
        (7, 305, "explicit", "pull request acme/ops#5"),
        (8, 305, "time_window", "finished 7.0 h before the incident"),
    ]
    released = periods.rows(
        "select number, [d.deployment_id for d in linked_deployments] as ids, "
        "[d.environment for d in linked_deployments] as environments "
        "from marts.incidents order by number"
    )
    assert [tuple(r.values()) for r in released] == [
        (7, [304, 305], ["prod-eu", "PROD-US"]),  # by finish: E2 Jan 15, U2 Jan 16
        (8, [305], ["PROD-US"]),
    ]
    u2 = periods.one("select * from marts.deployments where deployment_id = 305")
    # detected at the earliest linked incident (#8, Jan 16 20:00); no remediating deployment,
    # so recovered when the last linked incident closed (#7, Jan 17 11:00): 15 h
    assert u2["failure_link_methods"] == ["explicit", "time_window"]
    assert u2["recovery_hours"] == pytest.approx(15.0)
    e2 = periods.one("select * from marts.deployments where deployment_id = 304")
    # only #7: detected Jan 17 09:00, closed 11:00: 2 h
    assert (e2["is_failed"], e2["failure_link_methods"]) == (True, ["explicit"])
    assert e2["recovery_hours"] == pytest.approx(2.0)


def test_every_team_gets_every_week_and_empty_weeks_have_null_rates(periods):
    rows = periods.rows(
        "select team, week_start::varchar as week, deployments, deploy_days, changes, "
        "change_failure_rate, rework_rate, deployments_per_day, lead_time_median_hours, "
        "deployment_frequency_tier, change_failure_rate_tier, quick_check_overall "
        "from marts.dora_team_week order by team, week_start"
    )
    assert [(r["team"], r["week"]) for r in rows] == [
        ("idle", "2024-01-01"), ("idle", "2024-01-08"), ("idle", "2024-01-15"),
        ("ops", "2024-01-01"), ("ops", "2024-01-08"), ("ops", "2024-01-15"),
    ]
    empty = [r for r in rows if r["team"] == "idle" or r["week"] == "2024-01-08"]
    for row in empty:
        assert (row["deployments"], row["deploy_days"], row["changes"]) == (0, 0, 0)
        assert row["change_failure_rate"] is None and row["rework_rate"] is None
        assert row["deployments_per_day"] is None and row["lead_time_median_hours"] is None
        assert row["deployment_frequency_tier"] is None
        assert row["change_failure_rate_tier"] is None
        assert row["quick_check_overall"] is None
    first = rows[3]
    # E1 and U1 on the same UTC date: 2 deployments, 1 deploy day, first of chains: 0 changes
    assert (first["deployments"], first["deploy_days"], first["changes"]) == (2, 1, 0)
    assert first["change_failure_rate"] == 0.0


def test_utc_week_with_odd_median_and_p90(periods):
    week = periods.one(
        "select * from marts.dora_team_week where team = 'ops' and week_start = '2024-01-15'"
    )
    # E2 (Jan 15 01:00 UTC) and U2 (Jan 16) on two UTC dates
    assert (week["deployments"], week["deploy_days"]) == (2, 2)
    # lead times to E2 at Jan 15 01:00: PR #5 from 15:00 = 10 h, PR #6 from 21:00 = 4 h,
    # d1 from 18:00 = 7 h. Odd count: median 7; p90 at 0.9 * 2 = 1.8: 7 + 0.8 * (10 - 7) = 9.4
    assert (week["changes"], week["changes_pull_requests"], week["changes_direct_pushes"]) == (
        3, 2, 1,
    )
    assert week["lead_time_median_hours"] == pytest.approx(7.0)
    assert week["lead_time_p90_hours"] == pytest.approx(9.4)
    # E2 and U2 failed (#7 names the release): 2 / 2; recovered in 2 h and 15 h: median 8.5;
    # incidents #8 (1 h) and #7 (2 h): median 1.5
    assert (week["failed_deployments"], week["change_failure_rate"]) == (2, 1.0)
    assert (week["recovered_failures"], week["recovery_median_hours"]) == (2, 8.5)
    assert week["time_to_restore_median_hours"] == pytest.approx(1.5)


def test_month_aggregates_the_same_facts(periods):
    month = periods.one("select * from marts.dora_team_month where team = 'ops'")
    assert month["month_start"].isoformat() == "2024-01-01"
    # 4 deployments on Jan 2, 15, 16; 2 failed (E2, U2); 31 days
    assert (month["deployments"], month["deploy_days"], month["period_days"]) == (4, 3, 31)
    assert month["change_failure_rate"] == pytest.approx(0.5)
    assert month["deployments_per_day"] == pytest.approx(4 / 31)
    # 4/31 = 0.13 a day: below once a week (1/7) but at least once a month (1/31): medium
    assert month["deployment_frequency_tier"] == "medium"
    idle = periods.one("select deployments, rework_rate from marts.dora_team_month "
                       "where team = 'idle'")
    assert idle == {"deployments": 0, "rework_rate": None}
