"""Measuring for the benchmarks: work timed in a fresh interpreter, its peak memory, and printing.

Kept free of Dagster and the simulator: the measured work runs in a freshly spawned process that
imports this module, and whatever it imports counts towards that process's memory.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from connectors.github.tables import GITHUB_TABLES
from models.build_state import (
    LastBuild,
    Ledger,
    build_if_changed,
    definition_fingerprint,
    inputs_fingerprint,
    record_build,
)
from models.runner import model_order, run_all, run_model
from warehouse.comments import schema_comments
from warehouse.connection import connect, connect_read_only
from warehouse.session import DEFAULT_MEMORY_LIMIT, limit_session

REPEATS = int(os.environ.get("CANDOR_BENCH_REPEATS", "3"))
"""Repetitions of each timed piece of work; figures are medians over them."""

MIB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    """One run of a piece of work in its own process."""

    seconds: float  # wall time of the work alone (not the process start, not opening the file)
    peak_rss: int  # bytes: the process's high-water resident size (VmHWM), work included
    rss_before: int  # bytes resident just before the work: interpreter, imports, open warehouse
    duckdb_peak: int  # bytes: largest `peak_buffer_memory` DuckDB's profiler gave a statement


class PeakTrackingConnection:
    """A DuckDB connection that keeps the largest buffer-memory peak of the statements it ran.

    DuckDB's profiler reports `system.peak_buffer_memory` per statement, complete once the
    statement has finished: after `execute` for DDL, after the fetch for a query. Work that runs
    many statements (run_all) peaks at the largest of them. Other attributes pass through.
    The figure is DuckDB's own accounting of its buffer blocks, not resident memory. Profiling
    costs time: measured once on the 10x rebuild, median 4.48 s against 4.31 s unprofiled
    (3 runs each); both benchmarked workloads carry it.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("set enable_profiling = 'no_output'")
        con.execute("set profiling_coverage = 'ALL'")  # DDL (create table as) too, not only SELECT
        self._con = con
        self.peak_buffer_memory = 0

    def execute(self, *args: Any, **kwargs: Any) -> PeakTrackingConnection:
        self._con.execute(*args, **kwargs)
        self._note_peak()
        return self

    def fetchone(self) -> Any:
        row = self._con.fetchone()
        self._note_peak()
        return row

    def fetchall(self) -> list[Any]:
        rows = self._con.fetchall()
        self._note_peak()
        return rows

    def _note_peak(self) -> None:
        profile = json.loads(self._con.get_profiling_information(format="json"))
        peak = profile.get("system", {}).get("peak_buffer_memory", 0)
        self.peak_buffer_memory = max(self.peak_buffer_memory, peak)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def full_refresh(con: PeakTrackingConnection) -> None:
    """Every SQL model built from scratch (staging views, intermediate and mart tables), each
    under a candidate name and swapped in, as a `--full-refresh` run builds them."""
    run_all(con)  # type: ignore[arg-type]  # duck-typed connection


def nightly_rebuild(con: PeakTrackingConnection) -> None:
    """A nightly pass in which every model's inputs have changed (as after a day of activity
    in every repository): each table's rows computed again, in place, and each view kept on
    its unchanged definition (models/build_state.py), fingerprints included. The recorded
    inputs are invalidated first, so the same warehouse serves every repetition."""
    con.execute("update meta.model_builds set inputs_fingerprint = 'every input changed'")
    nightly_pass(con)


# New activity for a nightly pass: an edited issue and pull request title and a review comment's
# time (one row each), so every model that reads them, directly or not, has new inputs.
NEW_ACTIVITY = (
    "update raw.github_issues set title = title || ' (edited)' where rowid = "
    "(select min(rowid) from raw.github_issues)",
    "update raw.github_pull_requests set title = title || ' (edited)' where rowid = "
    "(select min(rowid) from raw.github_pull_requests)",
    "update raw.github_review_comments set created_at = created_at + interval 1 second "
    "where rowid = (select min(rowid) from raw.github_review_comments)",
)


def nightly_pass(con: PeakTrackingConnection) -> None:
    """Every model as a nightly run builds it: kept where its inputs (or, for a view, its
    definition) are unchanged since its last build, a table's rows refreshed in place where
    only its inputs changed (models/build_state.py); one Ledger for the pass."""
    ledger = Ledger(con)  # type: ignore[arg-type]  # duck-typed connection
    for model in model_order():
        build_if_changed(con, model, ledger=ledger)  # type: ignore[arg-type]


def nightly_pass_rebuilding_views(con: PeakTrackingConnection) -> None:
    """The same pass under the rule before views were kept on their definition: a view, like a
    table, is rebuilt whenever its inputs fingerprint changed. The figure to compare with; the
    fingerprints are computed once per model, as build_if_changed does."""
    ledger = Ledger(con)  # type: ignore[arg-type]  # duck-typed connection
    for model in model_order():
        if model.materialization != "view":
            build_if_changed(con, model, ledger=ledger)  # type: ignore[arg-type]
            continue
        fingerprint = inputs_fingerprint(con, model, ledger)  # type: ignore[arg-type]
        last = ledger.last_build(model.name)
        if last is not None and last.inputs_fingerprint == fingerprint:
            continue
        rows = run_model(con, model)  # type: ignore[arg-type]
        definition = definition_fingerprint(con, model, ledger)  # type: ignore[arg-type]
        record_build(con, model.name, fingerprint, rows, definition)  # type: ignore[arg-type]
        ledger.note_build(model, LastBuild(fingerprint, rows, definition))


def read_every_raw_column(con: PeakTrackingConnection) -> None:
    """One full read of every raw table: per table one query hashing every column.

    An aggregate over each column forces DuckDB to read and decompress all of it; `count(*)`
    alone, or a query that never uses a column, would let it skip data.
    """
    for table, relation in schema_comments(con, ["raw"]).items():  # type: ignore[arg-type]
        if relation.kind != "table":
            continue
        # Identifiers come from the catalog and are quoted; there are no values to bind.
        hashes = ", ".join(f"bit_xor(hash({_quote(column)}))" for column in relation.columns)
        schema, _, name = table.partition(".")
        con.execute(f"select count(*), {hashes} from {_quote(schema)}.{_quote(name)}").fetchall()


def in_fresh_process(work: Callable[[PeakTrackingConnection], None], warehouse: Path,
                     *, read_only: bool) -> Measurement:
    """Run `work` on the warehouse in a newly spawned interpreter, so that the peak memory
    measured is that of this work alone (plus the interpreter and imports: see rss_before)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_measure, work, str(warehouse), read_only).result()


def _measure(work: Callable[[PeakTrackingConnection], None], warehouse: str,
             read_only: bool) -> Measurement:
    con = connect_read_only(warehouse) if read_only else connect(warehouse)
    try:
        # what a run's session is bounded by unless candor.yaml says otherwise
        # (warehouse.memory_limit), so the peaks measured are the product's
        limit_session(con, DEFAULT_MEMORY_LIMIT, None)
        tracked = PeakTrackingConnection(con)
        rss_before = _memory_status("VmRSS")
        started = time.perf_counter()
        work(tracked)
        seconds = time.perf_counter() - started
    finally:
        con.close()
    return Measurement(seconds, _memory_status("VmHWM"), rss_before, tracked.peak_buffer_memory)


def _memory_status(field: str) -> int:
    """A size from /proc/self/status in bytes: VmRSS (resident now) or VmHWM (peak resident).

    Not getrusage's ru_maxrss: Linux carries it over exec, so a spawned child would report the
    parent's size at the fork if that was larger.
    """
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == field:
                return int(value.split()[0]) * 1024  # "123456 kB"
    raise RuntimeError(f"/proc/self/status has no {field}: these benchmarks need Linux.")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def print_figures(title: str, figures: Sequence[tuple[str, str]]) -> None:
    """Print a titled block of `name: value` lines, names aligned."""
    width = max(len(name) for name, _ in figures)
    print(f"\n== {title}")
    for name, value in figures:
        print(f"   {name.ljust(width)}  {value}")


def seconds_list(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def mib(size: float) -> str:
    return f"{size / MIB:,.1f} MiB"


def raw_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each raw GitHub table (the records ingestion stored)."""
    # Table names come from GITHUB_TABLES, never from input.
    return {
        table.name: con.execute(f"select count(*) from {table.name}").fetchone()[0]
        for table in GITHUB_TABLES
    }
