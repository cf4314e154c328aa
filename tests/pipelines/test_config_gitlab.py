"""candor.yaml's GitLab parts: the source section, the projects each team owns beside its
GitHub repositories, and what is refused with the key named."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.config import ConfigError, load_config
from pipelines.reference.writing import write_reference
from warehouse.migrations import apply_migrations

BASE = """
sources:
  github: {org: acme}
  gitlab: {url: 'https://gitlab.example.com', token_env: GL_KEY}
teams:
  - name: web
    repos: {github: [acme/web], gitlab: [acme/platform/web-edge]}
    members:
      - {name: Ada, github: ada, gitlab: ada.l}
  - name: api
    repos: {gitlab: [acme/api]}
"""


def write(tmp_path, text):
    path = tmp_path / "candor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_teams_own_projects_beside_repositories(tmp_path):
    config = load_config(write(tmp_path, BASE))
    assert config.gitlab_repos() == [("web", "acme/platform/web-edge"), ("api", "acme/api")]
    assert config.github_repos() == [("web", "acme/web")]
    assert config.sources.gitlab.url == "https://gitlab.example.com"
    assert config.sources.gitlab.token_env == "GL_KEY"
    con = duckdb.connect()
    apply_migrations(con)
    write_reference(con, config)
    rows = con.execute("select team, source, repo from meta.team_repos order by repo").fetchall()
    assert rows == [("api", "gitlab", "acme/api"),
                    ("web", "gitlab", "acme/platform/web-edge"),
                    ("web", "github", "acme/web")]
    members = con.execute("select source, login from meta.team_members order by source"
                          ).fetchall()
    assert members == [("github", "ada"), ("gitlab", "ada.l")]


def test_the_same_name_on_github_and_gitlab_is_two_repositories(tmp_path):
    text = BASE.replace("repos: {gitlab: [acme/api]}", "repos: {gitlab: [acme/web]}")
    config = load_config(write(tmp_path, text))
    assert ("api", "acme/web") in config.gitlab_repos()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("gitlab: [acme/api]", "gitlab: [acme/platform/web-edge]"),
         "gitlab repository 'acme/platform/web-edge' is listed under teams 'web' and 'api'"),
        (("url: 'https://gitlab.example.com'", "url: 'gitlab.example.com'"),
         "sources.gitlab.url: 'gitlab.example.com' is not an http:// or https:// URL"),
        (("url: 'https://gitlab.example.com'", "url: 'https://gitlab.example.com/api/v4'"),
         "ends in /api/v4; give GitLab's root URL"),
        (("  gitlab: {url: 'https://gitlab.example.com', token_env: GL_KEY}\n", ""),
         "team 'web' (teams[0]) lists repos.gitlab but candor.yaml has no `sources.gitlab:`"),
        (("gitlab: [acme/api]", "gitlab: [api]"),
         "'api' must be a GitLab project path with its group"),
        (("repos: {gitlab: [acme/api]}", "repos: {}"),
         "team 'api' (teams[1]) has no repositories; list them under repos.github or "
         "repos.gitlab"),
        (("url: 'https://gitlab.example.com'", "url: sandbox"),
         "sources.gitlab.url is 'sandbox' but `sandbox:` is missing"),
        ((BASE.rstrip().splitlines()[-1], BASE.rstrip().splitlines()[-1]
          + "\nrules:\n  repo_rules:\n    acme/api:\n      deployments: {signal: release}"),
         "'acme/api' is a GitLab project of team 'api': GitLab projects deploy through "
         "GitLab's deployments"),
    ],
)
def test_a_wrong_gitlab_setting_names_its_key(tmp_path, change, expected):
    with pytest.raises(ConfigError) as refused:
        load_config(write(tmp_path, BASE.replace(*change)))
    assert expected in str(refused.value)
