"""The part `candor run` and `candor demo` share: run with progress, then say what failed and
which checks did not pass, in Candor's words."""

from __future__ import annotations

import click
from rich.console import Console


def run_and_report(
    config_path: str, console: Console, *, full_refresh: bool = False, debug: bool = False
) -> None:
    """Run the nightly job; print failed and warning checks; raise a ClickException with one
    line per failure if any step failed."""
    from pipelines.cli.execution import run_pipeline
    from pipelines.cli.failures import check_lines, failure_messages
    from pipelines.cli.progress import ProgressDisplay

    display = ProgressDisplay(console)
    with display:
        result = run_pipeline(
            config_path,
            full_refresh=full_refresh,
            debug=debug,
            on_record=None if debug else display.record,
            on_plan=lambda steps: setattr(display.state, "steps_total", steps),
        )
    checks = check_lines(result)
    if checks:
        click.echo(f"Checks that did not pass ({len(checks)}):", err=True)
        for line in checks:
            click.echo(line, err=True)
    if not result.success:
        raise click.ClickException("the run failed:\n" + "\n".join(failure_messages(result)))
