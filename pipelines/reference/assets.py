"""meta/team_repos, meta/team_members, meta/settings, meta/repo_deployment_signals,
meta/team_services: candor.yaml written into the warehouse.

The SQL models read the team mapping and the metric rules from these tables rather than from
query parameters, so the rules that produced a number stay visible to anyone reading the
warehouse, and the views need no parameters.
"""

import dagster as dg

from pipelines.reference.writing import write_reference
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource

REFERENCE_TABLES: dict[str, str] = {
    "team_repos": "Which team owns which repository, and its production environment rule.",
    "team_members": "Team rosters: per-source identities of each member.",
    "settings": "Metric rules from candor.yaml that the SQL models read.",
    "repo_deployment_signals": "Where each repository's deployments come from: the "
    "Deployments API, an Actions workflow or releases, with the rule's patterns.",
    "team_services": "Which team owns which incident-tool service (PagerDuty): the service's "
    "incidents are the team's.",
}


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
