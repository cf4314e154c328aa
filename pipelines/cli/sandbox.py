"""`candor sandbox`: serve the simulated organization's APIs on 127.0.0.1 until stopped."""

from __future__ import annotations

import time

import click

from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.server import SandboxServer


@click.command()
@click.option("--seed", default=7, show_default=True, help="Seed of the simulated organization.")
@click.option("--teams", default=6, show_default=True, help="Number of teams.")
@click.option("--months", default=12, show_default=True, help="Months of activity.")
@click.option("--port", default=0, help="Port on 127.0.0.1 (default: any free port).")
@click.option("--ground-truth", type=click.Path(dir_okay=False), help="Write the true model here.")
def sandbox(seed: int, teams: int, months: int, port: int, ground_truth: str | None) -> None:
    """Serve simulated GitHub APIs of a generated organization until Ctrl-C."""
    click.echo("Generating the simulated organization...")
    org = sandbox_org(SandboxConfig(seed=seed, teams=teams, months=months))
    if ground_truth:
        org.write_ground_truth(ground_truth)
        click.echo(f"Ground truth: {ground_truth}")
    with SandboxServer(org, port=port) as server:
        click.echo(f"GitHub API: {server.base_url}")
        click.echo(f"Token: {server.token}")
        click.echo("Send it as the header 'Authorization: token <token>'.")
        click.echo("Serving on 127.0.0.1 only. Press Ctrl-C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("Stopped.")
