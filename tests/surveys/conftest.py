"""Fixtures: the respondent-id salt in the environment, and a migrated warehouse file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from survey_files import SALT, SALT_ENV

from warehouse.connection import connect


@pytest.fixture(autouse=True)
def salt(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(SALT_ENV, SALT)
    return SALT


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse file with every migration applied, checkpointed and closed: copied per test."""
    path = tmp_path_factory.mktemp("template") / "warehouse.duckdb"
    con = connect(path)
    con.execute("checkpoint")
    con.close()
    return path


@pytest.fixture
def warehouse_file(tmp_path: Path, migrated_template: Path) -> Iterator[Path]:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(migrated_template, path)
    yield path
