"""CPU seconds of the `candor` commands that must answer at once (issue 12: under 2 s each).

Each command runs in a child process; its CPU time (user + system, from the child's rusage) is
the median of CANDOR_BENCH_REPEATS runs (default 3). On the demo configuration: `--help`, a
config error, `candor sql "select 1"` (on a tiny published warehouse: the demo's own is not
needed for the start-up cost) and `candor survey check` of a demo-shaped export.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPEATS = int(os.environ.get("CANDOR_BENCH_REPEATS", "3"))
CANDOR = [sys.executable, "-m", "pipelines.cli.main"]


def cpu_seconds(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """CPU seconds of one child process and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done.returncode


@pytest.mark.benchmark
def test_cli_startup_cpu_seconds(tmp_path):
    from pipelines.config.schema import SandboxConfig
    from pipelines.shared.sandbox import sandbox_outline
    from simulator.surveys import quarterly_waves, write_survey_exports
    from warehouse.connection import connect
    from warehouse.publish import publish_read_only_copy, snapshot_path

    demo = str(ROOT / "config" / "demo.yaml")
    outline = sandbox_outline(SandboxConfig())  # config/demo.yaml's sandbox: the defaults
    exports = write_survey_exports(
        list(outline.teams), tmp_path, 7, waves=quarterly_waves(outline.start, outline.end)[-1:]
    )
    export = next(e.path for e in exports if e.kind == "labels_csv")
    warehouse = tmp_path / "w.duckdb"
    con = connect(warehouse)
    publish_read_only_copy(con, snapshot_path(warehouse))
    con.close()
    bad = tmp_path / "bad.yaml"
    bad.write_text("teams:\n  - name: a\n    reops: {}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("CANDOR_CONFIG", "DAGSTER_HOME")}
    commands = {
        "candor --help": ([*CANDOR, "--help"], 0),
        "config error": ([*CANDOR, "run", "--config", str(bad)], 2),
        'candor sql "select 1"': ([*CANDOR, "sql", "select 1", "--config", demo], 0),
        "candor survey check": ([*CANDOR, "survey", "check", str(export), "--config", demo], 0),
    }
    print(f"\nCPU seconds, median of {REPEATS} runs (child rusage):")
    for name, (args, expected) in commands.items():
        run_env = {**env, "CANDOR_WAREHOUSE": str(warehouse)} if "sql" in name else env
        runs = []
        for _ in range(REPEATS):
            seconds, code = cpu_seconds(args, run_env)
            assert code == expected, (name, code)
            runs.append(seconds)
        print(f"  {name:<24} {statistics.median(runs):5.2f} s  (runs: "
              f"{', '.join(f'{s:.2f}' for s in runs)})")
