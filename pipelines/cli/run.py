"""`candor run`: what the nightly job does, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from pipelines.cli.configuration import config_file, effective, warehouse_file
from pipelines.cli.console import make_console
from pipelines.cli.options import config_option, debug_option


@click.command()
@config_option
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Ignore sync cursors and re-read every source from the start (backfill).",
)
@debug_option
def run(config_path: str | None, full_refresh: bool, debug: bool) -> None:
    """Ingest every source, rebuild all models and run the checks."""
    from pipelines.config import check_run_environment

    config = effective(config_path)
    # A missing token or an unusable warehouse folder is one line before anything is
    # created or requested.
    check_run_environment(config)
    path = warehouse_file(config)
    from pipelines.cli.running import run_and_report

    try:
        run_and_report(config_file(config_path), make_console(), full_refresh=full_refresh,
                       debug=debug)
    finally:
        for line in _stale_warnings(path):
            click.echo(line, err=True)
    from warehouse.publish import snapshot_path

    click.echo(f"Warehouse: {path} (read-only copy for readers: {snapshot_path(path)})")


def _stale_warnings(path: Path) -> list[str]:
    """Warnings for repositories whose data is stale; none if the warehouse cannot be read."""
    from pipelines.cli.summary import stale_repository_lines
    from warehouse.connection import connect_read_only
    from warehouse.errors import WarehouseError

    try:
        con = connect_read_only(path)
    except WarehouseError:
        return []  # no warehouse yet, or another process has it: nothing to warn about here
    try:
        return stale_repository_lines(con)
    finally:
        con.close()
