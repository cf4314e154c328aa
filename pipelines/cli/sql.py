"""`candor sql "QUERY"`: a read-only query on the published copy of the warehouse.

Leaders read the published copy (docs/culture.md §5.4): the marts, the analysis results and the
reference tables, never raw survey answers. It is always there between runs and during them, so
a query never waits for, or blocks, the nightly job. `--live` (also `--writer`) opens the live
warehouse itself, read-only, for respondent-level and raw data: it fails while a run's step
writes, and a long query holds the run's next step back (`warehouse.lock_wait_s`). The first
line, on standard error, says which file was read and how fresh it is (`warehouse.reading`).
"""

from __future__ import annotations

import click
import duckdb
from rich.table import Table

from pipelines.cli.configuration import load, warehouse_file
from pipelines.cli.console import make_console
from pipelines.cli.options import config_option
from warehouse.publish import snapshot_path
from warehouse.reader_objects import READER_SCHEMAS, REFERENCE_TABLES
from warehouse.reading import open_for_reading

READER_HINT = (
    f"the published copy holds {', '.join(f'{s}.*' for s in READER_SCHEMAS)} and "
    f"{', '.join(REFERENCE_TABLES)} only; raw and staging tables (survey answers included) are "
    "in the live warehouse: add --live"
)


@click.command()
@click.argument("query")
@config_option
@click.option("--limit", default=200, show_default=True, help="Rows to print at most.")
@click.option(
    "--live",
    "--writer",
    "live",
    is_flag=True,
    help="Query the live warehouse (raw tables, respondent-level survey data) instead of the "
    "published copy; read-only, and only between a run's writes.",
)
def sql(query: str, config_path: str | None, limit: int, live: bool) -> None:
    """Run QUERY read-only on the published copy of the warehouse and print a table."""
    # The file as written is enough: the path needs no sandbox defaults, so nothing simulated
    # is drawn, let alone generated.
    path = warehouse_file(load(config_path))
    target = path if live else snapshot_path(path)
    if not target.exists():
        if path.exists() and not live:
            raise click.ClickException(
                f"no published copy at {target} yet; `candor run` publishes it at the end of a "
                "run (or query the live warehouse with --live)"
            )
        raise click.ClickException(f"no warehouse at {path}; run `candor run` or `make demo` first")
    reading = open_for_reading(path, live=live)
    con = reading.con
    try:
        click.echo(reading.describe(), err=True)
        cursor = con.execute(query)
        if cursor.description is None:
            click.echo("OK")
            return
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchmany(limit + 1)
    except duckdb.CatalogException as exc:
        hint = "" if live else f" ({READER_HINT})"
        raise click.ClickException(f"query failed: {exc}{hint}") from None
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
