"""Failed deployments, their provenance, recovery and rework.

World (team web, repo acme/web, production = 'production'), week of Monday 2024-01-08:

  W1 201  Jan 8  09:00  sha w0, first of the chain
  W2 202  Jan 8  12:00  sha w1, ships commit cbad
  W3 203  Jan 8  13:00  sha w0 again: rollback -> W2 failed (rollback), W3 rework
  W4 204  Jan 9  10:00  sha w2, ships commit cfeat
  W5 205  Jan 9  16:00  ships crev "This reverts commit <cfeat>": W4 failed (revert), W5 rework
  W6 206  Jan 10 09:00  ships cx
  W7 207  Jan 10 11:00  ships PR #60 labelled 'HotFix': W6 failed (hotfix), W7 rework
  W8 208  Jan 11 10:00  ships PR #61 from branch hotfix/login-2: W7 failed (hotfix), W8 rework

Incidents (label 'incident'; window 24 h):
  #50 Jan 9 12:00-17:00   body names W4's sha: explicit -> W4; W5 finished while it was open
  #51 Jan 11 15:00-20:00  no reference; W8 finished 5 h earlier: time_window -> W8
  #52 Jan 13 12:00-14:00  last deployment 50 h earlier: unlinked
  #53 Jan 10 10:00-10:30  body names W2's sha, although W6 finished within the window:
                          explicit -> W2 (already failed by the rollback)
  #54 labelled 'bug': not an incident
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

REPO = "acme/web"
TABLES = ("changes", "deployments", "deployment_failures", "incidents", "dora_team_week",
          "dora_team_month")


def build_failure_world(world: World, benchmark_year: str = "2024") -> None:
    world.settings(benchmark_year=benchmark_year)
    world.team_repo("web", REPO)
    world.deploy(REPO, 201, sha("w0"), at(8, 9))
    world.deploy(REPO, 202, sha("w1"), at(8, 12))
    world.change_set(REPO, 202, sha("w0"), [(sha("cbad"), at(8, 10), "Add cache")])
    world.deploy(REPO, 203, sha("w0"), at(8, 13))

    world.deploy(REPO, 204, sha("w2"), at(9, 10))
    world.change_set(REPO, 204, sha("w0"), [(sha("cfeat"), at(9, 8), "Add search")])
    world.deploy(REPO, 205, sha("w3"), at(9, 16))
    revert_message = f'Revert "Add search"\n\nThis reverts commit {sha("cfeat")}.'
    world.change_set(REPO, 205, sha("w2"), [(sha("crev"), at(9, 15), revert_message)])

    world.deploy(REPO, 206, sha("w4"), at(10, 9))
    world.change_set(REPO, 206, sha("w3"), [(sha("cx"), at(10, 7), "Tweak")])
    world.deploy(REPO, 207, sha("w5"), at(10, 11))
    world.change_set(REPO, 207, sha("w4"), [(sha("h1"), at(10, 10, 30), "Fix login (#60)")])
    world.pull_request(
        REPO, 60, merge_sha=sha("h1"), opened=at(10, 10, 5), merged=at(10, 10, 30),
        commits=[(sha("hp"), at(10, 10), "Fix login")], labels=("HotFix",), head_ref="fix-login",
    )
    world.deploy(REPO, 208, sha("w6"), at(11, 10))
    world.change_set(REPO, 208, sha("w5"), [
        (sha("hq"), at(11, 8), "Fix login again"),
        (sha("h2"), at(11, 9), "Merge pull request #61"),
    ])
    world.pull_request(
        REPO, 61, merge_sha=sha("h2"), opened=at(11, 8, 30), merged=at(11, 9),
        commits=[(sha("hq"), at(11, 8), "Fix login again")], head_ref="hotfix/login-2",
    )

    world.issue(REPO, 50, at(9, 12), at(9, 17), body=f"Search broken since {sha('w2')[:7]}")
    world.issue(REPO, 51, at(11, 15), at(11, 20), body="Checkout errors")
    world.issue(REPO, 52, at(13, 12), at(13, 14), body="Slow pages")
    world.issue(REPO, 53, at(10, 10), at(10, 10, 30), body=f"Cache again: {sha('w1')[:10]}")
    world.issue(REPO, 54, at(12, 9), labels=("bug",))
    world.run()


@pytest.fixture(scope="module")
def failures(models) -> World:
    world = new_world(models)
    build_failure_world(world)
    yield world
    world.con.close()


def test_incident_links_and_provenance(failures):
    rows = failures.rows(
        "select number, linked_deployment_id, link_method, link_evidence, time_to_restore_hours "
        "from marts.incidents order by number"
    )
    assert [(r["number"], r["linked_deployment_id"], r["link_method"]) for r in rows] == [
        (50, 204, "explicit"),
        (51, 208, "time_window"),
        (52, None, None),  # 50 h after the last deployment: outside the 24 h window
        (53, 202, "explicit"),  # named sha beats the newer W6 inside the window
    ]
    assert rows[0]["link_evidence"] == f"sha {sha('w2')[:7]}"
    # closed - created: 5, 5, 2 and 0.5 hours
    assert [r["time_to_restore_hours"] for r in rows] == [5.0, 5.0, 2.0, 0.5]


def test_failure_rows_with_their_evidence(failures):
    rows = failures.rows(
        """
        select deployment_id, failure_method, link_method, remediating_deployment_id,
            incident_number, reverted_sha
        from marts.deployment_failures order by deployment_id, failure_method
        """
    )
    assert [tuple(r.values()) for r in rows] == [
        (202, "incident", "explicit", None, 53, None),
        (202, "rollback", "rollback", 203, None, None),
        (204, "incident", "explicit", None, 50, None),
        (204, "revert", "revert", 205, None, sha("cfeat")),
        (206, "hotfix", "hotfix", 207, None, None),
        (207, "hotfix", "hotfix", 208, None, None),
        (208, "incident", "time_window", None, 51, None),
    ]


def test_deployment_failure_recovery_and_rework(failures):
    rows = {
        r["deployment_id"]: r
        for r in failures.rows("select * from marts.deployments order by deployment_id")
    }
    failed = {d for d, r in rows.items() if r["is_failed"]}
    assert failed == {202, 204, 206, 207, 208}
    assert rows[204]["failure_methods"] == ["incident", "revert"]
    assert rows[204]["failure_link_methods"] == ["explicit", "revert"]
    assert rows[204]["remediated_by_deployment_id"] == 205
    # recovery = recovered - detected:
    # W2: detected at #53 (Jan 10 10:00), remediated by W3 on Jan 8 13:00: negative -> NULL
    # W4: detected at #50 (Jan 9 12:00), remediated by W5 at 16:00: 4 h (#50's close unused)
    # W6: detected at its own finish 09:00, hotfix W7 at 11:00: 2 h
    # W7: Jan 10 11:00 -> W8 Jan 11 10:00: 23 h
    # W8: detected at #51 (15:00), no remediating deployment, #51 closed 20:00: 5 h
    recovery = {d: rows[d]["recovery_hours"] for d in sorted(failed)}
    assert recovery == {202: None, 204: 4.0, 206: 2.0, 207: 23.0, 208: 5.0}
    assert rows[202]["recovery_negative_span"] is True
    rework = {d: r["rework_reasons"] for d, r in rows.items() if r["is_rework"]}
    # W5 reverts W4 and finished (16:00) while #50, linked to the earlier W4, was open
    assert rework == {
        203: ["rollback"], 205: ["fix_forward", "revert"], 207: ["hotfix"], 208: ["hotfix"],
    }


def test_week_instability_metrics_by_hand(failures):
    week = failures.one("select * from marts.dora_team_week where team = 'web'")
    assert week["week_start"].isoformat() == "2024-01-08"
    assert (week["deployments"], week["deploy_days"]) == (8, 4)  # Jan 8, 9, 10, 11
    # CFR = 5 failed / 8 deployments
    assert (week["failed_deployments"], week["change_failure_rate"]) == (5, 0.625)
    # recovered: 2, 4, 5, 23 (W2's negative span left out): median (4 + 5) / 2 = 4.5
    assert week["recovered_failures"] == 4
    assert week["recovery_median_hours"] == pytest.approx(4.5)
    # incidents created this week: 0.5, 2, 5, 5 h: median (2 + 5) / 2 = 3.5
    assert week["incidents"] == 4
    assert week["time_to_restore_median_hours"] == pytest.approx(3.5)
    # rework: W3, W5, W7, W8 = 4 / 8
    assert (week["rework_deployments"], week["rework_rate"]) == (4, 0.5)
    # changes: commits cbad, cfeat, crev, cx and PRs #60, #61 with lead times
    # 2, 2, 1, 2, 1 (hp 10:00 -> 11:00), 2 (hq 08:00 -> 10:00): median of 1,1,2,2,2,2 = 2
    assert (week["changes"], week["changes_direct_pushes"]) == (6, 4)
    assert week["lead_time_median_hours"] == pytest.approx(2.0)


def test_tiers_and_quick_check_for_2024(failures):
    week = failures.one("select * from marts.dora_team_week where team = 'web'")
    # 8 / 7 = 1.14 a day in [1/7, 2): high; 2 h < 24 h: elite; 62.5 % >= 30 %: low;
    # 4.5 h in [1, 24): 'high/medium' (the 2024 copies give both the same band)
    assert (
        week["tier_report_year"], week["deployment_frequency_tier"], week["lead_time_tier"],
        week["change_failure_rate_tier"], week["recovery_tier"],
    ) == (2024, "high", "elite", "low", "high/medium")
    # buckets: 1.14 a day -> 5, 2 h -> 5, 4.5 h -> 5: (5 - 1) / 5 * 10 = 8 each;
    # change failure 10 - 62.5 / 10 = 3.75; rework 10 - 50 / 10 = 5
    scores = ("quick_check_deployment_frequency", "quick_check_lead_time", "quick_check_recovery",
              "quick_check_change_failure", "quick_check_rework")
    assert [week[s] for s in scores] == pytest.approx([8.0, 8.0, 8.0, 3.75, 5.0])
    # overall (8 + 8 + 8 + 3.75 + 5) / 5 = 6.55; throughput 8; stability (3.75 + 5) / 2
    assert week["quick_check_overall"] == pytest.approx(6.55)
    assert week["quick_check_throughput"] == pytest.approx(8.0)
    assert week["quick_check_stability"] == pytest.approx(4.375)


def test_tiers_follow_the_benchmark_year_setting(models):
    world = new_world(models)
    build_failure_world(world, benchmark_year="2021")
    week = world.one("select * from marts.dora_team_week where team = 'web'")
    world.con.close()
    # DORA 2021: 1.14 a day is between daily and 'multiple per day': the gap goes to high;
    # 2 h lead time is between < 1 hour and 1 day - 1 week: high; 62.5 % is in the band the
    # report gives high, medium and low alike; 4.5 h recovery < 1 day: high.
    assert (
        week["tier_report_year"], week["deployment_frequency_tier"], week["lead_time_tier"],
        week["change_failure_rate_tier"], week["recovery_tier"],
    ) == (2021, "high", "high", "high/medium/low", "high")


def test_running_twice_gives_identical_marts(failures):
    before = {t: failures.rows(f"select * from marts.{t} order by all") for t in TABLES}
    failures.run()
    after = {t: failures.rows(f"select * from marts.{t} order by all") for t in TABLES}
    assert before == after
    assert all(before[t] for t in TABLES)  # every mart has rows, so the comparison means something


def test_revert_pull_request_names_the_sha_in_its_own_commits(world):
    """PR #2 is titled per revert_title_regex and squash-merged with an edited message, so only
    its own (pre-squash) commit says 'This reverts commit <mf>'; mf shipped with R2."""
    world.settings()
    world.team_repo("app", "acme/app")
    world.deploy("acme/app", 1, sha("r0"), at(8, 9))
    world.deploy("acme/app", 2, sha("r1"), at(8, 12))
    world.change_set("acme/app", 2, sha("r0"), [(sha("mf"), at(8, 11), "Feature (#1)")])
    world.pull_request(
        "acme/app", 1, merge_sha=sha("mf"), opened=at(8, 10), merged=at(8, 11),
        commits=[(sha("f"), at(8, 10), "Feature")],
    )
    world.deploy("acme/app", 3, sha("r2"), at(8, 15))
    world.change_set("acme/app", 3, sha("r1"), [(sha("sq"), at(8, 14), "Undo feature (#2)")])
    world.pull_request(
        "acme/app", 2, merge_sha=sha("sq"), opened=at(8, 13), merged=at(8, 14),
        title='Revert "Feature"',
        commits=[(sha("rv"), at(8, 13), f"Revert \"Feature\"\n\nThis reverts commit {sha('mf')}.")],
    )
    world.run()
    assert world.rows(
        "select deployment_id, failure_method, remediating_deployment_id, reverted_sha, evidence "
        "from marts.deployment_failures"
    ) == [{
        "deployment_id": 2, "failure_method": "revert", "remediating_deployment_id": 3,
        "reverted_sha": sha("mf"), "evidence": f"pull request #2 reverts {sha('mf')}",
    }]
    changes = world.one("select is_revert from marts.changes where pr_number = 2")
    assert changes["is_revert"] is True
