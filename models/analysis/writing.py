"""Replace analysis.model_results and analysis.mediation_results in one transaction, so readers
see one build's results or the next one's, never a mix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from models.analysis.results import MediationResult, ModelResult, as_columns

SQL_DIR = Path(__file__).parent / "sql"


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence) -> None:
    if not rows:
        return
    frame = pd.DataFrame(as_columns(list(rows)))  # noqa: F841 - read by DuckDB below
    con.execute(f"insert into {table} by name select * from frame")


def replace_analysis_tables(con: duckdb.DuckDBPyConnection, models: Sequence[ModelResult],
                            mediations: Sequence[MediationResult]) -> None:
    con.execute("begin transaction")
    try:
        con.execute((SQL_DIR / "analysis_tables.sql").read_text())
        _insert(con, "analysis.model_results", models)
        _insert(con, "analysis.mediation_results", mediations)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def confirmatory_sentences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stored confirmatory results in plain words, in the order they were written."""
    text = (SQL_DIR / "headline.sql").read_text(encoding="utf-8")
    return [sentence for (sentence,) in con.execute(text).fetchall()]
