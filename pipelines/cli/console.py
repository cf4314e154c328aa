"""The terminal the CLI prints to: tables keep their full width when output is piped."""

from __future__ import annotations

import sys

from rich.console import Console

PIPED_WIDTH = 240  # rich assumes 80 columns without a terminal, which truncates every table


def make_console() -> Console:
    return Console(width=None if sys.stdout.isatty() else PIPED_WIDTH)
