"""Fixtures for the SQL model tests: the parsed models and a fresh hand-built warehouse."""

from __future__ import annotations

import pytest
from dora_world import World, new_world

from models.runner import model_order
from models.sql_files import SqlModel


@pytest.fixture(scope="session")
def models() -> list[SqlModel]:
    """Every model under models/sql, parsed once (parsing is the slow part)."""
    return model_order()


@pytest.fixture
def world(models: list[SqlModel]) -> World:
    built = new_world(models)
    yield built
    built.con.close()
