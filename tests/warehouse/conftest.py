"""Fixtures for the warehouse tests: a fresh, migrated warehouse file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import connect


@pytest.fixture
def warehouse_file(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def con(warehouse_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(warehouse_file)
    yield connection
    connection.close()
