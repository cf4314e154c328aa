"""meta/team_repos, meta/team_members, meta/settings: candor.yaml written into the warehouse.

The SQL models read the team mapping and the metric rules from these tables rather than from
query parameters, so the rules that produced a number stay visible to anyone reading the
warehouse, and the views need no parameters.
"""

import json

import dagster as dg
import duckdb

from pipelines.config import CandorConfig
from pipelines.reference.proxy_settings import proxy_settings
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from warehouse.reference import write_team_reference

REFERENCE_TABLES: dict[str, str] = {
    "team_repos": "Which team owns which repository, and its production environment rule.",
    "team_members": "Team rosters: per-source identities of each member.",
    "settings": "Metric rules from candor.yaml that the SQL models read.",
    "repo_deployment_signals": "Where each repository's deployments come from: the "
    "Deployments API, an Actions workflow or releases, with the rule's patterns.",
}


def metric_settings(config: CandorConfig) -> dict[str, str]:
    """The rules of candor.yaml as name → text, the form meta.settings stores."""
    rules = config.rules
    return {
        "hotfix_labels": json.dumps(rules.hotfix.labels),
        "hotfix_head_branch_regex": rules.hotfix.head_branch_regex,
        "revert_title_regex": rules.revert.title_regex,
        "revert_message_regex": rules.revert.message_regex,
        "revert_body_regex": rules.revert.body_regex,
        "incident_labels": json.dumps(rules.incident.labels),
        "incident_link_window_hours": str(rules.incident_link_window_hours),
        "stale_after_hours": str(rules.stale_after_hours),
        "benchmark_year": str(rules.benchmark_year),
        "anonymity_minimum": str(rules.anonymity_minimum),
        **proxy_settings(rules),
        # read by marts.culture_vs_delivery (the delivery windows around each survey wave)
        "analysis_window_days": str(config.analysis.window_days),
        **_data_clock(config),
    }


def _data_clock(config: CandorConfig) -> dict[str, str]:
    """`data_clock`: the moment a `sandbox:` organization's data ends (its API's clock), which
    the freshness check measures against instead of the wall clock; nothing for real sources."""
    if config.sandbox is None:
        return {}
    from pipelines.shared.sandbox import sandbox_outline

    return {"data_clock": sandbox_outline(config.sandbox).end.isoformat()}


def write_reference(con: duckdb.DuckDBPyConnection, config: CandorConfig) -> None:
    """Replace meta.team_repos, meta.team_members and meta.settings with candor.yaml's."""
    team_repos = [
        (team, "github", repo, config.production_environment_for(repo))
        for team, repo in config.github_repos()
    ]
    team_members = [
        (team.name, "github", login) for team in config.teams for login in team.members.github
    ]
    write_team_reference(
        con, team_repos, team_members, metric_settings(config), deployment_signals(config)
    )


def deployment_signals(config: CandorConfig) -> list[tuple]:
    """Rows of meta.repo_deployment_signals: where each repository's deployments come from."""
    rows = []
    for _, repo in config.github_repos():
        signal = config.deployment_signal_for(repo)
        rows.append((
            "github",
            repo,
            signal.signal,
            getattr(signal, "workflow_regex", None),
            getattr(signal, "branch", None),
            getattr(signal, "tag_regex", None),
        ))
    return rows


@dg.multi_asset(
    name="team_reference",
    specs=[
        dg.AssetSpec(["meta", table], description=text, group_name="reference", kinds={"duckdb"})
        for table, text in REFERENCE_TABLES.items()
    ],
    pool="duckdb",
)
def team_reference(context: dg.AssetExecutionContext, candor: CandorResource):
    """Write teams, their repositories and members, and the metric rules from candor.yaml."""
    config = candor.config
    with candor.writer() as con:
        write_reference(con, config)
        context.log.info(f"{len(config.teams)} teams, {len(config.github_repos())} repositories")
        for table in REFERENCE_TABLES:
            yield dg.MaterializeResult(
                asset_key=["meta", table], metadata=table_metadata(con, f"meta.{table}")
            )
