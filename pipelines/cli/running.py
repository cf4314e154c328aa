"""The part `candor run` and `candor demo` share: one run at a time on a warehouse, run with
progress, then say what failed and which checks did not pass, in Candor's words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console


class RunFailed(click.ClickException):
    """The run failed: the message has one line per failed step and repository;
    `repositories` names the repositories that were not synced this run."""

    def __init__(self, lines: list[str], repositories: set[str]) -> None:
        super().__init__("the run failed:\n" + "\n".join(lines))
        self.repositories = repositories


@contextmanager
def exclusive_run(config) -> Iterator[None]:
    """Hold the run lock of `config`'s warehouse for the body: a second run on the same file
    says it waits for this one (and for how long at most) on standard error, then waits
    (`warehouse.run_lock`)."""
    from pipelines.cli.configuration import warehouse_file
    from warehouse.run_lock import one_run_at_a_time

    def say(line: str) -> None:
        click.echo(line, err=True)

    with one_run_at_a_time(warehouse_file(config), config.warehouse.run_wait_s, say):
        yield


def run_and_report(
    config_path: str, console: Console, *, full_refresh: bool = False, debug: bool = False
) -> None:
    """Run the nightly job; print failed and warning checks; raise RunFailed with one line per
    failure if any step failed."""
    from pipelines.cli.execution import run_pipeline
    from pipelines.cli.failures import check_lines, failed_repositories, failure_messages
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
        raise RunFailed(failure_messages(result), set(failed_repositories(result)))
