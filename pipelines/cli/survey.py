"""`candor survey check FILE`: validate a survey export without loading it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipelines.cli.configuration import effective
from pipelines.cli.options import config_option


@click.group()
def survey() -> None:
    """Culture survey exports."""


@survey.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@config_option
def check(file: Path, config_path: str | None) -> None:
    """Validate FILE against candor.yaml and print every problem at once; loads nothing."""
    # A sandbox config's teams and waves come from the simulated organization's outline only.
    config = effective(config_path)
    from pipelines.surveys.importing import check_file

    checked = check_file(file, config, dt.datetime.now(dt.UTC).date())
    if checked.problems:
        for problem in checked.problems:
            click.echo(problem)
        raise click.ClickException(
            f"{len(checked.problems)} problem(s) in {file}; nothing would be imported"
        )
    first = checked.records[0].wave  # every instrument of a file has the same rows and wave
    instruments = " + ".join(r.wave.instrument for r in checked.records)
    click.echo(
        f"{file}: OK, {first.respondents} respondents to {instruments} "
        f"wave {first.wave} (closes {first.closes_on}); no identities are stored"
    )
