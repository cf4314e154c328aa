"""Options shared by several `candor` commands."""

from __future__ import annotations

import click

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="CANDOR_CONFIG",
    help="candor.yaml to use (default: CANDOR_CONFIG, else the demo configuration).",
)

debug_option = click.option(
    "--debug",
    is_flag=True,
    help="Show Dagster's own log lines and stack traces (normally one line per failure).",
)
