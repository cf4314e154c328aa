"""`candor demo`: the whole main job on the built-in simulated organization."""

from __future__ import annotations

import time

import click

from pipelines.cli.console import make_console
from pipelines.cli.execution import failure_messages, run_pipeline
from pipelines.cli.options import config_option
from pipelines.cli.summary import (
    print_culture_summary,
    print_team_summary,
    stale_repository_lines,
)
from pipelines.publishing.assets import snapshot_path
from pipelines.shared.resources import effective_config
from warehouse.connection import connect_read_only, warehouse_path


@click.command()
@config_option
@click.option("--fresh", is_flag=True, help="Delete the demo warehouse first.")
def demo(config_path: str | None, fresh: bool) -> None:
    """Generate the simulated organization, serve its API on 127.0.0.1, ingest it through the
    real connector, build every model, and print a per-team DORA table."""
    console = make_console()
    started = time.monotonic()
    console.print("[bold]Candor demo[/bold]: generating the simulated organization...")
    config = effective_config(config_path)
    if config.sandbox is None:
        raise click.ClickException(
            "this configuration has no `sandbox:` section; use `candor run` for real sources"
        )
    path = warehouse_path(config.warehouse.path)
    if fresh:
        # Only the warehouse's own files: its folder may hold other things.
        for stale in (path, path.with_name(path.name + ".wal"), snapshot_path(path)):
            stale.unlink(missing_ok=True)
    console.print(
        f"{len(config.teams)} teams, {len(config.github_repos())} repositories; "
        "ingesting through the GitHub connector over HTTP on 127.0.0.1..."
    )
    result = run_pipeline(config_path)
    if not result.success:
        raise click.ClickException("the demo failed:\n" + "\n".join(failure_messages(result)))
    con = connect_read_only(path)
    try:
        print_team_summary(con, console)
        print_culture_summary(con, console)
        for line in stale_repository_lines(con):
            click.echo(line, err=True)
    finally:
        con.close()
    console.print(f"Warehouse: {path}  ({time.monotonic() - started:.0f} s)")
    console.print('Query it: uv run candor sql "select * from marts.dora_team_month limit 20"')
    console.print("Definitions: docs/metrics.md")
