"""Where `make demo`'s time goes, phase by phase, for the demo org at 6 and 30 teams.

Each measurement is one whole demo run (config/demo.yaml, seed 7, 12 months, the given number
of teams) in a fresh interpreter (demo_phases_run.py): imports, generating the organization,
serving it and syncing it over HTTP (requests, requests/s, and the requests per simulated
endpoint), building the models, importing and scoring the surveys, publishing, and the rest
(Dagster start-up and bookkeeping). Figures are medians of CANDOR_BENCH_REPEATS runs (default
3): the machine is shared and noisy. The wall time is the child process's, as a user waits.

Set CANDOR_BENCH_BASELINE to another checkout of Candor (e.g. `git archive main | tar -x -C
/tmp/base`) to measure it side by side: each repetition runs the baseline and then the working
tree, so both see the same load; the table shows both and their ratio. CANDOR_BENCH_DEMO_TEAMS
(default "6,30") chooses the sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import pytest
from bench_support import REPEATS, print_figures

HERE = Path(__file__).resolve().parent
TREE = HERE.parents[1]
RUNNER = HERE / "demo_phases_run.py"
SIZES = tuple(int(n) for n in os.environ.get("CANDOR_BENCH_DEMO_TEAMS", "6,30").split(","))
BASELINE = os.environ.get("CANDOR_BENCH_BASELINE")
PHASES = ("imports_s", "generate_s", "serve_sync_s", "models_s", "culture_s", "publish_s",
          "other_s")


def run_demo(tree: Path, teams: int, directory: Path) -> dict:
    """One demo run of the code in `tree` in a fresh interpreter; its figures and wall time."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("CANDOR_WAREHOUSE", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(RUNNER), str(teams), str(directory)], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    assert done.returncode == 0, f"{tree}: {done.stderr[-3000:]}"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["success"], f"{tree}: the demo run failed at {teams} teams"
    figures["wall_s"] = wall
    return figures


def summary(runs: list[dict]) -> dict:
    """Medians of the timed figures; counts (deterministic) from the first run."""
    first = runs[0]
    assert {r["requests"] for r in runs} == {first["requests"]}, "the sync is deterministic"
    timed = {name: median(r[name] for r in runs) for name in (*PHASES, "wall_s")}
    return {**first, **timed, "requests_per_s": first["requests"] / timed["serve_sync_s"]}


def rows(label: str, now: dict, base: dict | None) -> list[tuple[str, str]]:
    def cell(name: str, unit: str = "s", digits: int = 1, more_is_better: bool = False) -> str:
        text = f"{now[name]:,.{digits}f}{unit}"
        if base is None:
            return text
        # The ratio reads as an improvement factor: above 1 the working tree is better.
        better, worse = (now[name], base[name]) if more_is_better else (base[name], now[name])
        ratio = f", {better / worse:.2f}x" if worse else ""
        return f"{text}  (baseline {base[name]:,.{digits}f}{unit}{ratio})"

    lines = [(f"{label}: {name.removesuffix('_s')}", cell(name)) for name in PHASES]
    lines += [
        (f"{label}: total (wall)", cell("wall_s")),
        (f"{label}: requests", cell("requests", "", 0)),
        (f"{label}: requests/s in serve+sync", cell("requests_per_s", "", 0, True)),
        (f"{label}: requests by endpoint", _by_route(now["by_route"])),
        (f"{label}: TCP connections", str(now["connections"])),
        (f"{label}: slowest steps", ", ".join(f"{k} {v:.1f}s" for k, v in now["slowest_steps"])),
    ]
    if base is not None:
        lines.append((f"{label}: baseline requests by endpoint", _by_route(base["by_route"])))
    return lines


def _by_route(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return ", ".join(f"{route} {n:,} ({n / total:.0%})"
                     for route, n in sorted(counts.items(), key=lambda item: -item[1]))


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 180)
def test_demo_phases_at_6_and_30_teams(tmp_path):
    for teams in SIZES:
        now: list[dict] = []
        base: list[dict] = []
        for repetition in range(REPEATS):
            where = tmp_path / f"{teams}-{repetition}"
            if BASELINE:
                base.append(run_demo(Path(BASELINE), teams, where / "baseline"))
            now.append(run_demo(TREE, teams, where / "now"))
        current = summary(now)
        baseline = summary(base) if base else None
        assert current["requests"] > 0 and current["repos"] > 0
        print_figures(
            f"Demo phases: {teams} teams, {current['repos']} repositories (seed 7, 12 months), "
            f"median of {REPEATS}" + (f"; baseline {BASELINE}" if BASELINE else ""),
            rows(f"{teams} teams", current, baseline),
        )
