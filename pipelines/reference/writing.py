"""candor.yaml as the rows of meta.team_repos, meta.team_members, meta.settings,
meta.repo_deployment_signals and meta.team_services, and the write that replaces them (no
Dagster: the asset in pipelines/reference/assets.py and the simulator's direct loader both call
it)."""

import json

import duckdb

from pipelines.config import CandorConfig
from pipelines.github.ingest import repo_signal
from pipelines.reference.proxy_settings import proxy_settings
from warehouse.reference import write_team_reference


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
    """Replace meta.team_repos, meta.team_members, meta.settings, meta.repo_deployment_signals
    and meta.team_services with candor.yaml's."""
    team_repos = [
        (team, source, repo, config.production_environment_for(repo))
        for source, repos in (("github", config.github_repos()),
                              ("gitlab", config.gitlab_repos()))
        for team, repo in repos
    ]
    team_members = [
        (team.name, source, login, person.name)
        for team in config.teams
        for person in team.people
        for source, login in person.accounts()
    ]
    pagerduty = config.sources.pagerduty
    team_services = [] if pagerduty is None else [
        (team, "pagerduty", pagerduty.account, service)
        for team, service in config.pagerduty_services()
    ]
    write_team_reference(
        con, team_repos, team_members, metric_settings(config), deployment_signals(config),
        team_services,
    )


def deployment_signals(config: CandorConfig) -> list[tuple]:
    """Rows of meta.repo_deployment_signals: where each repository's deployments come from,
    the same rule the connector is handed (pipelines.github.ingest.repo_signal)."""
    rows = []
    for _, repo in config.github_repos():
        signal = repo_signal(config, repo)
        rows.append(("github", repo, signal.signal, signal.workflow_regex, signal.branch,
                     signal.tag_regex))
    return rows
