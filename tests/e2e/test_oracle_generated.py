"""The oracle on a generated org: invariants every team-period must satisfy, independence from
the generator's truth fields, and the detection report (printed, for the closing note)."""

from __future__ import annotations

import copy

import pytest
from oracle import OracleRules, detection_report, recompute

from simulator.generator import generate_org
from simulator.model import Org


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org(seed=7, teams=2, months=3)


def without_truth(org: Org) -> Org:
    """A copy whose truth fields (what the API never serves) are blanked or scrambled."""
    blind = copy.deepcopy(org)
    for repo in blind.repos.values():
        for d in repo.deployments:
            d.production, d.kind, d.retry_of, d.change_failure = False, "release", None, False
            d.remediation = d.remediated_by = d.remediates = None
            d.incident_numbers = []
        for issue in repo.issues:
            issue.kind, issue.caused_by_deployment_ids, issue.mentions_sha = "bug", [], False
        for pr in repo.pulls:
            pr.kind, pr.reverts_sha, pr.remediates_deployment_id = "feature", None, None
        for commit in repo.commits.values():
            commit.kind, commit.pr_number, commit.original_sha = "direct", None, None
    return blind


@pytest.mark.parametrize("period", ["month", "week"])
def test_invariants_hold_for_every_team_period(org, period):
    rows = recompute(org, OracleRules(), period=period)
    assert {team for team, _ in rows} == {t.name for t in org.teams}
    for key, m in rows.items():
        assert 0 <= m.failed_deployments <= m.deployments, key
        assert 0 <= m.rework_deployments <= m.deployments, key
        assert m.deploy_days <= m.deployments, key
        if m.deployments:
            assert 0 <= m.change_failure_rate <= 1 and 0 <= m.rework_rate <= 1, key
        else:
            assert (m.change_failure_rate, m.rework_rate) == (None, None), key
        if m.lead_time_median_hours is not None:
            assert 0 <= m.lead_time_median_hours <= m.lead_time_p90_hours, key
    # every successful production deployment lands in exactly one row
    expected = sum(1 for r in org.repos.values() for d in r.deployments
                   if d.environment in r.production_environments and d.succeeded)
    assert sum(m.deployments for m in rows.values()) == expected


def test_results_do_not_depend_on_truth_fields(org):
    assert recompute(without_truth(org)) == recompute(org)


def test_detection_report_is_printed(org):
    report = detection_report(org)
    print(f"\nseed 7, 2 teams, 3 months:\n{report}")
    assert report.true_failures > 0 and report.detected > 0
    assert 0 < report.true_positives <= min(report.true_failures, report.detected)
