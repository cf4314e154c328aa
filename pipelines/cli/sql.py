"""`candor sql "QUERY"`: a read-only query against the warehouse."""

from __future__ import annotations

import click
import duckdb
from rich.table import Table

from pipelines.cli.console import make_console
from pipelines.cli.options import config_option
from pipelines.publishing.assets import snapshot_path
from pipelines.shared.resources import effective_config
from warehouse.connection import connect_read_only, warehouse_path
from warehouse.errors import WarehouseLockedError


@click.command()
@click.argument("query")
@config_option
@click.option("--limit", default=200, show_default=True, help="Rows to print at most.")
def sql(query: str, config_path: str | None, limit: int) -> None:
    """Run QUERY read-only on the warehouse and print the result as a table."""
    path = warehouse_path(effective_config(config_path).warehouse.path)
    if not path.exists():
        raise click.ClickException(f"no warehouse at {path}; run `candor run` or `make demo` first")
    try:
        con = connect_read_only(path)
    except WarehouseLockedError:
        # A run is writing the warehouse: read the copy the last run published.
        snapshot = snapshot_path(path)
        if not snapshot.exists():
            raise
        click.echo(f"(a run is writing the warehouse; reading the copy {snapshot})", err=True)
        con = connect_read_only(snapshot)
    try:
        cursor = con.execute(query)
        if cursor.description is None:
            click.echo("OK")
            return
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchmany(limit + 1)
    except duckdb.Error as exc:
        raise click.ClickException(f"query failed: {exc}") from None
    finally:
        con.close()
    table = Table(*columns)
    for row in rows[:limit]:
        table.add_row(*("" if v is None else str(v) for v in row))
    make_console().print(table)
    if len(rows) > limit:
        click.echo(f"(first {limit} rows shown; use --limit)")
