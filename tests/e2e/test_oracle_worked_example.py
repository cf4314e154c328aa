"""docs/metrics.md §8, the worked example, rebuilt as an event log: the oracle must reproduce
every number the page derives by hand.

The page's week of Monday 2024-01-08 is moved to T0's week (Monday 2026-01-05): the rules see
only time differences, weekdays and calendar dates, so every figure carries over. Hours are
counted from Monday 00:00 (Tue 10:00 = 34). W2's bad commit `cbad` was deployed from a side
branch and rolled back, so it is not in W4's change set (compare(c0...cfeat) = [cfeat]).
"""

from __future__ import annotations

from datetime import date

import pytest
from oracle import recompute
from tiny_org import TinyOrg, sha

MON, TUE, WED, THU, SAT = 0, 24, 48, 72, 120


def worked_example() -> TinyOrg:
    tiny = TinyOrg()
    tiny.deploy("c0", MON + 9)  # W1 1000: baseline
    tiny.off_main("cbad", MON + 10, parent="c0")
    tiny.deploy("cbad", MON + 12)  # W2 1001
    tiny.deploy("c0", MON + 13)  # W3 1002: W1's sha again -> rollback of W2
    tiny.push("cfeat", TUE + 8)
    tiny.deploy("cfeat", TUE + 10)  # W4 1003
    tiny.push("crev", TUE + 15, f"Revert feature\n\nThis reverts commit {sha('cfeat')}.")
    tiny.deploy("crev", TUE + 16)  # W5 1004: revert of W4
    tiny.push("cx", WED + 7)
    tiny.deploy("cx", WED + 9)  # W6 1005
    tiny.pull(60, [("p60", WED + 10)], created=WED + 10.2, merged=WED + 10.5,
              labels=("HotFix",))
    tiny.deploy("merge-60", WED + 11)  # W7 1006: hotfix -> W6 failed
    tiny.pull(61, [("p61", THU + 8)], created=THU + 8.5, merged=THU + 9,
              head_ref="hotfix/login-2")
    tiny.deploy("merge-61", THU + 10)  # W8 1007: hotfix -> W7 failed
    tiny.issue(50, TUE + 12, TUE + 17, f"Errors since `{sha('cfeat')[:7]}` went out.")
    tiny.issue(51, THU + 15, THU + 20, "Login fails for some users.")
    tiny.issue(52, SAT + 12, SAT + 14, "Disk full on a worker.")
    tiny.issue(53, WED + 10, WED + 10.5, f"Still seeing errors from {sha('cbad')[:7]}.")
    return tiny


def test_worked_example_week():
    row = recompute(worked_example().org, period="week")["alpha", date(2026, 1, 5)]
    assert (row.deployments, row.deploy_days) == (8, 4)
    assert row.deployments_per_day == pytest.approx(8 / 7)
    failed = {d.deployment_id: set(d.failed) for d in row.per_deployment.values() if d.failed}
    assert failed == {1001: {"rollback", "incident"}, 1003: {"revert", "incident"},
                      1005: {"hotfix"}, 1006: {"hotfix"}, 1007: {"incident"}}
    assert row.change_failure_rate == pytest.approx(5 / 8)
    links = {n: i.method for (_, n), i in row.per_incident.items()}
    assert links == {50: "explicit", 51: "time_window", 52: None, 53: "explicit"}
    # W2 detected at #53 (Wed 10:00) after W3 recovered it (Mon 13:00): negative -> NULL;
    # W4 4 h, W6 2 h, W7 23 h, W8 5 h -> median (4 + 5) / 2
    recovery = {d.deployment_id: d.recovery_hours for d in row.per_deployment.values()
                if d.failed}
    assert recovery == {1001: None, 1003: pytest.approx(4), 1005: pytest.approx(2),
                        1006: pytest.approx(23), 1007: pytest.approx(5)}
    assert (row.recovered_failures, row.recovery_median_hours) == (4, pytest.approx(4.5))
    # #53 0.5 h, #52 2 h, #50 5 h, #51 5 h -> median (2 + 5) / 2
    assert row.time_to_restore_median_hours == pytest.approx(3.5)
    rework = {d.deployment_id: d.rework for d in row.per_deployment.values() if d.rework}
    assert rework == {1002: ["rollback"], 1004: ["revert", "fix_forward"], 1006: ["hotfix"],
                      1007: ["hotfix"]}
    assert row.rework_rate == pytest.approx(0.5)
    # cbad 2, cfeat 2, crev 1, cx 2, PR 60 1, PR 61 2 -> median 2
    assert (row.changes, row.lead_time_median_hours) == (6, pytest.approx(2.0))
