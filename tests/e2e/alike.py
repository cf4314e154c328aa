"""Comparing the marts of two runs of the same simulated organization read through different
sources: every row of a mart as text, with the columns that name a source left out and the
columns a source says differently normalised, sorted (a mart may hold several rows of a key)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli


def run_pipeline(directory: Path, body: dict) -> None:
    """`candor run` on a candor.yaml of `body` with its warehouse in `directory`."""
    config = directory / "candor.yaml"
    config.write_text(yaml.safe_dump(
        {"warehouse": {"path": str(directory / "warehouse.duckdb")}, **body}))
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output


def mart_rows(con: duckdb.DuckDBPyConnection, table: str, leave_out: tuple[str, ...],
              alike: dict[str, str]) -> list[str]:
    """Every row of `table` without the `leave_out` columns, `alike` columns replaced by their
    expression, as sorted text."""
    columns = [row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_schema || '.' || "
        "table_name = ? order by ordinal_position", [table]).fetchall()]
    listed = ", ".join(alike.get(c, f'"{c}"') for c in columns if c not in leave_out)
    # table names, column names and expressions come from the catalog and the tests'
    # constants, never from input
    return sorted(repr(row) for row in con.execute(f"select {listed} from {table}").fetchall())
