"""`candor run`: what the nightly job does, from the command line.

Runs on one warehouse take turns (`warehouse.run_lock`): a second `candor run` says which run it
waits for and for how long at most (`warehouse.run_wait_s`), then runs. The output ends with the
run's verdict: one line per failed step and repository, each with its message and fix.
"""

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
    from pipelines.cli.running import RunFailed, exclusive_run, run_and_report

    with exclusive_run(config):
        failed: set[str] = set()
        try:
            run_and_report(config_file(config_path), make_console(), full_refresh=full_refresh,
                           debug=debug)
        except RunFailed as exc:
            failed = exc.repositories
            raise
        finally:
            # Before the verdict; a repository that failed this run is in the verdict already.
            for line in _stale_warnings(path, skip=failed):
                click.echo(line, err=True)
    from warehouse.publish import snapshot_path

    click.echo(f"Warehouse: {path} (read-only copy for readers: {snapshot_path(path)})")


def _stale_warnings(path: Path, skip: set[str] = frozenset()) -> list[str]:
    """Warnings for repositories whose data is stale, but those in `skip`; none if the
    warehouse cannot be read."""
    from pipelines.cli.summary import stale_repository_lines
    from warehouse.connection import connect_read_only
    from warehouse.errors import WarehouseError

    try:
        con = connect_read_only(path)
    except WarehouseError:
        return []  # no warehouse yet, or another process has it: nothing to warn about here
    try:
        return stale_repository_lines(con, skip=skip)
    finally:
        con.close()
