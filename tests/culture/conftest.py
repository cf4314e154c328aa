"""The `warehouse` fixture: a DuckDB file with the survey tables and both built-in instruments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from culture_warehouse import PSYSAFE_ITEMS, WESTRUM_ITEMS, apply_survey_schema, declare_items


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse file with the survey tables and both built-in instruments declared."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    apply_survey_schema(con)
    declare_items(con, "westrum", WESTRUM_ITEMS)
    declare_items(con, "psysafe", PSYSAFE_ITEMS)
    yield con
    con.close()
