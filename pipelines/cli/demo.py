"""`candor demo`: the whole main job on the built-in simulated organization.

The output, in order: the run's progress, the checks that did not pass, then one function per
section reading the published copy the run just wrote (`_sections`), after a line saying which
file it is and how fresh: the DORA table, the culture table, the culture-vs-delivery findings,
stale repositories. A new section is one more function in that list. Like `candor run`, the demo
waits for another run on the same warehouse to finish first (`warehouse.run_lock`).
"""

from __future__ import annotations

import time

import click

from pipelines.cli.configuration import config_file, effective, warehouse_file
from pipelines.cli.console import make_console
from pipelines.cli.options import config_option, debug_option


def _sections():
    """What the demo prints after its run, each `(connection, console) -> None`, in order."""
    from pipelines.cli.findings import print_findings
    from pipelines.cli.summary import (
        print_culture_summary,
        print_stale_repositories,
        print_team_summary,
    )

    return [print_team_summary, print_culture_summary, print_findings,
            print_stale_repositories]


@click.command()
@config_option
@click.option("--fresh", is_flag=True, help="Delete the demo warehouse first.")
@debug_option
def demo(config_path: str | None, fresh: bool, debug: bool) -> None:
    """Generate the simulated organization, serve its API on 127.0.0.1, ingest it through the
    real connector, build every model, and print a per-team DORA table."""
    console = make_console()
    started = time.monotonic()
    config_path = config_file(config_path)
    config = effective(config_path)
    if config.sandbox is None:
        raise click.ClickException(
            "this configuration has no `sandbox:` section; use `candor run` for real sources"
        )
    path = warehouse_file(config)
    from pipelines.cli.running import exclusive_run, run_and_report
    from warehouse.publish import snapshot_path
    from warehouse.reading import open_for_reading

    with exclusive_run(config):
        if fresh:
            # Only the warehouse's own files: its folder may hold other things. Not the run
            # lock's file: a run waiting for this one holds it open.
            for stale in (path, path.with_name(path.name + ".wal"), snapshot_path(path)):
                stale.unlink(missing_ok=True)
        console.print(
            f"[bold]Candor demo[/bold]: {len(config.teams)} teams, "
            f"{len(config.github_repos())} repositories, generated and served on 127.0.0.1; "
            "ingesting through the GitHub connector over HTTP..."
        )
        run_and_report(config_path, console, debug=debug)
        reading = open_for_reading(path)
    try:
        console.print(reading.describe(), markup=False, highlight=False)
        for section in _sections():
            section(reading.con, console)
    finally:
        reading.close()
    console.print(f"Warehouse: {path}  ({time.monotonic() - started:.0f} s)")
    console.print('Query it: candor sql "select * from marts.dora_team_month limit 20"')
    console.print("Definitions: docs/metrics.md")
