"""Team reference data from candor.yaml: who owns which repository and service, rosters,
metric rules.

The SQL models read these tables rather than query parameters, so the rules behind a number
stay visible in the warehouse. Each run replaces all five tables together.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.errors import WarehouseLoadError
from warehouse.queries import query
from warehouse.transaction import transaction

TeamRepo = tuple[str, str, str, str]  # (team, source, repo, production_environment_regex)
TeamMember = tuple[str, str, str, str]  # (team, source, login, member: the person's name)
TeamService = tuple[str, str, str, str]  # (team, source, account, service_id)
# (source, repo, signal, workflow_regex, workflow_branch, release_tag_regex)
RepoSignal = tuple[str, str, str, str | None, str | None, str | None]

# What usually makes each table refuse its rows, said in candor.yaml's terms.
_FIX = {
    "meta.team_repos": "each repository may belong to one team only, with a production "
    "environment rule: fix `teams:` and `rules:` in candor.yaml",
    "meta.team_members": "list each login once per team under `teams: members:` in candor.yaml",
    "meta.settings": "every rule needs a value: fix `rules:` in candor.yaml",
    "meta.team_services": "each service may belong to one team only: fix `teams: services:` "
    "in candor.yaml",
    "meta.repo_deployment_signals": "give each repository one `deployments:` rule under "
    "`rules.repo_rules` in candor.yaml",
}


def write_team_reference(
    con: duckdb.DuckDBPyConnection,
    team_repos: Sequence[TeamRepo],
    team_members: Sequence[TeamMember],
    settings: dict[str, str],
    deployment_signals: Sequence[RepoSignal] = (),
    team_services: Sequence[TeamService] = (),
) -> None:
    """Replace meta.team_repos, meta.team_members, meta.settings,
    meta.repo_deployment_signals and meta.team_services in one transaction. A repository
    without a deployment signal row uses the Deployments API (signal environment)."""
    contents: dict[str, Sequence[Sequence[object]]] = {
        "meta.team_repos": team_repos,
        "meta.team_members": team_members,
        "meta.settings": list(settings.items()),
        "meta.repo_deployment_signals": deployment_signals,
        "meta.team_services": team_services,
    }
    with transaction(con):
        con.execute(query("reference.sql", "clear_team_reference"))
        for table, rows in contents.items():
            try:
                with con.appender(table) as appender:
                    appender.append_rows(rows)
            except duckdb.Error as exc:
                raise WarehouseLoadError(
                    f"Cannot write {table}: {exc}; {_FIX[table]}. Nothing was changed."
                ) from exc
