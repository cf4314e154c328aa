"""`candor run`: what the nightly job does, from the command line."""

from __future__ import annotations

import click

from pipelines.cli.execution import failure_messages, run_pipeline
from pipelines.cli.options import config_option
from pipelines.cli.summary import stale_repository_lines
from pipelines.config import check_run_environment
from pipelines.publishing.assets import snapshot_path
from pipelines.shared.resources import effective_config
from warehouse.connection import connect_read_only, warehouse_path
from warehouse.errors import WarehouseError


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
    # A missing token is one line before anything is created or requested.
    check_run_environment(config)
    result = run_pipeline(config_path, full_refresh=full_refresh)
    path = warehouse_path(config.warehouse.path)
    for line in _stale_warnings(path):
        click.echo(line, err=True)
    if not result.success:
        raise click.ClickException("the run failed:\n" + "\n".join(failure_messages(result)))
    click.echo(f"Warehouse: {path} (read-only copy for readers: {snapshot_path(path)})")


def _stale_warnings(path) -> list[str]:
    """Warnings for repositories whose data is stale; none if the warehouse cannot be read."""
    try:
        con = connect_read_only(path)
    except WarehouseError:
        return []  # no warehouse yet, or another process has it: nothing to warn about here
    try:
        return stale_repository_lines(con)
    finally:
        con.close()
