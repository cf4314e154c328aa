"""`candor`: run the pipeline, the demo, read-only SQL, and the simulated APIs.

Start-up imports only click and the command modules, which import what they need inside the
command: `candor --help` and a config error answer before Dagster, pandas or PyGithub load, and
the asset definitions are built only by `run` and `demo` (tests/benchmarks/test_cli_startup.py).
"""

from __future__ import annotations

import sys

import click

from pipelines.cli.demo import demo
from pipelines.cli.run import run
from pipelines.cli.sandbox import sandbox
from pipelines.cli.sql import sql
from pipelines.cli.survey import survey


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Candor: team culture and software delivery (DORA) in one warehouse."""


cli.add_command(demo)
cli.add_command(run)
cli.add_command(sql)
cli.add_command(sandbox)
cli.add_command(survey)


def user_error(exc: BaseException) -> str | None:
    """Candor's own message for an error a user can fix (config, environment, warehouse), or
    None for anything else (a bug: let its traceback show)."""
    # Imported here, not at start: if one of these was raised, its module is loaded already.
    config_error = getattr(sys.modules.get("pipelines.config.loading"), "ConfigError", None)
    warehouse_error = getattr(sys.modules.get("warehouse.errors"), "WarehouseError", None)
    known = tuple(kind for kind in (config_error, warehouse_error) if kind is not None)
    return str(exc) if known and isinstance(exc, known) else None


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:
        message = user_error(exc)
        if message is None:
            raise
        click.echo(f"Error: {message}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
