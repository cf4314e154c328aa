"""Statuses of finished deployments are read again while they are young (issue 11, item 7).

A deployment that reached a final status can still get statuses: `inactive` when the next one
of its environment succeeds. The simulated organization is ingested at T1 (ten days before its
end), then incrementally at its end; a full refresh at the end is the reference. The
simulator's `Date` header says its clock, which is the connector's "now" for the horizon.

Hand-derived facts from the organization's model (not from the connector): which deployments
were already final at T1 and got a status after it; how many deployments a no-change nightly
re-reads (finished and created within 30 days of the end, or not finished).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from github_sandbox_truth import repo_rules

from connectors.github.client import GitHubClientSettings
from connectors.github.settings import SOURCE
from pipelines.github.ingest import ingest_github
from simulator.generator import generate_org
from simulator.github_json import node_id
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.sync_state import read_cursors

FINAL = {"success", "failure", "error", "inactive"}
HORIZON_DAYS = 30


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


def ingest(server, warehouse: Path, org, *, full_refresh=False, days=HORIZON_DAYS):
    con = connect(warehouse)
    try:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url)
        cursors = {} if full_refresh else read_cursors(con, SOURCE)
        report = ingest_github(con, settings, repo_rules(org), cursors, full_refresh=full_refresh,
                               max_workers=2, status_repoll_days=days)
        assert report.failures == {}
        return report
    finally:
        con.close()


def raw_rows(warehouse: Path) -> dict[str, object]:
    """Every raw GitHub table's fingerprint; the statuses by what they say. A status is read
    over REST or, once, through GraphQL (a deployment older than the re-poll horizon when it is
    first read), so which deployments' statuses carry REST's numeric id and payload depends on
    when each was first read; their keys, states and times must not."""
    con = connect(warehouse)
    try:
        prints = warehouse_fingerprint(con, ("raw",))
        statuses = con.execute(
            "select repo, deployment_id, node_id, state, created_at "
            "from raw.github_deployment_statuses order by all").fetchall()
    finally:
        con.close()
    rows: dict[str, object] = {t: p for t, p in prints.items() if t.startswith("raw.github")}
    rows["raw.github_deployment_statuses"] = statuses
    return rows


def late_statuses(org, t1):
    """(repo, deployment, status) of statuses after T1 on deployments already final at T1."""
    return {
        (name, d.deployment_id, node_id("status", s.status_id))
        for name, repo in org.repos.items()
        for d in repo.deployments
        if any(s.state in FINAL and s.created_at <= t1 for s in d.statuses)
        for s in d.statuses
        if s.created_at > t1
    }


def test_incremental_after_later_statuses_equals_a_full_refresh(org, tmp_path):
    t1 = org.end - timedelta(days=10)
    late = late_statuses(org, t1)
    assert late, "the organization should add statuses to finished deployments after T1"
    with SandboxServer(org) as server:
        for name, days in (("repolled", HORIZON_DAYS), ("not_repolled", 0)):
            server.set_clock(t1)
            ingest(server, tmp_path / f"{name}.duckdb", org, days=days)
            server.set_clock(org.end)
            ingest(server, tmp_path / f"{name}.duckdb", org, days=days)
        ingest(server, tmp_path / "full.duckdb", org, full_refresh=True)

        # The no-change nightly: four first pages per repository, plus one status list per
        # deployment re-read (finished within the horizon, or not finished), each conditional
        # on its last ETag: all answered 304, free of rate-limit budget.
        server.stats.reset()
        nightly = ingest(server, tmp_path / "repolled.duckdb", org)
        answered = dict(server.stats.by_status)
    assert raw_rows(tmp_path / "repolled.duckdb") == raw_rows(tmp_path / "full.duckdb")
    # Without the re-poll the late statuses are missing: the comparison above can fail.
    con = connect(tmp_path / "not_repolled.duckdb")
    try:
        stored = set(con.execute(
            "select repo, deployment_id, node_id from raw.github_deployment_statuses"
        ).fetchall())
    finally:
        con.close()
    assert late - stored == late

    horizon = org.end - timedelta(days=HORIZON_DAYS)
    reread = sum(
        1
        for repo in org.repos.values()
        for d in repo.deployments
        if d.created_at >= horizon or not any(s.state in FINAL for s in d.statuses)
    )
    repos = len(org.repos)
    assert nightly.requests == 4 * repos + reread
    assert nightly.not_modified == 4 * repos + reread
    assert answered == {304: 4 * repos + reread}
    print(f"\nno-change nightly: {nightly.requests} requests, {reread} of them status re-reads, "
          f"{nightly.requests - nightly.not_modified} counted against the budget, "
          f"{repos} repositories")
