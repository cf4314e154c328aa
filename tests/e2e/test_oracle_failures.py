"""The oracle's failure rules on tiny hand-built event logs: rollback, revert, hotfix and
incident links (explicit, rollback, time window, none; a release in two regions), with CFR,
recovery, time to restore and rework.
Times are hours after T0 = Monday 2026-01-05 00:00 UTC; expected numbers derived by hand."""

from __future__ import annotations

from datetime import date

import pytest
from oracle import recompute
from tiny_org import REPO, TinyOrg, sha

JAN = ("alpha", date(2026, 1, 1))


def failed(row) -> dict[int, set[str]]:
    return {d.deployment_id: set(d.failed) for d in row.per_deployment.values() if d.failed}


def rework(row) -> dict[int, list[str]]:
    return {d.deployment_id: d.rework for d in row.per_deployment.values() if d.rework}


def test_rollback_fails_the_previous_deployment_and_is_rework():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)  # 1000 baseline
    tiny.push("a", 2)
    tiny.deploy("a", 3)  # 1001
    tiny.push("b", 4)
    tiny.deploy("b", 5)  # 1002, rolled back
    tiny.issue(60, created=6, closed=9, body=f"Broken since `{sha('b')[:8]}`.")
    tiny.deploy("a", 8)  # 1003: sha of 1001, which is not its immediate predecessor
    tiny.deploy("a", 9)  # 1004: same sha as its predecessor: a re-deploy, no rollback
    row = recompute(tiny.org)[JAN]
    assert failed(row) == {1002: {"rollback", "incident"}}
    # #60 (linked to 1002) was open [6, 9], ends inclusive: 1003 (at 8) and 1004 (at 9, the
    # close time) are fix-forwards too. Rework counts each deployment once.
    assert rework(row) == {1003: ["rollback", "fix_forward"], 1004: ["fix_forward"]}
    # 5 deployments, 1 failed, 2 rework; changes a (3-2) and b (5-4)
    assert (row.deployments, row.change_failure_rate, row.rework_rate) == (5, 0.2, 0.4)
    assert (row.changes, row.lead_time_median_hours) == (2, 1.0)
    # detection = incident created at 6; recovery = the rollback's finish at 8 (before the
    # incident closed at 9): 2 h. Time to restore of the incident: 9 - 6 = 3 h.
    assert row.recovery_median_hours == pytest.approx(2.0)
    assert row.time_to_restore_median_hours == pytest.approx(3.0)
    assert row.per_deployment[REPO, 1003].change_set == []  # compare says `behind`


@pytest.mark.parametrize(("title", "is_revert"), [('Revert "Add x"', True),
                                                ('Undo "Add x"', False)])
def test_revert_pr_fails_the_deployment_that_shipped_the_reverted_sha(title, is_revert):
    tiny = TinyOrg()
    tiny.deploy("c0", 1)  # 1000 baseline
    tiny.pull(1, [("f1", 2)], created=2.5, merged=3, method="squash", title="Add x")
    tiny.deploy("merge-1", 4)  # 1001 ships PR 1 (its squash commit)
    # squash: only the squash commit (message = title, no sha) reaches main, so the reverted
    # sha is found through the revert-titled PR's own commit messages
    tiny.pull(2, [("r1", 5)], created=5.5, merged=6, method="squash", title=title,
              messages=(f'{title}\n\nThis reverts commit {sha("merge-1")[:10]}.',))
    tiny.deploy("merge-2", 7)  # 1002: change set [merge-2]
    row = recompute(tiny.org)[JAN]
    # PR 1: 4 - 2 = 2 h; PR 2: 7 - 5 = 2 h
    assert (row.changes, row.lead_time_median_hours) == (2, 2.0)
    if not is_revert:
        assert (failed(row), rework(row), row.change_failure_rate) == ({}, {}, 0.0)
        return
    assert failed(row) == {1001: {"revert"}}
    assert rework(row) == {1002: ["revert"]}
    assert (row.change_failure_rate, row.rework_rate) == (pytest.approx(1 / 3),
                                                          pytest.approx(1 / 3))
    # no incident: detection = 1001's finish at 4, recovery = 1002's finish at 7
    assert row.recovery_median_hours == pytest.approx(3.0)


def test_revert_of_a_sha_shipped_twice_fails_the_latest_shipper():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)  # 1000 baseline
    tiny.push("x", 2)
    tiny.deploy("x", 3)  # 1001 ships x
    tiny.deploy("c0", 4)  # 1002 rolls back to c0: 1001 failed
    tiny.push("y", 5)
    tiny.deploy("y", 6)  # 1003: compare(c0...y) = [x, y]: x ships a second time
    tiny.push("rv", 7, f"Revert x\n\nThis reverts commit {sha('x')[:7]}.")
    tiny.deploy("rv", 8)  # 1004: the latest earlier deployment carrying x is 1003
    row = recompute(tiny.org)[JAN]
    assert failed(row) == {1001: {"rollback"}, 1003: {"revert"}}
    assert rework(row) == {1002: ["rollback"], 1004: ["revert"]}
    # recovery 1001: 3 -> 4 = 1 h; 1003: 6 -> 8 = 2 h
    assert row.recovery_median_hours == pytest.approx(1.5)
    # x is shipped (lead time) by its first deployment: x 3-2, y 6-5, rv 8-7
    assert row.per_change[REPO, sha("x")].deployment_id == 1001
    assert (row.changes, row.lead_time_median_hours) == (3, 1.0)


def test_revert_before_production_fails_nothing():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)
    tiny.push("x", 2)
    tiny.push("rv", 3, f"Revert x\n\nThis reverts commit {sha('x')}.")
    tiny.deploy("rv", 4)  # x and its revert ship together: nothing failed, no rework
    row = recompute(tiny.org)[JAN]
    assert (failed(row), rework(row), row.change_failure_rate) == ({}, {}, 0.0)


@pytest.mark.parametrize(("labels", "head_ref", "is_hotfix"), [
    (("hotfix",), "feature/guard", True),
    (("HotFix",), "fix/guard", True),  # label names ignore case
    ((), "hotfix/guard", True),
    ((), "feature/hotfix-guard", False),  # the branch rule is anchored at the start
])
def test_hotfix_pr_fails_the_previous_deployment(labels, head_ref, is_hotfix):
    tiny = TinyOrg()
    tiny.deploy("c0", 1)  # 1000 baseline
    tiny.push("a", 2)
    tiny.deploy("a", 3)  # 1001
    tiny.pull(1, [("h1", 4)], created=4.5, merged=5, labels=labels, head_ref=head_ref)
    tiny.deploy("merge-1", 6)  # 1002
    row = recompute(tiny.org)[JAN]
    if not is_hotfix:
        assert (failed(row), rework(row), row.change_failure_rate) == ({}, {}, 0.0)
        return
    assert failed(row) == {1001: {"hotfix"}}
    assert rework(row) == {1002: ["hotfix"]}
    assert row.recovery_median_hours == pytest.approx(3.0)  # 6 - 3


def test_incident_links_explicit_time_window_and_none():
    tiny = TinyOrg()
    tiny.deploy("c0", 1)  # 1000 baseline
    tiny.push("a", 2)
    tiny.deploy("a", 10)  # 1001
    tiny.push("b", 11)
    tiny.deploy("b", 20)  # 1002
    tiny.pull(7, [("p7", 21)], created=21.5, merged=22)
    tiny.deploy("merge-7", 30)  # 1003: change set p7, merge-7
    # explicit by short sha (label case ignored) -> 1001
    tiny.issue(50, created=12, closed=16, body=f"Errors after deploying `{sha('a')[:7]}`.",
               labels=("Incident", "sev2"))
    # names b, which 1002 deploys only later (20): a change not yet in production, so no
    # time window either (1001, at 10, was within it): unlinked
    tiny.issue(55, created=15, closed=18, body=f"Is {sha('b')[:7]} related?")
    # no reference: the latest deployment finished in [22-24, 22] is 1002 (at 20)
    tiny.issue(51, created=22, closed=35, body="Customers report failures.")
    # explicit by PR (qualified form): PR 7's merge commit is in 1003's change set; still open
    tiny.issue(53, created=31, closed=None, body="Probably caused by acme/app#7.")
    # explicit by a change-set commit that is not the deployed sha -> 1003
    tiny.issue(56, created=31.5, closed=33, body=f"Bisected to {sha('p7')[:9]}.")
    # nothing finished in [76, 100]: unlinked, but counted in time to restore
    tiny.issue(52, created=100, closed=101, body="Disk full on a worker.")
    # not an incident (label bug), although it names a deployed sha
    tiny.issue(54, created=11, closed=12, body=f"See {sha('a')[:7]}", labels=("bug",))
    row = recompute(tiny.org)[JAN]
    links = {n: (i.method, i.deployment and i.deployment.deployment_id)
             for (_, n), i in row.per_incident.items()}
    assert links == {50: ("explicit", 1001), 55: (None, None),
                     51: ("time_window", 1002), 53: ("explicit", 1003),
                     56: ("explicit", 1003), 52: (None, None)}
    assert failed(row) == {1001: {"incident"}, 1002: {"incident"}, 1003: {"incident"}}
    # 1003 finished at 30 while #51 (linked to the earlier 1002) was open [22, 35]
    assert rework(row) == {1003: ["fix_forward"]}
    assert (row.deployments, row.failed_deployments, row.rework_deployments) == (4, 3, 1)
    assert (row.change_failure_rate, row.rework_rate) == (0.75, 0.25)
    # recovery: 1001 from #50 at 12 to its close at 16 = 4 h; 1002 22 -> 35 = 13 h; 1003
    # unrecovered (#53 open) -> median (4 + 13) / 2
    assert (row.recovered_failures, row.recovery_median_hours) == (2, pytest.approx(8.5))
    # time to restore of the closed incidents: 4, 3, 13, 1.5, 1 -> median 3
    assert (row.incidents, row.time_to_restore_median_hours) == (6, pytest.approx(3.0))
    # changes: a 10-2 = 8, b 20-11 = 9, PR 7 30-21 = 9
    assert (row.changes, row.lead_time_median_hours) == (3, 9.0)


def test_incidents_link_through_their_fix_and_fail_every_region():
    tiny = TinyOrg(environments=("prod-eu", "prod-us"))
    for env, hours in (("prod-eu", 1), ("prod-us", 1.5)):
        tiny.deploy("c0", hours, environment=env)  # 1000, 1001 baselines
    tiny.push("a", 2)
    for env, hours in (("prod-eu", 3), ("prod-us", 3.5)):
        tiny.deploy("a", hours, environment=env)  # 1002, 1003: the bad release
    # #60 opened at 4 names nothing; the rollbacks (back to c0) at 8 and 8.5 ran while it was
    # open [4, 9]: rollback -> 1002 and 1003
    tiny.issue(60, created=4, closed=9, body="Checkout errors.")
    for env, hours in (("prod-eu", 8), ("prod-us", 8.5)):
        tiny.deploy("c0", hours, environment=env)  # 1004, 1005
    # #61 opened at 8.7, after both rollbacks (8, 8.5), so no fix ran while it was open
    # [8.7, 9]: time window -> the latest deployment, the us rollback 1005, and the eu one
    # 1004 of the same sha c0
    tiny.issue(61, created=8.7, closed=9, body="Still slow.")
    row = recompute(tiny.org)[JAN]
    links = {n: (i.method, [d.deployment_id for d in i.released])
             for (_, n), i in row.per_incident.items()}
    assert links == {60: ("rollback", [1002, 1003]), 61: ("time_window", [1004, 1005])}
    assert failed(row) == {1002: {"rollback", "incident"}, 1003: {"rollback", "incident"},
                           1004: {"incident"}, 1005: {"incident"}}
    # 6 deployments, 4 failed
    assert (row.deployments, row.failed_deployments) == (6, 4)
    # recovery: 1002 from #60 at 4 to its rollback at 8 = 4 h, 1003 4 -> 8.5 = 4.5 h; 1004
    # and 1005 from #61 at 8.7 to its close at 9 = 0.3 h -> median of 0.3, 0.3, 4, 4.5 = 2.15
    assert row.recovery_median_hours == pytest.approx(2.15)
