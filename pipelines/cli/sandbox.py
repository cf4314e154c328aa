"""`candor sandbox`: serve the simulated organization's APIs on 127.0.0.1 until stopped."""

from __future__ import annotations

import signal
import time

import click


@click.command()
@click.option("--seed", default=7, show_default=True, help="Seed of the simulated organization.")
@click.option("--teams", default=6, show_default=True, help="Number of teams.")
@click.option("--months", default=12, show_default=True, help="Months of activity.")
@click.option("--port", default=0, help="Port on 127.0.0.1 (default: any free port).")
@click.option("--ground-truth", type=click.Path(dir_okay=False), help="Write the true model here.")
@click.option(
    "--rate-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Requests per hour per token (default: twice what a full sync of this organization "
    "needs, so a backfill and a following run fit in one hour).",
)
def sandbox(
    seed: int, teams: int, months: int, port: int, ground_truth: str | None,
    rate_limit: int | None,
) -> None:
    """Serve the simulated GitHub, GitLab and PagerDuty APIs of a generated organization until
    Ctrl-C (GitLab serves every repository as a project, so either source can be tried)."""
    from pipelines.config.schema import SandboxConfig
    from pipelines.shared.sandbox import (
        default_rate_limit,
        sandbox_org,
        served_gitlab,
        served_org,
        served_pagerduty,
    )

    click.echo("Generating the simulated organization...")
    org = sandbox_org(SandboxConfig(seed=seed, teams=teams, months=months))
    if ground_truth:
        org.write_ground_truth(ground_truth)
        click.echo(f"Ground truth: {ground_truth}")
    budget = rate_limit or default_rate_limit(org)
    with served_org(org, port=port, rate_limit=budget) as server, served_pagerduty(org) as pd, \
            served_gitlab(org, sorted(org.repos)) as gl:
        click.echo(f"GitHub API: {server.base_url}")
        click.echo(f"Token: {server.token}")
        click.echo("Send it as the header 'Authorization: token <token>'.")
        click.echo(
            f"Rate limit: {budget:,} requests per hour"
            + ("" if rate_limit else " (twice a full sync of this organization)")
        )
        click.echo(f"GitLab URL: {gl.url}")
        click.echo(f"GitLab token: {gl.token}")
        click.echo("Send the GitLab token as the header 'PRIVATE-TOKEN: <token>' (python-gitlab: "
                   "private_token); every repository is also a GitLab project.")
        click.echo(f"PagerDuty API: {pd.base_url}")
        click.echo(f"PagerDuty token: {pd.token}")
        click.echo(f"PagerDuty CA certificate: {pd.ca_path}")
        click.echo("Send the PagerDuty token as 'Authorization: Token token=<token>' and verify "
                   "the server with that CA (it is made for this run).")
        services = ", ".join(f"{team} {service}"
                             for team, service in pd.world.service_of_team.items())
        click.echo(f"PagerDuty services by team: {services}")
        click.echo("Serving on 127.0.0.1 only. Press Ctrl-C to stop.")
        # A parent that ignores SIGINT (a CI runner, a process started from a daemon) passes the
        # ignore on, and Python then never raises KeyboardInterrupt: Ctrl-C must stop this.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("Stopped.")
