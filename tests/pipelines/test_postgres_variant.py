"""The README's production `dagster.yaml` (Postgres instance storage) is one Dagster accepts.

The variant is read out of README.md itself, so an edit that breaks it breaks this test. It
replaces the `storage:` of the repository's dagster.yaml (as the README says) and goes through
what `DagsterInstance` does on start up to the point where it would connect: the instance
schema (`InstanceRef.from_dir`), then the storage class's own schema with the `{env: ...}`
values resolved, then the connection URL it would open. No Postgres server is needed.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from dagster._config import process_config
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.instance.ref import InstanceRef
from dagster_postgres.utils import pg_url_from_config
from readme_blocks import code_blocks

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "DAGSTER_PG_HOST": "db.internal",
    "DAGSTER_PG_USER": "candor",
    "DAGSTER_PG_PASSWORD": "s3cr#t",
}


def readme_storage() -> dict:
    """The README's ```yaml block that configures Postgres storage."""
    variants = [yaml.safe_load(b) for b in code_blocks("yaml")]
    postgres = [v for v in variants if "postgres" in (v or {}).get("storage", {})]
    assert len(postgres) == 1, "README.md shows one ```yaml block with `storage: postgres:`"
    return postgres[0]


@pytest.fixture
def production_home(tmp_path) -> Path:
    """A DAGSTER_HOME whose dagster.yaml is the repository's with the README's storage."""
    instance = yaml.safe_load((ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    instance["storage"] = readme_storage()["storage"]
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(instance), encoding="utf-8")
    return tmp_path


def storage_config(home: Path):
    """The storage class Dagster would start, and its config as Dagster resolves it."""
    storage = InstanceRef.from_dir(str(home)).storage_data
    storage_class = getattr(importlib.import_module(storage.module_name), storage.class_name)
    return storage_class, process_config(
        storage_class.config_type(), yaml.safe_load(storage.config_yaml)
    )


def test_the_readme_postgres_variant_loads_with_its_environment(production_home, monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    storage_class, resolved = storage_config(production_home)
    assert storage_class.__name__ == "DagsterPostgresStorage"
    assert resolved.success, resolved.errors
    # The URL the storage would connect to, built from the environment, password quoted.
    assert (
        pg_url_from_config(resolved.value)
        == "postgresql://candor:s3cr%23t@db.internal:5432/dagster"
    )


def test_without_its_environment_the_variant_names_the_missing_variable(
    production_home, monkeypatch
):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DAGSTER_PG_PASSWORD")
    _, resolved = storage_config(production_home)
    assert not resolved.success
    assert "DAGSTER_PG_PASSWORD" in "\n".join(str(e.message) for e in resolved.errors)


def test_a_misspelt_storage_key_is_refused_by_the_instance_schema(production_home):
    text = (production_home / "dagster.yaml").read_text(encoding="utf-8")
    (production_home / "dagster.yaml").write_text(text.replace("hostname", "host_name"))
    with pytest.raises(DagsterInvalidConfigError):
        InstanceRef.from_dir(str(production_home))
