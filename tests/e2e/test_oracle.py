"""The oracle on tiny hand-built event logs: change sets, shipped changes, lead times, failed
attempts, periods and environments. Times are hours after T0 = Monday 2026-01-05 00:00 UTC;
every expected number is derived by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from oracle import OracleRules, recompute
from tiny_org import REPO, TinyOrg, at, sha

from simulator.model import DeploymentStatus

JAN = ("alpha", date(2026, 1, 1))


def test_pr_shipped_by_second_deployment_with_squash_direct_push_and_failed_attempt():
    tiny = TinyOrg()
    first = tiny.deploy("c0", 1)  # baseline: no change set, nothing attributed
    tiny.pull(1, [("p1a", 2), ("p1b", 4)], created=5, merged=10,
              reviews=(("ann", 6), ("bob", 7)))  # ann is the author: her review is no pickup
    tiny.push("d1", 11)
    # bob reviewed PR 2 only after the merge: that did not gate it, so no pickup
    tiny.pull(2, [("p2a", 3)], created=6, merged=12, method="squash", reviews=(("bob", 13),))
    tiny.pull(3, [("p3a", 8)], created=9, merged=None)  # open: never a change
    tiny.deploy("merge-2", 30)  # Jan 6 06:00; main = c0 p1a p1b merge-1 d1 merge-2
    first.statuses.append(DeploymentStatus(99, "inactive", at(30), "", "bot"))
    tiny.deploy("merge-2", 40, state="failure")  # failed attempt, not a deployment
    tiny.deploy("merge-2", 41, state="error", environment="staging")  # not production
    tiny.deploy("merge-2", None)  # still in progress: ignored until it has a final status
    row = recompute(tiny.org, OracleRules())[JAN]
    assert (row.deployments, row.deploy_days, row.failed_deploy_attempts) == (2, 2, 1)
    assert row.deployments_per_day == pytest.approx(2 / 31)  # January has 31 days
    # lead times: PR1 30-2 = 28, direct push 30-11 = 19, PR2 (squash) 30-3 = 27
    assert row.changes == 3
    assert set(row.per_change) == {(REPO, "#1"), (REPO, "#2"), (REPO, sha("d1"))}
    assert row.lead_time_median_hours == pytest.approx(27.0)
    # p90 of [19, 27, 28]: position 0.9 * 2 = 1.8 -> 27 + 0.8 * (28 - 27)
    assert row.lead_time_p90_hours == pytest.approx(27.8)
    pr1 = row.per_change[REPO, "#1"]
    # coding 5-2, pickup 7-5 (bob), review 10-7, deploy 30-10
    assert (pr1.coding_hours, pr1.pickup_hours, pr1.review_hours, pr1.deploy_hours) == \
        pytest.approx((3.0, 2.0, 3.0, 20.0))
    pr2 = row.per_change[REPO, "#2"]
    # no review before the merge: pickup and review unknown; coding 6-3, deploy 30-12
    assert (pr2.coding_hours, pr2.pickup_hours, pr2.review_hours, pr2.deploy_hours) == \
        (pytest.approx(3.0), None, None, pytest.approx(18.0))
    assert (row.failed_deployments, row.change_failure_rate) == (0, 0.0)
    assert (row.rework_deployments, row.rework_rate) == (0, 0.0)
    assert row.recovery_median_hours is None and row.time_to_restore_median_hours is None


def test_negative_spans_are_null_and_counted():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)
    # the commit claims to be authored at 50, after the merge at 10 (clock skew)
    tiny.pull(1, [("p1", 50)], created=5, merged=10)
    tiny.deploy("merge-1", 20)
    row = recompute(tiny.org)[JAN]
    change = row.per_change[REPO, "#1"]
    # lead 20-50 and coding 5-50 are negative -> None; deploy 20-10 = 10 stays
    assert (change.lead_time_hours, change.coding_hours) == (None, None)
    assert change.deploy_hours == pytest.approx(10.0)
    assert change.negative_spans == ("lead_time", "coding")
    assert (row.changes, row.lead_time_median_hours) == (1, None)
    assert (row.negative_span_count, row.changes_with_negative_spans) == (2, 1)


def test_rebase_merge_copies_are_not_direct_pushes():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)
    # rebase puts copies rebase-1-0, rebase-1-1 on main; merge_commit_sha = the last copy
    tiny.pull(1, [("r1", 2), ("r2", 3)], created=4, merged=6, method="rebase")
    tiny.push("d1", 7)
    tiny.deploy("d1", 10)
    row = recompute(tiny.org)[JAN]
    # change set: rebase-1-0, rebase-1-1, d1 -> PR 1 (10-2 = 8 h) and direct push d1 (3 h)
    assert set(row.per_change) == {(REPO, "#1"), (REPO, sha("d1"))}
    assert row.lead_time_median_hours == pytest.approx(5.5)


def test_empty_month_between_active_months_has_a_row_without_rates():
    tiny = TinyOrg()
    tiny.add_idle_team("beta")  # no facts at all, still a row for every period
    tiny.deploy("c0", 1)
    tiny.push("a", 2)
    tiny.deploy("a", 3)
    tiny.push("b", 24 * 56)  # Monday 2026-03-02 00:00
    tiny.deploy("b", 24 * 56 + 1)
    rows = recompute(tiny.org, period="month")
    months = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert sorted(rows) == sorted((team, m) for team in ("alpha", "beta") for m in months)
    assert all(rows["beta", m].deployments == 0 for m in months)
    february = rows["alpha", date(2026, 2, 1)]
    assert (february.deployments, february.deploy_days, february.changes) == (0, 0, 0)
    assert (february.change_failure_rate, february.rework_rate) == (None, None)
    assert february.deployments_per_day is None
    assert february.lead_time_median_hours is None
    march = rows["alpha", date(2026, 3, 1)]
    assert (march.deployments, march.changes, march.lead_time_median_hours) == (1, 1, 1.0)


def test_weeks_start_on_monday():
    tiny = TinyOrg()
    tiny.deploy("c0", 6 * 24 + 23)  # Sunday 2026-01-11 23:00 -> ISO week of Monday Jan 5
    tiny.push("a", 7 * 24)
    tiny.deploy("a", 7 * 24 + 1)  # Monday 2026-01-12 01:00 -> its own week
    rows = recompute(tiny.org, period="week")
    assert {start: row.deployments for (_, start), row in rows.items()} == {
        date(2026, 1, 5): 1, date(2026, 1, 12): 1}
    assert rows["alpha", date(2026, 1, 12)].lead_time_median_hours == pytest.approx(1.0)


def test_two_production_environments_are_separate_chains():
    tiny = TinyOrg(environments=("prod-eu", "prod-us"))
    tiny.deploy("c0", 1, environment="prod-eu")
    tiny.push("a", 2)
    tiny.deploy("a", 5, environment="prod-eu")
    # prod-us's first deployment is its own baseline, although prod-eu already ran `a`;
    # in one shared chain its sha c0 would look like a rollback past prod-eu's `a`
    tiny.deploy("c0", 6, environment="prod-us")
    tiny.deploy("a", 8, environment="prod-us")  # change set [a] again, already shipped
    row = recompute(tiny.org)[JAN]
    assert (row.deployments, row.failed_deployments, row.rework_deployments) == (4, 0, 0)
    # `a` is shipped by prod-eu at 5: one change, lead 5-2 = 3
    assert row.changes == 1
    assert row.per_change[REPO, sha("a")].lead_time_hours == pytest.approx(3.0)
    chains = {d.deployment_id: d.change_set for d in row.per_deployment.values()}
    assert chains == {1000: None, 1001: [sha("a")], 1002: None, 1003: [sha("a")]}


def test_production_rule_has_per_repo_override_from_config():
    tiny = TinyOrg(environments=("live",))
    tiny.deploy("c0", 1, environment="live")
    tiny.push("a", 2)
    tiny.deploy("a", 3, environment="live")
    assert JAN not in recompute(tiny.org)  # `live` is not production by default: no facts
    rules = OracleRules.from_config({"repo_rules": {REPO: {"production_environment": "^live$"}},
                                     "incident": {"labels": ["outage"]}})
    assert (rules.incident_labels, rules.hotfix_labels) == (("outage",), ("hotfix",))
    assert rules.incident_link_window_hours == 24.0
    assert recompute(tiny.org, rules)[JAN].deployments == 2
