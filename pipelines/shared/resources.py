"""CandorResource: the loaded configuration and the warehouse connection, for every asset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.config import CandorConfig, load_config, resolve_config_path
from pipelines.shared.sandbox import with_sandbox_defaults
from warehouse.connection import connect, warehouse_path


@lru_cache(maxsize=8)
def _effective_config(path: Path, mtime_ns: int) -> CandorConfig:
    # Keyed by modification time so an edited candor.yaml is re-read by a long-lived process.
    del mtime_ns
    return with_sandbox_defaults(load_config(path))


def effective_config(config_path: str | None) -> CandorConfig:
    """candor.yaml as the pipeline uses it: validated, with sandbox teams filled in."""
    path = resolve_config_path(config_path or None)
    mtime = path.stat().st_mtime_ns if path.is_file() else 0
    return _effective_config(path, mtime)


class CandorResource(dg.ConfigurableResource):
    """Candor's configuration (candor.yaml) and its DuckDB warehouse.

    `config_path` empty means CANDOR_CONFIG, else the demo configuration. Writers open the
    warehouse through `writer()`; Dagster's `duckdb` pool keeps them one at a time.
    """

    config_path: str = ""

    @property
    def config(self) -> CandorConfig:
        return effective_config(self.config_path)

    @property
    def warehouse_file(self) -> Path:
        return warehouse_path(self.config.warehouse.path)

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.warehouse_file)
        try:
            yield con
        finally:
            con.close()
