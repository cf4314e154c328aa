"""Rebuilding every mart at 10x the demo size, next to one full read of every raw table.

The warehouse holds the demo org at 60 teams (10x config/demo.yaml's 6, same 12 months). Its raw
tables are filled by the real connector running in this process against the simulator's own app
(demo_at_scale.fill_in_process; over HTTP this would be ~90k requests), its meta tables as the
team_reference asset writes them, and every model is built once, so that the measured builds
replace existing objects as a nightly run does. Then, alternately and each in a freshly spawned
process (so its peak memory is its own), REPEATS times:
  (a) rebuild: models.runner.run_all, every staging view, intermediate and mart;
  (b) full read: per raw table one query aggregating every column, so no column is skipped.
(a)/(b) says how many full reads of the raw data one rebuild of the marts costs.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from statistics import median

import pytest
from bench_support import (
    NEW_ACTIVITY,
    REPEATS,
    Measurement,
    in_fresh_process,
    mib,
    nightly_pass,
    nightly_pass_rebuilding_views,
    print_figures,
    raw_row_counts,
    read_every_raw_column,
    rebuild_marts,
    seconds_list,
)
from demo_at_scale import DEMO_TEAMS, demo_at, fill_in_process

from models.build_state import build_if_changed
from models.runner import model_order, run_all
from pipelines.reference.writing import write_reference
from warehouse.connection import connect
from warehouse.session import DEFAULT_MEMORY_LIMIT

TEAMS = 10 * DEMO_TEAMS


@pytest.fixture(scope="module")
def warehouse_10x(tmp_path_factory: pytest.TempPathFactory) -> Path:
    started = time.perf_counter()
    config, org = demo_at(TEAMS)
    generated = time.perf_counter() - started
    path = tmp_path_factory.mktemp("marts") / "warehouse.duckdb"
    con = connect(path)
    try:
        started = time.perf_counter()
        fill = fill_in_process(con, config, org)
        write_reference(con, config)
        filled = time.perf_counter() - started
        run_all(con)
        rows = raw_row_counts(con)
        deployments = con.execute("select count(*) from marts.deployments").fetchone()[0]
    finally:
        con.close()
    assert deployments > 0, "the 10x warehouse built marts.deployments without a row"
    print_figures(
        f"10x warehouse: demo org at {TEAMS} teams ({len(org.repos)} repositories)",
        [
            ("org generated in", f"{generated:.1f} s"),
            ("raw tables filled in-process in", f"{filled:.1f} s ({fill.requests:,} simulated "
                                                f"requests through the connector)"),
            ("records in raw tables", f"{sum(rows.values()):,}"),
            ("backfill: requests per record", f"{fill.requests / sum(rows.values()):.3f} "
                                              f"({fill.rest_requests:,} REST, "
                                              f"{fill.by_route.get('graphql', 0):,} GraphQL "
                                              f"queries costing {fill.graphql_points:,} points)"),
            ("backfill: requests by endpoint", ", ".join(
                f"{route} {n:,}" for route, n in sorted(fill.by_route.items(),
                                                        key=lambda item: -item[1]))),
            ("backfill: GitHub budget", f"{fill.budget_hours():.1f} h at 5,000 REST requests "
                                        "and 5,000 GraphQL points an hour"),
            ("production deployments in marts", f"{deployments:,}"),
            ("file size", mib(path.stat().st_size)),
        ],
    )
    return path


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 30)
def test_rebuilding_marts_at_10x_next_to_one_full_read_of_raw(warehouse_10x: Path):
    rebuilds: list[Measurement] = []
    reads: list[Measurement] = []
    for repetition in range(REPEATS):
        pair = [(rebuilds, rebuild_marts, False), (reads, read_every_raw_column, True)]
        # Alternate which goes first, so that neither always follows the other.
        for results, work, read_only in pair if repetition % 2 == 0 else pair[::-1]:
            results.append(in_fresh_process(work, warehouse_10x, read_only=read_only))

    rebuild_times = [m.seconds for m in rebuilds]
    read_times = [m.seconds for m in reads]
    rebuild, read = median(rebuild_times), median(read_times)
    print_figures(
        f"Marts at 10x the demo: rebuild (a) next to one full read of raw (b), "
        f"median of {REPEATS}, each run in a fresh process under the default memory_limit "
        f"({DEFAULT_MEMORY_LIMIT})",
        [
            ("(a) rebuild all marts, wall", f"{rebuild:.2f} s ({seconds_list(rebuild_times)})"),
            ("(b) one full read of raw, wall", f"{read:.2f} s ({seconds_list(read_times)})"),
            ("ratio (a)/(b)", f"{rebuild / read:.1f}"),
            *_memory_figures("(a) rebuild", rebuilds),
            *_memory_figures("(b) full read", reads),
        ],
    )


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 30)
def test_a_nightly_pass_after_new_activity_at_10x(warehouse_10x: Path, tmp_path: Path):
    """A nightly pass over the 10x warehouse after new activity (NEW_ACTIVITY), each on its own
    copy: (c) as runs build models now, views kept on an unchanged definition, next to (d) the
    same pass re-creating and computing every view whose inputs changed, as before."""
    recorded = tmp_path / "recorded.duckdb"
    shutil.copy(warehouse_10x, recorded)
    con = connect(recorded)
    try:
        for model in model_order():  # every model's build recorded, as after a nightly run
            build_if_changed(con, model, force=True)
    finally:
        con.close()
    kept: list[Measurement] = []
    rebuilt: list[Measurement] = []
    for repetition in range(REPEATS):
        pair = [(kept, nightly_pass), (rebuilt, nightly_pass_rebuilding_views)]
        for results, work in pair if repetition % 2 == 0 else pair[::-1]:
            copy = tmp_path / f"nightly-{repetition}-{work.__name__}.duckdb"
            shutil.copy(recorded, copy)
            con = connect(copy)
            try:
                for statement in NEW_ACTIVITY:
                    con.execute(statement)
            finally:
                con.close()
            results.append(in_fresh_process(work, copy, read_only=False))
            copy.unlink()
    now, before = median(m.seconds for m in kept), median(m.seconds for m in rebuilt)
    print_figures(
        f"Nightly pass at 10x after new activity (NEW_ACTIVITY: an issue, a pull request and "
        f"a review comment edited), median of {REPEATS}, each on its own copy in a fresh "
        f"process",
        [
            ("(c) views kept on their definition", f"{now:.2f} s "
                                                   f"({seconds_list([m.seconds for m in kept])})"),
            ("(d) views rebuilt when their inputs change",
             f"{before:.2f} s ({seconds_list([m.seconds for m in rebuilt])})"),
            ("ratio (c)/(d)", f"{now / before:.2f}"),
        ],
    )


def _memory_figures(label: str, runs: list[Measurement]) -> list[tuple[str, str]]:
    return [
        (f"{label}, peak RSS of its process", f"{mib(max(m.peak_rss for m in runs))} (resident "
                                              f"before the work: "
                                              f"{mib(median([m.rss_before for m in runs]))})"),
        (f"{label}, DuckDB peak buffer memory", mib(max(m.duckdb_peak for m in runs))),
    ]
