"""What a source plugs into the pipeline: its raw tables, its resource and how one run ingests
it. `pipelines/sources.py` registers every source; `pipelines/shared/ingest_asset.py` builds
each configured source's ingest asset from its `IngestSource`, the same way for all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import dagster as dg
import duckdb

from connectors.contract import SourceTables
from pipelines.config import CandorConfig

INGEST_SUFFIX = "_ingest"
"""Every source's ingest asset is named `<source>_ingest` (the CLI finds them by it)."""

FULL_REFRESH_TAG = "candor/full_refresh"
"""Run tag that makes every source's ingestion a full refresh (`candor run --full-refresh`, or
the tag set in the Dagster UI's launchpad): cursors ignored, each scope's rows replaced."""


@dataclass
class IngestReport:
    """What one ingestion of one source did: the attempt time every meta.sync_status row of it
    carries, the failed scopes (repositories) with their reasons, and data that became unknown
    (e.g. GitHub change sets compare refused)."""

    attempted_at: datetime
    repositories: int  # scopes configured for the source
    failures: dict[str, str] = field(default_factory=dict)  # scope -> reason and fix
    unknown_change_sets: list[str] = field(default_factory=list)  # one line per scope
    requests: int = 0
    not_modified: int = 0
    chunks: int = 0  # transactions committed (one or more per scope)
    rows: dict[str, int] = field(default_factory=dict)  # raw table -> rows written


@dataclass(frozen=True)
class IngestRun:
    """What a source's ingestion gets for one run."""

    con: duckdb.DuckDBPyConnection  # the warehouse writer
    config: CandorConfig
    resource: dg.ConfigurableResource  # the source's connection settings
    full_refresh: bool
    deadline: float  # epoch seconds: schedule.max_run_minutes after the run started
    log: Callable[[str], None]  # one progress line per scope


@dataclass(frozen=True)
class IngestSource:
    """One source as the pipeline sees it."""

    name: str  # 'github'; the asset is `<name>_ingest`, its group `<name>`
    title: str  # 'GitHub', as messages name it
    tables: SourceTables
    description: str  # the ingest asset's description in the Dagster UI
    resource_key: str  # the Dagster resource holding the source's connection settings
    resource: Callable[[], dg.ConfigurableResource]
    configured: Callable[[CandorConfig], bool]  # whether candor.yaml declares the source
    ingest: Callable[[IngestRun], IngestReport]

    @property
    def asset_name(self) -> str:
        return f"{self.name}{INGEST_SUFFIX}"
