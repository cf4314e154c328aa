"""CandorResource: the loaded configuration and the warehouse connection, for every asset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from uuid import uuid4

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipelines.config import CandorConfig
from pipelines.config.effective import effective_config
from warehouse.connection import connect, warehouse_path
from warehouse.held_writer import HeldWriter
from warehouse.integrity import check_once_per_run


class CandorResource(dg.ConfigurableResource):
    """Candor's configuration (candor.yaml) and its DuckDB warehouse.

    `config_path` empty means CANDOR_CONFIG, else the demo configuration. Writers open the
    warehouse through `writer()`; Dagster's `duckdb` pool keeps them one at a time, and
    consecutive steps of a run share the connection for up to a second.
    """

    config_path: str = ""
    # The run this resource serves (set by Dagster), so the warehouse is read whole once per run.
    _run_id: str = PrivateAttr(default_factory=lambda: uuid4().hex)
    # The run's writer connection, shared by consecutive steps (set up by Dagster for a run).
    _held: HeldWriter | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if context.run is not None:
            self._run_id = context.run.run_id
        self._held = HeldWriter(self._open_writer)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._held is not None:
            self._held.close()

    @property
    def config(self) -> CandorConfig:
        return effective_config(self.config_path)

    @property
    def warehouse_file(self) -> Path:
        return warehouse_path(self.config.warehouse.path)

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The warehouse, read-write, for one step; waits up to `warehouse.lock_wait_s` for a
        reader of the live file to let go, saying so once in the run's log.

        In a run, consecutive steps share one connection, let go when no step asks for it for
        a quarter of a second and at least once a second between steps, so readers of the live
        file still get in (warehouse/held_writer.py). The run's first writer reads the whole
        file first (warehouse/integrity.py), before the migrations, and raises
        WarehouseCorruptError, before anything is written, if a block of it is damaged.
        """
        # outside a Dagster run (no setup): a connection of its own, closed after the block
        opened = closing(self._open_writer()) if self._held is None else self._held.connection()
        with opened as con:
            yield con

    def _open_writer(self) -> duckdb.DuckDBPyConnection:
        reports = []
        con = connect(
            self.warehouse_file,
            lock_wait_s=self.config.warehouse.lock_wait_s,
            memory_limit=self.config.warehouse.memory_limit,
            threads=self.config.warehouse.threads,
            on_wait=dg.get_dagster_logger().warning,
            before_migrations=lambda opened: reports.append(
                check_once_per_run(opened, self.warehouse_file, self._run_id)),
        )
        if reports and reports[0] is not None:
            report = reports[0]
            dg.get_dagster_logger().info(
                f"warehouse {report.path}: {report.tables} tables read whole, no damaged "
                f"block ({report.seconds:.2f} s)"
            )
        return con
