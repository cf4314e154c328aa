"""A nightly run with nothing new upstream, next to its floor: reading the answers plus a no-op
model pass.

The demo organization (config/demo.yaml: seed 7, CANDOR_BENCH_NIGHTLY_TEAMS teams, default the
demo's 30, 12 months; the simulated APIs' rate limit lifted) is backfilled once by the nightly
job and run once more (its cost printed apart). Then, alternately and CANDOR_BENCH_REPEATS
times, in this process:

- the nightly job again (Dagster, in process, as `candor run` runs it): its wall time, its
  phases from Dagster's step statistics, and what each source's ingest asked for and was
  answered (the `requests` and `not_modified_304` metadata of its materializations);
- the floor: the same sources' `ingest` on a plain connection (the same requests, the same
  answers, the simulated servers started as the run starts them), then one pass over every
  model as a nightly run builds them (`nightly_pass`: each kept, inputs unchanged), without
  Dagster.

The goal (issue 13): the nightly's wall time within 2x of the floor, every GitHub request a
304 or a GraphQL query costing no points.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import dagster as dg
import pytest
from bench_support import REPEATS, nightly_pass, print_figures, seconds_list
from demo_phases_run import RecordingServer, phase_of, server_home, write_config

from pipelines.config.effective import effective_config
from pipelines.definitions import NIGHTLY_JOB, build_definitions
from pipelines.shared.ingest_source import IngestRun
from pipelines.sources import configured_sources
from warehouse.connection import connect

TEAMS = int(os.environ.get("CANDOR_BENCH_NIGHTLY_TEAMS", "30"))
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class GitHubCost:
    """What the simulated GitHub counted for one run: requests, 304s, GraphQL queries and the
    GraphQL points they cost."""

    requests: int
    not_modified: int
    graphql_queries: int
    graphql_points: int

    @property
    def rest_cost(self) -> int:
        """REST requests paid from the REST budget: all but the 304s and the GraphQL queries."""
        return self.requests - self.not_modified - self.graphql_queries


def github_cost_of_last_run() -> GitHubCost:
    """The counts of the GitHub server the last run started (each run starts its own)."""
    server = RecordingServer.started[-1]
    counts = server.stats.snapshot()
    return GitHubCost(counts["total"], counts["not_modified"],
                      counts["by_route"].get("graphql", 0), server.graphql_limiter.used)


@dataclass
class Nightly:
    seconds: float
    phases: dict[str, float]
    github: GitHubCost
    # source -> (requests, answered 304), from its ingest's materialization metadata
    answers: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Floor:
    reading_seconds: float
    pass_seconds: float
    answers: dict[str, tuple[int, int]]
    rows_written: dict[str, int]
    github: GitHubCost

    @property
    def seconds(self) -> float:
        return self.reading_seconds + self.pass_seconds


def run_nightly(job: dg.JobDefinition) -> Nightly:
    with dg.DagsterInstance.ephemeral() as instance:
        started = time.perf_counter()
        result = job.execute_in_process(run_config=QUIET, instance=instance,
                                        raise_on_error=False)
        seconds = time.perf_counter() - started
        assert result.success, "the nightly run failed"
        phases: dict[str, float] = {}
        for stats in instance.get_run_step_stats(result.run_id):
            phase = phase_of(stats.step_key)
            phases[phase] = phases.get(phase, 0.0) + (stats.end_time or 0) - (stats.start_time
                                                                               or 0)
    nightly = Nightly(seconds, phases, github_cost_of_last_run())
    for event in result.get_asset_materialization_events():
        step, metadata = event.step_key, event.materialization.metadata
        if step and step.endswith("_ingest") and "requests" in metadata:
            # every raw table of one ingest carries the same counts: one per source
            nightly.answers[step.removesuffix("_ingest")] = (
                metadata["requests"].value, metadata["not_modified_304"].value)
    return nightly


def run_floor(config_path: Path) -> Floor:
    config = effective_config(str(config_path))
    con = connect(config.warehouse.path)
    try:
        started = time.perf_counter()
        answers: dict[str, tuple[int, int]] = {}
        written: dict[str, int] = {}
        for source in configured_sources(config):
            report = source.ingest(IngestRun(con=con, config=config, resource=source.resource(),
                                             full_refresh=False, deadline=time.time() + 3600,
                                             log=lambda line: None))
            assert not report.failures, report.failures
            answers[source.name] = (report.requests, report.not_modified)
            for table, rows in report.rows.items():
                written[table] = written.get(table, 0) + rows
        read = time.perf_counter()
        nightly_pass(con)  # type: ignore[arg-type]  # a Candor connection is what it needs
        passed = time.perf_counter()
    finally:
        con.close()
    return Floor(read - started, passed - read, answers, written, github_cost_of_last_run())


@pytest.mark.benchmark
@pytest.mark.timeout(60 * 60)
def test_a_nightly_with_nothing_new_next_to_reading_the_answers_and_a_no_op_pass(
    tmp_path, monkeypatch
):
    # the GitHub server each run starts, kept so its counts can be read after the run
    monkeypatch.setattr(server_home, "SandboxServer", RecordingServer)
    config_path = write_config(TEAMS, tmp_path)
    job = build_definitions(str(config_path)).resolve_job_def(NIGHTLY_JOB)
    backfill_started = time.perf_counter()
    run_nightly(job)
    backfill = time.perf_counter() - backfill_started
    # The first run after the backfill, printed apart: it is the first to send back the ETags
    # the backfill stored, and so shows whether a backfill leaves the next run anything to pay.
    settling = run_nightly(job)
    nightlies: list[Nightly] = []
    floors: list[Floor] = []
    for _ in range(REPEATS):
        nightlies.append(run_nightly(job))
        floors.append(run_floor(config_path))

    # Nothing changed upstream: the run asked what the floor asked, and GitHub was paid nothing.
    assert nightlies[0].answers == floors[0].answers
    for cost in [settling.github] + [n.github for n in nightlies] + [f.github for f in floors]:
        assert cost.rest_cost == 0 and cost.graphql_points == 0, cost

    nightly_s = median(n.seconds for n in nightlies)
    floor_s = median(f.seconds for f in floors)
    phases = {name: median(n.phases.get(name, 0.0) for n in nightlies)
              for name in ("serve_sync", "models", "culture", "publish", "other")}
    github = floors[0].github
    answers = ", ".join(f"{name} {requests:,} requests, {answered:,} answered 304"
                        for name, (requests, answered) in sorted(floors[0].answers.items()))
    print_figures(
        f"No-change nightly: demo org, {TEAMS} teams (seed 7, 12 months), median of {REPEATS}, "
        "alternating in one process",
        [
            ("backfill run (first nightly)", f"{backfill:.1f} s"),
            ("the run after it", f"{settling.seconds:.2f} s, {settling.github.requests} GitHub "
                                 f"requests, {settling.github.rest_cost} paid REST, "
                                 f"{settling.github.graphql_points} GraphQL points"),
            ("no-change nightly, wall", f"{nightly_s:.2f} s "
                                        f"({seconds_list([n.seconds for n in nightlies])})"),
            ("  by phase (Dagster step times)",
             ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())),
            ("floor: reading the answers", f"{median(f.reading_seconds for f in floors):.2f} s"),
            ("floor: no-op model pass", f"{median(f.pass_seconds for f in floors):.2f} s"),
            ("floor, total", f"{floor_s:.2f} s ({seconds_list([f.seconds for f in floors])})"),
            ("ratio nightly / floor (goal <= 2)", f"{nightly_s / floor_s:.2f}"),
            ("answers of the no-change run", answers),
            ("  GitHub", f"{github.requests:,} requests: {github.not_modified:,} answered 304, "
                         f"{github.graphql_queries:,} GraphQL queries costing "
                         f"{github.graphql_points} points, {github.rest_cost} paid REST"),
            ("rows the floor's reading wrote", ", ".join(
                f"{table} {rows:,}" for table, rows in sorted(floors[0].rows_written.items())
                if rows) or "none"),
        ],
    )
