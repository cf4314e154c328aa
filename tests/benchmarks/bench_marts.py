"""Rebuilding every mart at 10x and 100x the demo size, next to one full read of every raw table.

A warehouse per scale holds the 6-team demo org the issue measured at 60 and 600 teams (same 12
months; CANDOR_BENCH_SCALES, default "10,100"). Its raw tables are filled by the real connector
running in this process against the simulator's own app (demo_at_scale.fill_in_process), its
meta tables as the team_reference asset writes them, and every model is built and recorded once,
as after a nightly run. Then, in turn and each in a freshly spawned process (so its peak memory
is its own) under the default memory_limit, REPEATS times:
  (a) nightly rebuild: every model's inputs changed, as after a day of activity everywhere:
      fingerprints, every table's rows computed again in place, views kept (their definitions
      are unchanged; a view holds no rows);
  (f) full refresh: every view and table built from scratch, candidate and swap;
  (b) full read: per raw table one query aggregating every column, so no column is skipped.
(a)/(b) says how many full reads of the raw data one nightly rebuild of the marts costs.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import pytest
from bench_support import (
    NEW_ACTIVITY,
    REPEATS,
    Measurement,
    full_refresh,
    in_fresh_process,
    mib,
    nightly_pass,
    nightly_pass_rebuilding_views,
    nightly_rebuild,
    print_figures,
    raw_row_counts,
    read_every_raw_column,
    seconds_list,
)
from demo_at_scale import DEMO_TEAMS, demo_at, fill_in_process

from models.build_state import build_if_changed
from models.runner import model_order
from pipelines.reference.writing import write_reference
from warehouse.connection import connect
from warehouse.session import DEFAULT_MEMORY_LIMIT

SCALES = tuple(int(n) for n in os.environ.get("CANDOR_BENCH_SCALES", "10,100").split(","))
"""Multiples of the 6-team demo org to measure the rebuild at."""


@pytest.fixture(scope="module")
def warehouse_at(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """The warehouse at a scale, filled and built once per module."""
    built: dict[int, Path] = {}

    def at(scale: int) -> Path:
        if scale not in built:
            built[scale] = _fill(scale, tmp_path_factory.mktemp(f"marts-{scale}x"))
        return built[scale]

    return at


def _fill(scale: int, folder: Path) -> Path:
    teams = scale * DEMO_TEAMS
    started = time.perf_counter()
    config, org = demo_at(teams)
    generated = time.perf_counter() - started
    path = folder / "warehouse.duckdb"
    con = connect(path)
    try:
        started = time.perf_counter()
        fill = fill_in_process(con, config, org)
        write_reference(con, config)
        filled = time.perf_counter() - started
        for model in model_order():  # every model built and recorded, as after a nightly run
            build_if_changed(con, model, force=True)
        rows = raw_row_counts(con)
        deployments = con.execute("select count(*) from marts.deployments").fetchone()[0]
    finally:
        con.close()
    assert deployments > 0, f"the {scale}x warehouse built marts.deployments without a row"
    print_figures(
        f"{scale}x warehouse: demo org at {teams} teams ({len(org.repos)} repositories)",
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
@pytest.mark.timeout(60 * 120)
def test_rebuilding_marts_next_to_one_full_read_of_raw(warehouse_at: Callable[[int], Path]):
    nightly_peaks: dict[int, int] = {}
    for scale in SCALES:
        path = warehouse_at(scale)
        runs: dict[str, list[Measurement]] = {"nightly": [], "full": [], "read": []}
        work = [("nightly", nightly_rebuild, False), ("full", full_refresh, False),
                ("read", read_every_raw_column, True)]
        for repetition in range(REPEATS):
            # rotate which goes first, so that none always follows another
            shift = repetition % len(work)
            for name, step, read_only in work[shift:] + work[:shift]:
                runs[name].append(in_fresh_process(step, path, read_only=read_only))
        seconds = {name: median(m.seconds for m in measured) for name, measured in runs.items()}
        nightly_peaks[scale] = max(m.peak_rss for m in runs["nightly"])
        print_figures(
            f"Marts at {scale}x the demo: nightly rebuild (a) and full refresh (f) next to one "
            f"full read of raw (b), median of {REPEATS}, each run in a fresh process under the "
            f"default memory_limit ({DEFAULT_MEMORY_LIMIT})",
            [
                *((label, f"{seconds[name]:.2f} s "
                           f"({seconds_list([m.seconds for m in runs[name]])})")
                  for label, name in (("(a) nightly rebuild, every input changed, wall",
                                       "nightly"),
                                      ("(f) full refresh of every model, wall", "full"),
                                      ("(b) one full read of raw, wall", "read"))),
                ("ratio (a)/(b)", f"{seconds['nightly'] / seconds['read']:.1f}"),
                ("ratio (f)/(b)", f"{seconds['full'] / seconds['read']:.1f}"),
                *_memory_figures("(a) nightly rebuild", runs["nightly"]),
                *_memory_figures("(f) full refresh", runs["full"]),
                *_memory_figures("(b) full read", runs["read"]),
            ],
        )
    if len(nightly_peaks) > 1:
        smallest, largest = min(nightly_peaks), max(nightly_peaks)
        print_figures(
            "Peak memory of the nightly rebuild as the warehouse grows",
            [(f"{largest}x / {smallest}x", f"{nightly_peaks[largest] / nightly_peaks[smallest]:.2f}"
                                           f" ({mib(nightly_peaks[largest])} against "
                                           f"{mib(nightly_peaks[smallest])})")],
        )


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 30)
def test_a_nightly_pass_after_new_activity_at_10x(warehouse_at: Callable[[int], Path],
                                                 tmp_path: Path):
    """A nightly pass over the 10x warehouse after new activity (NEW_ACTIVITY), each on its own
    copy: (c) as runs build models now, views kept on an unchanged definition, next to (d) the
    same pass re-creating and computing every view whose inputs changed, as before."""
    recorded = tmp_path / "recorded.duckdb"
    shutil.copy(warehouse_at(10), recorded)
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
