"""A run deadline shorter than the run (issue 11, item 3), end to end through `run_pipeline`.

The simulated organization answers every request 400 ms late, so a full sync of its six
repositories takes about 40 s with two workers (pull request details are GraphQL queries of 25
PRs, so most of its requests are deployment statuses); `schedule.max_run_minutes: 0.25` stops the
sync 15 s after the run started. Then, with the latency gone and no deadline, a second run on
the same warehouse finishes the job. A clean run of the same server is the reference: the
final warehouse's raw tables and cursors must equal it.

What the test knows without asking the code under test: which repositories the deadline run
left unfinished is read from meta.sync_status (a row with this attempt's error), and each of
them must appear in the run's failure lines and in marts.source_freshness.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.cli.execution import failure_messages, run_pipeline
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.server import SandboxServer
from warehouse.connection import connect_read_only
from warehouse.fingerprint import warehouse_fingerprint

SANDBOX = SandboxConfig(seed=4, teams=2, months=2)  # 6 repositories
TOKEN_ENV = "CANDOR_TEST_DEADLINE_GITHUB_TOKEN"
LATENCY_MS = 400
DEADLINE_MINUTES = 0.25


def write_config(directory: Path, base_url: str, minutes: float | None) -> str:
    directory.mkdir(exist_ok=True)
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX.model_dump(),
        "sources": {"github": {"base_url": base_url, "org": SANDBOX.org,
                               "token_env": TOKEN_ENV, "max_workers": 2}},
        "surveys": {"drop_folder": str(directory / "surveys")},
        **({"schedule": {"max_run_minutes": minutes}} if minutes else {}),
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return str(path)


def query(directory: Path, sql: str) -> list[tuple]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def data(directory: Path) -> dict[str, str]:
    """Fingerprints of the raw GitHub tables and the cursors (one server: payloads compare)."""
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        prints = warehouse_fingerprint(con, ("raw", "meta"))
    finally:
        con.close()
    return {t: p for t, p in prints.items() if t.startswith("raw.github") or t == "meta.sync_state"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    org = sandbox_org(SANDBOX)
    root = tmp_path_factory.mktemp("deadline")
    with pytest.MonkeyPatch.context() as env, SandboxServer(org, rate_limit=50_000) as server:
        for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
            env.delenv(name, raising=False)
        env.setenv(TOKEN_ENV, server.token)
        reference = run_pipeline(write_config(root / "reference", server.base_url, None),
                                 quiet=True)
        assert reference.success, failure_messages(reference)

        server.latency_ms = LATENCY_MS
        stopped = run_pipeline(
            write_config(root / "resumed", server.base_url, DEADLINE_MINUTES), quiet=True
        )
        stopped_status = query(
            root / "resumed",
            "select scope, resource, last_error from meta.sync_status where last_error is not null",
        )
        stopped_rows = query(root / "resumed", "select count(*) from raw.github_deployment_statuses"
                             )[0][0] + query(root / "resumed",
                                             "select count(*) from raw.github_pull_requests")[0][0]
        freshness = query(root / "resumed",
                          "select repo, last_error from marts.source_freshness "
                          "where last_error is not null")
        server.latency_ms = 0
        finished = run_pipeline(write_config(root / "resumed", server.base_url, None), quiet=True)
    return {
        "root": root, "org": org, "stopped": stopped, "finished": finished,
        "stopped_status": stopped_status, "stopped_rows": stopped_rows, "freshness": freshness,
    }


def test_the_deadline_run_commits_progress_and_lists_the_repositories_not_refreshed(runs):
    assert not runs["stopped"].success
    unfinished = sorted({scope for scope, _, _ in runs["stopped_status"]})
    assert unfinished, "the deadline should have stopped at least one repository"
    # Committed progress: rows of the repositories it reached before the deadline.
    assert runs["stopped_rows"] > 0
    assert all("max_run_minutes = 0.25" in error for _, _, error in runs["stopped_status"])
    lines = failure_messages(runs["stopped"])
    for repo in unfinished:
        assert any(repo in line and "not refreshed this run" in line for line in lines), repo
    # The freshness mart, built after the sync, says why each of them was not refreshed.
    assert sorted(repo for repo, _ in runs["freshness"]) == unfinished
    assert all("not refreshed this run" in error for _, error in runs["freshness"])


def test_the_next_run_finishes_the_job_and_equals_a_clean_run(runs):
    assert runs["finished"].success, failure_messages(runs["finished"])
    assert data(runs["root"] / "resumed") == data(runs["root"] / "reference")
