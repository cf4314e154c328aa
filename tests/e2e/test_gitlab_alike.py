"""A team read from GitLab gets the numbers it gets read from GitHub: the same simulated
organization through the whole pipeline twice, once with every repository on GitHub, once with
one team's repositories served by the simulated GitLab (the same activity: deployments, merge
requests, reviews as notes, incidents as GitLab's incident type). Every delivery mart of every
team is compared row by row; only the `source` column may differ. Links of GitLab incidents are
scored against the generator's truth (link_quality.py) as GitHub's are."""

from __future__ import annotations

import duckdb
import pytest
from alike import mart_rows, run_pipeline
from link_quality import report, score_links

from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org

SANDBOX = {"seed": 3, "teams": 3, "months": 12}
ON_GITLAB = "payments"  # three repositories, all deploying through deployments
MARTS = ("marts.dora_team_month", "marts.dora_team_week", "marts.deployments",
         "marts.changes", "marts.incidents", "marts.deployment_failures",
         "marts.behaviour_team_month")
SOURCE_COLUMNS = ("source", "linked_source", "incident_source")  # which source: may differ
# what a source says differently of the same fact (docs/metrics.md, docs/configuration.md):
# the run's own sync time; GitLab's incident type is no label; a GitLab commit names its
# author by name and e-mail only, never stored, so a direct push has no login
ALIKE = {"data_synced_at": "null",
         "labels": "list_filter(labels, lambda l: l <> 'incident')",
         "author_login": "case when kind = 'commit' then null else author_login end"}


def _run(directory, sources, teams=None) -> None:
    body = {"sandbox": SANDBOX, "sources": sources}
    if teams is not None:
        body["teams"] = teams
        body["rules"] = {"repo_rules": sandbox_org(SandboxConfig(**SANDBOX)).demo_config()[
            "rules"]["repo_rules"]}
    run_pipeline(directory, body)


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    org = sandbox_org(SandboxConfig(**SANDBOX))
    github_only = tmp_path_factory.mktemp("github")
    _run(github_only, {"github": {"base_url": "sandbox", "org": "acme"}})
    teams = org.demo_config()["teams"]
    for team in teams:
        if team["name"] == ON_GITLAB:
            team["repos"] = {"gitlab": team["repos"]["github"]}
            team["members"] = [{"name": login, "github": login, "gitlab": login}
                               for login in team["members"]["github"]]
    mixed = tmp_path_factory.mktemp("mixed")
    _run(mixed, {"github": {"base_url": "sandbox", "org": "acme"},
                 "gitlab": {"url": "sandbox"}}, teams)
    with duckdb.connect(str(github_only / "warehouse.duckdb"), read_only=True) as before, \
            duckdb.connect(str(mixed / "warehouse.duckdb"), read_only=True) as after:
        yield org, before, after


def _rows(con, table: str) -> list[str]:
    return mart_rows(con, table, SOURCE_COLUMNS, ALIKE)


@pytest.mark.parametrize("table", MARTS)
def test_every_team_has_the_same_rows_whichever_source_holds_its_repositories(warehouses,
                                                                              table):
    _, before, after = warehouses
    rows = _rows(after, table)
    assert rows and rows == _rows(before, table)


def test_what_gitlab_cannot_say_is_null_not_guessed(warehouses):
    _, _, after = warehouses
    logins = after.execute(
        "select count(*), count(author_login) from marts.changes where source = 'gitlab' "
        "and kind = 'commit'").fetchone()
    assert logins[0] > 0 and logins[1] == 0


def test_the_team_was_read_from_gitlab(warehouses):
    _, _, after = warehouses
    sources = dict(after.execute(
        "select source, count(*) from marts.deployments where team = ? group by source",
        [ON_GITLAB]).fetchall())
    assert set(sources) == {"gitlab"} and sources["gitlab"] > 50


def test_gitlab_incidents_link_as_well_as_githubs(warehouses):
    org, _, after = warehouses
    scores = score_links(after, org, None)
    print("\n" + "\n".join(report(scores)))
    explicit = scores[("gitlab", "explicit")]
    assert explicit.linked >= 5 and explicit.precision >= 0.95 and explicit.recall >= 0.95
