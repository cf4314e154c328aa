"""Lead time for changes: which deployment ships a change, and how long it took.

World (team payments, repo acme/api, production = 'production'), week of Monday 2024-01-01:

  D10  Jan 1 09:00  first of its chain: its raw change set (PR #9) must be ignored
  D90  Jan 2 11:00  env 'staging', carries PR #1's merge commit: not production, ignored
  D11  Jan 2 12:00  change set: PR #1 (merge commit m1 + its commits c1a, c1b), direct push x1
  D12  Jan 3 18:00  change set: PR #2 (squash s2), PR #3 (merged Jan 2 11:00, before D11
                    finished, but its merge commit is only in D12's change set)
  D95  Jan 3 09:00  failure status, no success: a failed attempt, not a deployment
  D96  Jan 4 10:00  error status, no success: a failed attempt
  D97  Jan 4 11:00  only 'inactive': neither a deployment nor a failure
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

REPO = "acme/api"


def build_shipping_world(world: World) -> None:
    world.settings()
    world.team_repo("payments", REPO)
    world.deploy(REPO, 10, sha("a0"), at(1, 9))
    world.change_set(REPO, 10, sha("before"), [(sha("m9"), at(31, 10, month=12), "Merge #9")])
    world.pull_request(
        REPO, 9, merge_sha=sha("m9"), opened=at(31, 9, month=12), merged=at(31, 11, month=12),
        commits=[(sha("c9"), at(31, 8, month=12), "Old work")],
    )

    world.deploy(REPO, 90, sha("a1"), at(2, 11), env="staging")
    world.change_set(REPO, 90, sha("a0"), [(sha("m1"), at(2, 9), "Merge pull request #1")])

    world.deploy(REPO, 11, sha("a1"), at(2, 12))
    world.change_set(REPO, 11, sha("a0"), [
        (sha("m1"), at(2, 9), "Merge pull request #1"),
        (sha("c1a"), at(1, 8), "Start feature"),
        (sha("c1b"), at(1, 10), "Finish feature"),
        (sha("x1"), at(2, 6), "Bump version"),
    ])
    world.pull_request(
        REPO, 1, merge_sha=sha("m1"), opened=at(1, 11), merged=at(2, 9),
        commits=[
            (sha("c1a"), at(1, 8), "Start feature"), (sha("c1b"), at(1, 10), "Finish feature"),
        ],
        # alice's own review does not count as a pickup; bob's at 13:00 is the first
        reviews=[("alice", at(1, 11, 30)), ("bob", at(1, 13)), ("carol", at(1, 14))],
    )

    world.deploy(REPO, 12, sha("a2"), at(3, 18))
    world.change_set(REPO, 12, sha("a1"), [
        (sha("s2"), at(3, 8), "Squashed feature two (#2)"),
        (sha("m3"), at(2, 11), "Merge pull request #3"),
    ])
    world.pull_request(
        REPO, 2, merge_sha=sha("s2"), opened=at(2, 15), merged=at(3, 8),
        commits=[
            (sha("p2a"), at(2, 10), "Two, part one"), (sha("p2b"), at(2, 14), "Two, part two"),
        ],
    )
    world.pull_request(
        REPO, 3, merge_sha=sha("m3"), opened=at(2, 9), merged=at(2, 11),
        commits=[(sha("p3a"), at(2, 8), "Three")], reviews=[("dave", at(2, 10))],
    )

    world.deploy(REPO, 95, sha("a3"), at(3, 9), states=("failure",))
    world.deploy(REPO, 96, sha("a3"), at(4, 10), states=("error",))
    world.deploy(REPO, 97, sha("a3"), at(4, 11), states=("inactive",))
    world.run()


@pytest.fixture(scope="module")
def shipped(models) -> World:
    world = new_world(models)
    build_shipping_world(world)
    yield world
    world.con.close()


def test_each_change_is_shipped_by_the_first_production_deployment_holding_it(shipped):
    rows = shipped.rows(
        "select kind, pr_number, sha, deployment_id from marts.changes order by deployed_at, sha"
    )
    # PR #9 sits only in the first deployment's change set (a baseline): never shipped.
    # PR #3 merged before D11 finished but ships with D12, whose change set holds m3.
    assert {(r["kind"], r["pr_number"], r["deployment_id"]) for r in rows} == {
        ("pull_request", 1, 11), ("commit", None, 11), ("pull_request", 2, 12),
        ("pull_request", 3, 12),
    }
    assert next(r for r in rows if r["kind"] == "commit")["sha"] == sha("x1")


def test_lead_time_and_components_by_hand(shipped):
    rows = {
        r["pr_number"] or "x1": r
        for r in shipped.rows("select * from marts.changes")
    }
    hours = ("lead_time_hours", "coding_hours", "pickup_hours", "review_hours", "deploy_hours")
    # PR #1: first commit Jan 1 08:00, opened 11:00, first non-author review 13:00,
    # merged Jan 2 09:00, D11 finished Jan 2 12:00: 28 = 3 + 2 + 20 + 3.
    assert tuple(rows[1][h] for h in hours) == (28.0, 3.0, 2.0, 20.0, 3.0)
    # PR #2 (squash: s2 is not among its commits): earliest authored commit Jan 2 10:00 to
    # D12 Jan 3 18:00 = 32 h; opened 15:00 -> coding 5; no review; merged Jan 3 08:00 -> 10.
    assert tuple(rows[2][h] for h in hours) == (32.0, 5.0, None, None, 10.0)
    # PR #3: Jan 2 08:00 -> Jan 3 18:00 = 34 h; 1 + 1 + 1 + 31.
    assert tuple(rows[3][h] for h in hours) == (34.0, 1.0, 1.0, 1.0, 31.0)
    # direct push x1: authored Jan 2 06:00, shipped by D11 at 12:00 = 6 h, no components.
    assert tuple(rows["x1"][h] for h in hours) == (6.0, None, None, None, None)
    assert all(r["negative_span_count"] == 0 for r in rows.values())


def test_deployments_exclude_staging_attempts_and_pending(shipped):
    rows = shipped.rows(
        """
        select deployment_id, is_first_of_chain, previous_deployment_id, change_set_size,
            change_set_pull_requests, change_set_direct_pushes
        from marts.deployments order by finished_at
        """
    )
    # D10 keeps its raw change-set row out: the first deployment of a chain has no change set.
    assert [tuple(r.values()) for r in rows] == [
        (10, True, None, 0, 0, 0),
        (11, False, 10, 4, 1, 1),
        (12, False, 11, 2, 2, 0),
    ]


def test_week_counts_median_and_p90(shipped):
    week = shipped.one("select * from marts.dora_team_week where team = 'payments'")
    assert week["week_start"].isoformat() == "2024-01-01"
    assert (week["iso_year"], week["iso_week"]) == (2024, 1)
    # D10, D11, D12 on Jan 1, 2 and 3; D95 (failure) and D96 (error) are attempts only.
    assert (week["deployments"], week["deploy_days"], week["failed_deploy_attempts"]) == (3, 3, 2)
    assert (week["changes"], week["changes_pull_requests"], week["changes_direct_pushes"]) == (
        4, 3, 1,
    )
    # lead times 6, 28, 32, 34 (even count): median (28 + 32) / 2 = 30;
    # p90 at position 0.9 * (4 - 1) = 2.7: 32 + 0.7 * (34 - 32) = 33.4.
    assert week["lead_time_median_hours"] == pytest.approx(30.0)
    assert week["lead_time_p90_hours"] == pytest.approx(33.4)
    # no failure: a measured 0 % (deployments happened), not NULL
    assert (week["failed_deployments"], week["change_failure_rate"]) == (0, 0.0)
    assert (week["rework_deployments"], week["rework_rate"]) == (0, 0.0)
    assert week["recovery_median_hours"] is None


def test_tiers_and_quick_check_scores(shipped):
    week = shipped.one("select * from marts.dora_team_week where team = 'payments'")
    # DORA 2024: 3 deployments / 7 days = 0.43 a day is in [1/7, 2): high; lead time median
    # 30 h is in [24, 168): high; 0 % failures: elite; no recovery, so no recovery tier.
    assert week["tier_report_year"] == 2024
    assert (
        week["deployment_frequency_tier"], week["lead_time_tier"],
        week["change_failure_rate_tier"], week["recovery_tier"],
    ) == ("high", "high", "elite", None)
    # Quick Check: 0.43 a day is bucket 4 and 30 h is bucket 4: (4 - 1) / 5 * 10 = 6;
    # change failure 0 % -> 10 - 0 / 10 = 10; rework 0 % -> 10; recovery unanswered.
    assert week["quick_check_deployment_frequency"] == pytest.approx(6.0)
    assert week["quick_check_lead_time"] == pytest.approx(6.0)
    assert week["quick_check_recovery"] is None
    assert week["quick_check_change_failure"] == pytest.approx(10.0)
    assert week["quick_check_rework"] == pytest.approx(10.0)
    # throughput = mean(6, 6) = 6; stability = mean(10, 10) = 10; overall = 32 / 4 = 8
    assert week["quick_check_throughput"] == pytest.approx(6.0)
    assert week["quick_check_stability"] == pytest.approx(10.0)
    assert week["quick_check_overall"] == pytest.approx(8.0)
    assert week["quick_check_edition"] == 2025


def test_rebase_merge_and_negative_spans(world):
    """PR #4 is rebase-merged: the change set holds rewritten copies r1', r2' (same authored
    time and message), merge_commit_sha = r2'. PR #5's only commit claims to be authored after
    the deployment (clock skew)."""
    world.settings()
    world.team_repo("payments", REPO)
    world.deploy(REPO, 20, sha("b0"), at(8, 9))
    world.deploy(REPO, 21, sha("b1"), at(9, 12))
    world.change_set(REPO, 21, sha("b0"), [
        (sha("r1-rebased"), at(8, 10), "Add parser"),
        (sha("r2-rebased"), at(8, 11), "Use parser"),
        (sha("m5"), at(9, 10), "Merge pull request #5"),
    ])
    world.pull_request(
        REPO, 4, merge_sha=sha("r2-rebased"), opened=at(8, 12), merged=at(9, 9),
        commits=[(sha("r1"), at(8, 10), "Add parser"), (sha("r2"), at(8, 11), "Use parser")],
    )
    world.pull_request(
        REPO, 5, merge_sha=sha("m5"), opened=at(9, 8), merged=at(9, 10),
        commits=[(sha("skewed"), at(9, 20), "From a laptop with a wrong clock")],
    )
    world.run()

    rows = {r["pr_number"]: r for r in world.rows("select * from marts.changes")}
    # r1' is a rebased copy of PR #4's r1, not a direct push: two changes, both pull requests.
    assert sorted(rows) == [4, 5]
    # PR #4: Jan 8 10:00 -> Jan 9 12:00 = 26 h
    assert rows[4]["lead_time_hours"] == pytest.approx(26.0)
    # PR #5: lead (12:00 - 20:00) and coding (08:00 - 20:00) are negative: NULL, listed.
    assert rows[5]["lead_time_hours"] is None
    assert rows[5]["coding_hours"] is None
    assert rows[5]["negative_spans"] == ["lead_time", "coding"]
    assert rows[5]["negative_span_count"] == 2
    assert rows[5]["deploy_hours"] == pytest.approx(2.0)  # merged 10:00 -> deployed 12:00

    week = world.one("select * from marts.dora_team_week")
    assert (week["changes"], week["changes_with_negative_spans"]) == (2, 1)
    assert week["lead_time_median_hours"] == pytest.approx(26.0)  # the NULL is left out
