"""Ingesting the demo org over real HTTP: requests per record, and the cost of a run with nothing
new upstream.

The connector syncs every repository of the demo (config/demo.yaml: seed 7, 6 teams, 12 months)
from the simulated GitHub API on 127.0.0.1, as the github_ingest asset does (sync_repos with the
demo's max_workers, each batch written by write_batch), into a fresh temporary warehouse:
the full run. Then the same sync runs again with the cursors it stored, while nothing changed
upstream: the second run. Requests are counted by the server; a 304 answer costs no primary
rate limit, so the REST cost of a run is its non-304 REST requests; GraphQL queries are paid in
points from a budget of their own, which the server counts too.

The server runs in this process (as in `candor demo`), so the wall times include the simulated
API's own work, sharing the GIL with the connector.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import pytest
from bench_support import REPEATS, print_figures, raw_row_counts, seconds_list
from demo_at_scale import DEMO_TEAMS, UNLIMITED, budget_hours, demo_at, github_repos

from connectors.github.client import GitHubClientSettings
from connectors.github.settings import SOURCE as GITHUB_SOURCE
from connectors.github.sync import sync_repos
from connectors.github.tables import GITHUB_TABLES
from pipelines.config import CandorConfig
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors


@dataclass(frozen=True)
class IngestRun:
    seconds: float  # wall time: fetching and writing
    writing_seconds: float  # of which in write_batch
    requests: int  # answered by the server, 304s included
    not_modified: int  # answered 304
    rows_written: int  # rows write_batch upserted
    rows_stored: dict[str, int]  # rows in each raw table after the run
    by_endpoint: dict[str, int]  # requests per simulated endpoint
    graphql_points: int  # GraphQL rate-limit points the queries cost (a budget of its own)

    @property
    def rate_limit_cost(self) -> int:
        """REST requests that count against the REST budget: all but the 304s and the GraphQL
        queries (which are paid in points)."""
        return self.requests - self.not_modified - self.by_endpoint.get("graphql", 0)


def ingest(server: SandboxServer, config: CandorConfig, warehouse: Path) -> IngestRun:
    """One incremental run (the stored cursors, none in a new warehouse) of every repository."""
    assert config.sources.github is not None
    settings = GitHubClientSettings(token=server.token, base_url=server.base_url)
    server.stats.reset()
    server.graphql_limiter.start_next_window()
    con = connect(warehouse)
    try:
        started = time.perf_counter()
        batches = sync_repos(settings, github_repos(config), read_cursors(con, GITHUB_SOURCE),
                             max_workers=config.sources.github.max_workers)
        writing = 0.0
        written = 0
        for batch in batches:
            write_started = time.perf_counter()
            written += sum(write_batch(con, GITHUB_TABLES, batch).values())
            writing += time.perf_counter() - write_started
        seconds = time.perf_counter() - started
        stored = raw_row_counts(con)
    finally:
        con.close()
    stats = server.stats.snapshot()
    return IngestRun(seconds, writing, stats["total"], stats["not_modified"], written, stored,
                     stats["by_route"], server.graphql_limiter.used)


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 30)
def test_demo_ingest_requests_per_record_and_cost_of_a_run_with_nothing_new(tmp_path):
    config, org = demo_at(DEMO_TEAMS)
    assert config.sandbox is not None and config.sources.github is not None
    full: list[IngestRun] = []
    second: list[IngestRun] = []
    with SandboxServer(org, rate_limit=UNLIMITED) as server:
        for repetition in range(REPEATS):
            warehouse = tmp_path / f"ingest-{repetition}.duckdb"
            full.append(ingest(server, config, warehouse))
            second.append(ingest(server, config, warehouse))

    first = full[0]
    records = sum(first.rows_stored.values())
    # The org and the sync are deterministic: every repetition fetched and stored the same.
    assert {(run.requests, sum(run.rows_stored.values())) for run in full} == {
        (first.requests, records)
    }
    assert records > 0
    # Nothing changed upstream: every request of a second run is a conditional one answered 304.
    for run in second:
        assert run.rate_limit_cost == 0, f"second run spent {run.rate_limit_cost} non-304 requests"
        assert run.graphql_points == 0, f"second run spent {run.graphql_points} GraphQL points"
        assert run.rows_written == 0 and run.rows_stored == first.rows_stored

    endpoints = sorted(first.by_endpoint.items(), key=lambda item: -item[1])
    tables = ", ".join(f"{name.removeprefix('raw.github_')} {n:,}"
                       for name, n in first.rows_stored.items())
    repetitions = f"median of {REPEATS}"
    hours = budget_hours(first.rate_limit_cost, first.graphql_points)
    print_figures(
        f"Ingest: demo org (seed {org.seed}, {DEMO_TEAMS} teams, {len(org.repos)} repositories, "
        f"{config.sandbox.months} months) over HTTP, "
        f"max_workers {config.sources.github.max_workers}",
        [
            ("full run: requests", f"{first.requests:,} ({first.not_modified:,} answered 304; REST "
                                   f"{first.rate_limit_cost:,}, GraphQL queries "
                                   f"{first.by_endpoint.get('graphql', 0):,} costing "
                                   f"{first.graphql_points:,} points)"),
            ("full run: GitHub budget", f"{hours:.2f} h at 5,000 REST requests and 5,000 "
                                        "GraphQL points an hour"),
            ("full run: records in raw tables", f"{records:,} ({tables})"),
            ("full run: requests per record", f"{first.requests / records:.3f}"),
            ("full run: requests by endpoint", ", ".join(f"{e} {n:,}" for e, n in endpoints)),
            ("full run: wall time", f"{median([r.seconds for r in full]):.2f} s ({repetitions}: "
                                    f"{seconds_list([r.seconds for r in full])})"),
            ("full run: of which writing", f"{median([r.writing_seconds for r in full]):.2f} s"),
            ("full run: requests per second",
             f"{first.requests / median([r.seconds for r in full]):,.0f}"),
            ("second run: requests", f"{second[0].requests:,}"),
            ("second run: answered 304", f"{second[0].not_modified:,}"),
            ("second run: non-304 (rate-limit cost)", f"{second[0].rate_limit_cost:,} REST, "
                                                      f"{second[0].graphql_points} GraphQL points"),
            ("second run: rows written", f"{second[0].rows_written:,}"),
            ("second run: wall time", f"{median([r.seconds for r in second]):.2f} s "
                                      f"({repetitions}: "
                                      f"{seconds_list([r.seconds for r in second])})"),
        ],
    )
