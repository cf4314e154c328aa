"""`candor run`: what the nightly job does, from the command line."""

from __future__ import annotations

import click

from pipelines.cli.execution import failure_messages, run_pipeline
from pipelines.cli.options import config_option
from pipelines.publishing.assets import snapshot_path
from pipelines.shared.resources import effective_config
from warehouse.connection import warehouse_path


@click.command()
@config_option
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Ignore sync cursors and re-read every source from the start (backfill).",
)
def run(config_path: str | None, full_refresh: bool) -> None:
    """Ingest every source, rebuild all models and run the checks."""
    config = effective_config(config_path)
    result = run_pipeline(config_path, full_refresh=full_refresh)
    if not result.success:
        raise click.ClickException("the run failed:\n" + "\n".join(failure_messages(result)))
    path = warehouse_path(config.warehouse.path)
    click.echo(f"Warehouse: {path} (read-only copy for readers: {snapshot_path(path)})")
