"""One incident recorded in two tools counts once: the same simulated organization through the
whole pipeline, once from GitHub alone, once from GitHub and PagerDuty, where every GitHub
incident and near-miss issue is also a PagerDuty incident whose title names the issue
(owner/repo#N). The delivery and behaviour marts must not change: each GitHub copy is a
duplicate of its PagerDuty incident (linked to nothing, counted nowhere), and the PagerDuty
incident is linked and counted instead."""

from __future__ import annotations

import duckdb
import pytest
from alike import mart_rows, run_pipeline

from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.pagerduty_world import pagerduty_world

SANDBOX = {"seed": 3, "teams": 3, "months": 12}
GITHUB = {"github": {"base_url": "sandbox", "org": "acme"}}
# the failure's incident is the PagerDuty copy now: which incident, and the text saying so
INCIDENT_COLUMNS = ("incident_source", "incident_id", "incident_repo", "incident_number",
                    "evidence", "link_method")
UNCHANGED = {
    "marts.dora_team_month": (("data_synced_at",), {}),
    "marts.dora_team_week": (("data_synced_at",), {}),
    "marts.deployments": ((), {}),
    "marts.changes": ((), {}),
    # a failure's incident link: time window or explicit, by the incident's own text
    "marts.deployment_failures": (INCIDENT_COLUMNS, {}),
    # which part of the near-miss rule matched: a GitHub copy's label, the PagerDuty
    # incident's title (PagerDuty has no labels); the counts are the same
    "marts.behaviour_team_month": (("near_misses_by_label", "near_misses_by_title",
                                    "near_misses_by_priority_or_urgency"), {}),
}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    github_only = tmp_path_factory.mktemp("github")
    run_pipeline(github_only, {"sandbox": SANDBOX, "sources": GITHUB})
    both = tmp_path_factory.mktemp("both")
    run_pipeline(both, {"sandbox": SANDBOX, "sources": {
        **GITHUB, "pagerduty": {"base_url": "sandbox", "backfill_days": 400}}})
    with duckdb.connect(str(github_only / "warehouse.duckdb"), read_only=True) as before, \
            duckdb.connect(str(both / "warehouse.duckdb"), read_only=True) as after:
        yield before, after


@pytest.mark.parametrize("table", sorted(UNCHANGED))
def test_delivery_marts_do_not_count_an_incident_twice(warehouses, table):
    before, after = warehouses
    leave_out, alike = UNCHANGED[table]
    rows = mart_rows(after, table, leave_out, alike)
    assert rows and rows == mart_rows(before, table, leave_out, alike)


def test_each_github_copy_is_a_duplicate_of_its_pagerduty_incident(warehouses):
    _, after = warehouses
    world = pagerduty_world(sandbox_org(SandboxConfig(**SANDBOX)))
    # the truth: which GitHub issue each owned service's incident mirrors
    mirrored = {f"{i.service_id}#{i.number}": i.source_issue for i in world.incidents
                if i.source_issue is not None}
    rows = after.execute(
        "select incident_id, duplicate_of_id, linked_deployment_id from marts.incidents "
        "where source = 'github' and not is_near_miss").fetchall()
    assert rows and all(kept is not None and linked is None for _, kept, linked in rows)
    assert {issue: mirrored[kept] for issue, kept, _ in rows} == {
        issue: issue for issue, _, _ in rows}
    counted = after.execute(
        "select source, count(*) from marts.incidents where duplicate_of_id is null "
        "and not is_near_miss group by source").fetchall()
    assert counted == [("pagerduty", len(rows))]
