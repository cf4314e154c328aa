"""PagerDuty through the pipeline: `candor run` with `sources.pagerduty` reads the simulated
account over https next to GitHub; a second run stores nothing new; an account that cannot be
reached keeps GitHub's numbers, fails only the sync report, and never shows its token."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli
from pipelines.config.effective import effective_config
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.pagerduty_world import pagerduty_world

SANDBOX = {"seed": 5, "teams": 2, "months": 6}


def write_config(directory: Path, pagerduty: dict) -> Path:
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme"}, "pagerduty": pagerduty},
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def query(directory: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(directory / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def sandbox_runs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pagerduty")
    config = write_config(directory, {"base_url": "sandbox", "backfill_days": 400})
    first = CliRunner().invoke(cli, ["run", "--config", str(config)])
    after_first = query(directory, "select * exclude (payload) from raw.pagerduty_incidents "
                                   "order by incident_id")
    second = CliRunner().invoke(cli, ["run", "--config", str(config)])
    return directory, first, second, after_first


def test_a_run_reads_the_whole_account_next_to_github(sandbox_runs):
    directory, first, _, _ = sandbox_runs
    assert first.exit_code == 0, first.output
    org = sandbox_org(SandboxConfig(**SANDBOX))
    world = pagerduty_world(org)
    # the sandbox serves the account at the organization's end, 400 days reach its start
    expected = sorted((i.incident_id, i.number) for i in world.incidents)
    stored = query(directory, "select incident_id, incident_number from raw.pagerduty_incidents"
                              " order by incident_id")
    assert stored == expected
    entries = sum(len(i.log) for i in world.incidents)
    assert query(directory, "select count(*) from raw.pagerduty_log_entries") == [(entries,)]
    assert query(directory, "select count(*) from raw.github_deployments")[0][0] > 0
    status = query(directory, "select resource, last_error is null, last_success_at is not null"
                              " from meta.sync_status where source = 'pagerduty' order by 1")
    assert status == [("incidents", True, True), ("log_entries", True, True),
                      ("services", True, True)]


def test_a_second_run_with_nothing_new_changes_no_row(sandbox_runs):
    directory, _, second, after_first = sandbox_runs
    assert second.exit_code == 0, second.output
    assert query(directory, "select * exclude (payload) from raw.pagerduty_incidents "
                            "order by incident_id") == after_first


def test_an_unreachable_account_fails_only_its_own_sync(tmp_path, monkeypatch):
    token = "u+candor-test-secret-7f3a"
    monkeypatch.setenv("PAGERDUTY_TOKEN", token)
    # port 9 on the loopback (discard) refuses the connection: no retry, no wait
    config = write_config(tmp_path, {"base_url": "https://127.0.0.1:9", "retry_total": 0})
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code != 0
    assert "pagerduty" in result.output and "did not answer" in result.output
    assert token not in result.output
    assert query(tmp_path, "select count(*) from raw.github_deployments")[0][0] > 0
    assert query(tmp_path, "select count(*) from marts.dora_team_month")[0][0] > 0
    failures = query(tmp_path, "select resource, last_success_at, last_error from "
                               "meta.sync_status where source = 'pagerduty' order by 1")
    assert [(r, s) for r, s, _ in failures] == [("incidents", None), ("log_entries", None),
                                                ("services", None)]
    assert all("did not answer GET /services" in error for _, _, error in failures)
    dump = query(tmp_path, "select string_agg(last_error, ' ') from meta.sync_status")[0][0]
    assert token not in dump


def test_the_sandbox_teams_own_their_services_and_members_their_pagerduty_users(tmp_path):
    config = effective_config(write_config(tmp_path, {"base_url": "sandbox"}))
    world = pagerduty_world(sandbox_org(SandboxConfig(**SANDBOX)))
    assert dict(config.pagerduty_services()) == world.service_of_team
    assert {(p.github, p.pagerduty) for t in config.teams for p in t.people} == {
        (user.login, user.user_id) for user in world.users.values()}


def test_who_raised_each_pagerduty_incident_reaches_the_behaviour_proxies(sandbox_runs):
    directory, _, _, _ = sandbox_runs
    world = pagerduty_world(sandbox_org(SandboxConfig(**SANDBOX)))
    # the truth: a person of the owning team, or monitoring; near misses are no incidents
    expected = {(i.service_id, i.number): "team" if i.raised_by == "person" else "monitoring"
                for i in world.incidents if i.kind == "incident"}
    rows = query(directory, "select repo, number, incident_raiser from "
                            "staging.int_issue_behaviour where source = 'pagerduty' and "
                            "behaviour_class = 'incident'")
    assert {(repo, number): raiser for repo, number, raiser in rows} == expected
