"""Readers never fail a run, and runs on one warehouse take turns (issue 11, item 2).

Every run here is `candor run` in its own process, as a nightly job and a person at a terminal
would start it, on a one-team simulated organization (one repository, 45 steps):

1. two runs started together on a new warehouse: both end successfully, one after the other
   (the second says it waits for the first's PID, and the first never says it waits);
2. a `--full-refresh` run while two readers loop in their own processes, each opening,
   querying and closing every ~0.2 s: one reads the live file (`candor sql --live`'s
   connection), one the published copy (`candor sql`'s): the run succeeds, the published
   reader never fails, and the live reader reads whenever no step writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = {"seed": 5, "teams": 1, "months": 1}
RUN_TIMEOUT_S = 300

# A reader loop: open, query, keep the connection ~0.05 s (a short query), close, sleep 0.2 s,
# until the stop file appears; then print how many reads succeeded and how many found the file
# locked by a writing step. Any other error ends it non-zero. `live` opens the live file as
# `candor sql --live` does; otherwise the published copy, as `candor sql` does.
READER = """
import sys, time
from pathlib import Path
from warehouse.errors import WarehouseLockedError
from warehouse.reading import open_for_reading

warehouse, stop, live = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "live"
reads = locked = 0
print("ready", flush=True)
while not stop.exists():
    try:
        reading = open_for_reading(warehouse, live=live)
    except WarehouseLockedError:
        locked += 1
    else:
        try:
            reading.con.execute("select count(*) from meta.sync_state").fetchone()
            time.sleep(0.05)
        finally:
            reading.close()
        reads += 1
    time.sleep(0.2)
print(reads, locked)
"""


@dataclass
class Finished:
    pid: int
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def environment() -> dict[str, str]:
    # The test's own warehouse and an ephemeral Dagster instance, not the caller's.
    env = {k: v for k, v in os.environ.items()
           if k not in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME")}
    return env


def start_run(config: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli.main", "run", "--config", str(config), *options],
        cwd=ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process: subprocess.Popen, started: float) -> Finished:
    stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    return Finished(process.pid, process.returncode, stdout, stderr, time.monotonic() - started)


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("liveness")
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump({
        "warehouse": {"path": "warehouse.duckdb"},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
    }), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_runs(config) -> list[Finished]:
    """Two `candor run`s started at the same moment on a warehouse that does not exist yet."""
    started = time.monotonic()
    processes = [start_run(config), start_run(config)]
    # Each waited for in its own thread, so each one's time is when it ended.
    with ThreadPoolExecutor(max_workers=2) as waiting:
        return list(waiting.map(lambda process: finish(process, started), processes))


def test_two_runs_started_together_both_succeed_one_after_the_other(two_runs, config):
    for run in two_runs:
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"Warehouse: {config.parent / 'warehouse.duckdb'}" in run.stdout
    waited = [run for run in two_runs if "Waiting for run PID" in run.stderr]
    assert len(waited) == 1, [run.stderr for run in two_runs]
    second = waited[0]
    first = next(run for run in two_runs if run is not second)
    assert (
        f"Waiting for run PID {first.pid} to finish with {config.parent / 'warehouse.duckdb'} "
        "(runs take turns); waiting up to 10800 s (warehouse.run_wait_s)..."
    ) in second.stderr.splitlines()
    assert f"Run PID {first.pid} finished after " in second.stderr
    # One after the other: the second ended after the first, later by at least a few seconds of
    # its own work (a run of this organization takes well over 5 s), and neither had a step
    # wait for the file (the other run never held it meanwhile).
    assert second.seconds > first.seconds + 5
    for run in two_runs:
        assert "Waiting for the warehouse" not in run.stdout + run.stderr


def test_a_run_succeeds_while_readers_loop_on_the_live_file_and_the_published_copy(
    two_runs, config, tmp_path
):
    warehouse = config.parent / "warehouse.duckdb"
    assert (config.parent / "warehouse.readonly.duckdb").is_file()  # published by two_runs
    stop = tmp_path / "stop"
    readers = {
        kind: subprocess.Popen(
            [sys.executable, "-c", READER, str(warehouse), str(stop), kind],
            cwd=ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        for kind in ("live", "published")
    }
    try:
        for reader in readers.values():
            assert reader.stdout.readline().strip() == "ready"
        run = finish(start_run(config, "--full-refresh"), time.monotonic())
    finally:
        stop.touch()
        outcomes = {kind: reader.communicate(timeout=60) for kind, reader in readers.items()}
    assert run.returncode == 0, run.stdout + run.stderr
    counts = {}
    for kind, (stdout, stderr) in outcomes.items():
        assert readers[kind].returncode == 0, f"{kind} reader: {stderr}"
        reads, locked = map(int, stdout.split())
        counts[kind] = (reads, locked)
    # The published copy is never locked: every attempt reads (about 4 a second for the run).
    published_reads, published_locked = counts["published"]
    assert published_locked == 0
    assert published_reads >= 10
    # The live reader got in between steps (and before the run's first write), and was locked
    # out while steps wrote; whenever it held the file, the step that came next waited for it.
    live_reads, _ = counts["live"]
    assert live_reads >= 1
    waits = (run.stdout + run.stderr).count("Waiting for the warehouse")
    print(f"live reader {counts['live']}, published reader {counts['published']}, "
          f"steps that waited {waits}, run {run.seconds:.0f} s")
