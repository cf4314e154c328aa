"""One `candor demo`-style run in this process, timed phase by phase; prints one JSON object.

    python tests/benchmarks/demo_phases_run.py TEAMS DIRECTORY

Run by test_demo_phases.py in a fresh interpreter per measurement, so the figures include what
`make demo` pays in its own process: imports, generating the organization (cached per process),
Dagster's start-up. The packages imported are those first on `sys.path`: with PYTHONPATH set to
another checkout (CANDOR_BENCH_BASELINE), the same run measures that checkout's code, so a
baseline and the working tree are measured side by side on the same machine. For that reason
this file uses only interfaces older checkouts have too.

The configuration is the checkout's own config/demo.yaml with `sandbox.teams` set, the files in
DIRECTORY, and the simulated API's rate limit lifted: the benchmark measures work, not waiting.
Phases come from Dagster's step statistics: serve+sync is the `github_ingest` step (the sandbox
server starts and stops inside it), models the SQL model steps, culture the survey import and
scoring, publish the read-only snapshot; `other` is the rest of the wall time (Dagster start-up
and bookkeeping, the other steps).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402  (the clock starts before the imports, as `make demo`'s does)
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import ClassVar  # noqa: E402

import dagster as dg  # noqa: E402
import yaml  # noqa: E402

import pipelines  # noqa: E402
import pipelines.github.resources as github_resources  # noqa: E402
import pipelines.shared.sandbox as shared_sandbox  # noqa: E402
from pipelines.definitions import NIGHTLY_JOB, build_definitions  # noqa: E402
from pipelines.shared.sandbox import sandbox_org  # noqa: E402

try:  # where it lives now; a baseline checkout from before has it in the resources module
    from pipelines.config.effective import effective_config
except ImportError:
    from pipelines.shared.resources import effective_config

# the module that makes the run's GitHub sandbox server; a baseline checkout from before
# pipelines/shared/sandbox.py served the org made it in the GitHub resources
server_home = shared_sandbox if hasattr(shared_sandbox, "SandboxServer") else github_resources

UNLIMITED = 10**12

PHASES = {
    "github_ingest": "serve_sync",
    "survey_import": "culture",
    "culture_scores": "culture",
    "published__warehouse_snapshot": "publish",
}


def phase_of(step_key: str) -> str:
    if step_key in PHASES:
        return PHASES[step_key]
    if step_key.startswith(("staging__", "marts__", "intermediate__")):
        return "models"
    return "other"


def write_config(teams: int, directory: Path) -> Path:
    demo = Path(pipelines.__file__).resolve().parents[1] / "config" / "demo.yaml"
    data = yaml.safe_load(demo.read_text(encoding="utf-8"))
    data["sandbox"]["teams"] = teams
    data["sandbox"]["rate_limit"] = UNLIMITED
    data["warehouse"]["path"] = str(directory / "warehouse.duckdb")
    data["surveys"]["drop_folder"] = str(directory / "surveys")
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


class RecordingServer(server_home.SandboxServer):  # type: ignore[misc, valid-type]
    """The sandbox server the run starts, kept so its request counts can be read after."""

    started: ClassVar[list[RecordingServer]] = []

    def start(self):  # type: ignore[no-untyped-def]
        RecordingServer.started.append(self)
        return super().start()


def main(teams: int, directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    config_path = write_config(teams, directory)
    imported = time.perf_counter()
    config = effective_config(str(config_path))
    org = sandbox_org(config.sandbox)  # the run's resource reuses this per-process cache
    generated = time.perf_counter()
    server_home.SandboxServer = RecordingServer  # type: ignore[misc]
    job = build_definitions(str(config_path)).resolve_job_def(NIGHTLY_JOB)
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    phases = {"serve_sync": 0.0, "models": 0.0, "culture": 0.0, "publish": 0.0}
    steps: dict[str, float] = {}
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(run_config=run_config, instance=instance,
                                        raise_on_error=False)
        finished = time.perf_counter()
        for stats in instance.get_run_step_stats(result.run_id):
            seconds = (stats.end_time or 0) - (stats.start_time or 0)
            steps[stats.step_key] = seconds
            phase = phase_of(stats.step_key)
            if phase != "other":
                phases[phase] += seconds
    (server,) = RecordingServer.started
    counts = server.stats.snapshot()
    total = finished - STARTED
    return {
        "success": result.success,
        "teams": teams,
        "repos": len(org.repos),
        "imports_s": imported - STARTED,
        "generate_s": generated - imported,
        **{f"{name}_s": seconds for name, seconds in phases.items()},
        "other_s": total - (generated - STARTED) - sum(phases.values()),
        "total_s": total,
        "requests": counts["total"],
        "not_modified": counts["not_modified"],
        "by_route": counts["by_route"],
        "connections": getattr(server, "connections_opened", None),
        "slowest_steps": sorted(steps.items(), key=lambda item: -item[1])[:5],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), Path(sys.argv[2]))))
