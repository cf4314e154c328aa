"""GitLab through the pipeline: `candor run` with `sources.gitlab` reads a team's projects from
the simulated GitLab next to another team's GitHub repositories; a project GitLab does not have
fails only its own sync; a second run stores nothing new; an unreachable GitLab keeps GitHub's
numbers and never shows its token."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from connectors.gitlab.tables import GITLAB_TABLES
from pipelines.cli.main import cli
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org

SANDBOX = {"seed": 5, "teams": 2, "months": 6}
GHOST = "acme/platform/ghost"  # listed, but no such project


def write_config(directory: Path, gitlab: dict, *, ghost: bool = True) -> Path:
    org = sandbox_org(SandboxConfig(**SANDBOX))
    first, second = org.teams
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme"}, "gitlab": gitlab},
        "teams": [
            {"name": first.name, "members": {"github": list(first.members)},
             "repos": {"github": list(first.repos)}},
            {"name": second.name,
             "members": [{"name": login, "gitlab": login} for login in second.members],
             "repos": {"gitlab": list(second.repos) + ([GHOST] if ghost else [])}},
        ],
        "rules": {"repo_rules": {repo: rule for repo, rule in
                                 org.demo_config()["rules"]["repo_rules"].items()
                                 if repo in first.repos}},
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def query(directory: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(directory / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def raw_counts(directory: Path) -> dict[str, int]:
    return {t.name: query(directory, f"select count(*) from {t.name}")[0][0]
            for t in GITLAB_TABLES}


@pytest.fixture(scope="module")
def sandbox_runs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("gitlab")
    config = write_config(directory, {"url": "sandbox"})
    first = CliRunner().invoke(cli, ["run", "--config", str(config)])
    after_first = raw_counts(directory)
    second = CliRunner().invoke(cli, ["run", "--config", str(config)])
    return directory, first, second, after_first


def test_a_run_reads_the_projects_next_to_github_and_a_missing_one_fails_alone(sandbox_runs):
    directory, first, _, _ = sandbox_runs
    org = sandbox_org(SandboxConfig(**SANDBOX))
    gitlab_team = org.teams[1]
    # the missing project fails the run's report, nothing else
    assert first.exit_code != 0
    assert f"no project '{GHOST}'" in first.output
    stored = query(directory, "select repo, count(*) from raw.gitlab_deployments group by repo "
                              "order by repo")
    assert stored == sorted((repo, len(org.repos[repo].deployments))
                            for repo in gitlab_team.repos)
    teams = query(directory, "select team, source, count(*) from marts.deployments "
                             "group by team, source order by team")
    assert {(team, source) for team, source, _ in teams} == {
        (org.teams[0].name, "github"), (gitlab_team.name, "gitlab")}
    failed = query(directory, "select scope, count(*) from meta.sync_status where source = "
                              "'gitlab' and last_success_at is null group by scope")
    assert failed == [(GHOST, 4)]
    synced = query(directory, "select count(distinct scope) from meta.sync_status where "
                              "source = 'gitlab' and last_error is null")
    assert synced == [(len(gitlab_team.repos),)]


def test_a_second_run_with_nothing_new_stores_no_new_row(sandbox_runs):
    directory, _, second, after_first = sandbox_runs
    assert f"no project '{GHOST}'" in second.output
    assert raw_counts(directory) == after_first
    assert min(after_first.values()) > 0


def test_an_unreachable_gitlab_fails_only_its_own_projects(tmp_path, monkeypatch):
    token = "glpat-candor-test-secret-9c1d"
    monkeypatch.setenv("GITLAB_TOKEN", token)
    # port 9 on the loopback (discard) refuses the connection: no retry, no wait
    config = write_config(tmp_path, {"url": "http://127.0.0.1:9", "retry_total": 0},
                          ghost=False)
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code != 0
    assert "did not answer" in result.output and token not in result.output
    assert query(tmp_path, "select count(*) from raw.github_deployments")[0][0] > 0
    assert query(tmp_path, "select count(*) from marts.dora_team_month")[0][0] > 0
    dump = query(tmp_path, "select string_agg(last_error, ' ') from meta.sync_status "
                           "where source = 'gitlab'")[0][0]
    assert "did not answer" in dump and token not in dump
