"""A toy second source, owned by the test that proves the source seam (test_toy_source.py).

Everything a real source provides to the warehouse side, in miniature: its records, its raw
table declaration (`TOY_TABLES`, what `connectors/<source>/tables.py` holds), the DDL of that
table (what a migration holds), a batch type satisfying connectors.contract.Batch, and its
staging models under toy_source_sql/ (stg_toy_deployments, stg_toy_deployment_statuses), which
the conformed layer picks up by name. No file outside the test folder mentions it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from connectors.contract import Cursor, RawTable, SourceTables

SOURCE = "toy"
SQL_ROOT = Path(__file__).resolve().parent / "toy_source_sql"

# A deployment tool that reports one row per rollout: where, what, and how it ended.
DDL = """
create table if not exists raw.toy_rollouts (
    project     varchar not null,
    rollout_id  bigint  not null,
    target      varchar not null,
    commit_sha  varchar not null,
    started_at  timestamptz not null,
    ended_at    timestamptz,
    result      varchar not null,   -- ok, broken, running
    primary key (project, rollout_id)
)
"""


@dataclass(frozen=True)
class Rollout:
    project: str
    rollout_id: int
    target: str
    commit_sha: str
    started_at: datetime
    ended_at: datetime | None
    result: str


TOY_TABLES = SourceTables(
    SOURCE, (RawTable("raw.toy_rollouts", "rollouts", Rollout, scope_column="project"),)
)


@dataclass
class ToyBatch:
    """One project's rollouts and the cursor covering them."""

    project: str
    rollouts: list[Rollout] = field(default_factory=list)
    cursors: list[Cursor] = field(default_factory=list)

    @property
    def scope(self) -> str:
        return self.project
