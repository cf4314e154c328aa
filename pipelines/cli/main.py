"""`candor`: run the pipeline, the demo, read-only SQL, and the simulated APIs."""

from __future__ import annotations

import sys

import click

from pipelines.cli.demo import demo
from pipelines.cli.run import run
from pipelines.cli.sandbox import sandbox
from pipelines.cli.sql import sql
from pipelines.cli.survey import survey
from pipelines.config import ConfigError
from warehouse.errors import WarehouseError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Candor: team culture and software delivery (DORA) in one warehouse."""


cli.add_command(demo)
cli.add_command(run)
cli.add_command(sql)
cli.add_command(sandbox)
cli.add_command(survey)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (ConfigError, WarehouseError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
