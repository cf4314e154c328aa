"""A backfill longer than one rate-limit window completes over successive runs (issue 11, item 1).

One repository of the simulated organization is ingested into a warehouse through
`ingest_github`, as the Dagster asset does. Its one-shot sync (no rate limit) needs N requests;
the simulator then grants B = ceil(N / 2.5) per window, so the repository needs three windows
(2B < N <= 3B, checked below from the measured N, not assumed). Between runs the test starts
the next window (`RateLimiter.start_next_window`) instead of waiting an hour.

Expected values come from the one-shot warehouse and from arithmetic on N and B, never from
the resumed runs themselves.

The pull-request and deployment tests serve REST only (`graphql=False`, a server without the
GraphQL endpoint), so PR details cost two REST requests each, every deployment's statuses one,
and the passes themselves span the windows; the GraphQL path's own budget of points is tested
in test_github_pull_details_graphql.py.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from github_sandbox_truth import repo_rules

from connectors.github.client import GitHubClientSettings
from connectors.github.settings import SOURCE
from pipelines.github.ingest import ingest_github
from simulator.generator import generate_org
from simulator.server import SandboxServer
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint
from warehouse.sync_state import read_cursors

REPO = "acme/payments-service"  # 72 PRs, 35 deployments in seed 5, 2 teams, 2 months
PER_PAGE = 20  # 4 pages of PRs: the first round details one page, the second the rest
# Re-polling finished deployments adds a fixed cost to every run, the same in the one-shot
# and the resumed runs (tests/connectors/test_github_status_repoll.py covers it): off here, so
# the window arithmetic is the backfill's alone.
NO_REPOLL = 0


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=5, teams=2, months=2)


def rules(org):
    return [rule for rule in repo_rules(org) if rule[0] == REPO]


def ingest(server: SandboxServer, warehouse: Path, org, full_refresh=False, lines=None):
    con = connect(warehouse)
    try:
        settings = GitHubClientSettings(
            token=server.token, base_url=server.base_url, per_page=PER_PAGE, backoff_factor=0.01
        )
        before = server.stats.total
        report = ingest_github(
            con, settings, rules(org), {} if full_refresh else read_cursors(con, SOURCE),
            max_workers=1, status_repoll_days=NO_REPOLL, full_refresh=full_refresh,
            progress=lines.append if lines is not None else (lambda line: None),
        )
        pulls = con.execute("select count(*) from raw.github_pull_requests").fetchone()[0]
        cursor = read_cursors(con, SOURCE).get((REPO, "pull_requests"))
        return report, server.stats.total - before, pulls, cursor
    finally:
        con.close()


def raw_and_cursors(warehouse: Path) -> dict[str, str]:
    con = connect(warehouse)
    try:
        # Every raw table (payloads included: one server, one port) and the cursors and sync
        # health, minus the columns that say when a row was written (fingerprint.VOLATILE_COLUMNS)
        # and the failure count, which only the interrupted runs raised.
        prints = warehouse_fingerprint(
            con, ("raw", "meta"), ignore=("meta.sync_status.consecutive_failures",)
        )
        return {t: p for t, p in prints.items() if t.startswith("raw.github") or t in (
            "meta.sync_state", "meta.sync_status")}
    finally:
        con.close()


def test_a_backfill_needing_three_windows_completes_over_three_runs(org, tmp_path):
    with SandboxServer(org, rate_limit=1_000_000, graphql=False) as server:
        one_shot, needed, one_shot_pulls, _ = ingest(server, tmp_path / "one_shot.duckdb", org)
        assert one_shot.failures == {}
        assert one_shot_pulls == len(org.repos[REPO].pulls) == 72

        budget = math.ceil(needed / 2.5)
        assert 2 * budget < needed <= 3 * budget  # three windows' worth
        server.limiter.limit = budget
        server.limiter.start_next_window()

        runs, graphql_answers = [], []
        resumed = tmp_path / "resumed.duckdb"
        for _ in range(3):
            before = server.stats.snapshot()["by_route"].get("graphql", 0)
            runs.append(ingest(server, resumed, org))
            graphql_answers.append(server.stats.snapshot()["by_route"].get("graphql", 0) - before)
            server.limiter.start_next_window()

    (first, sent1, pulls1, cursor1), (second, sent2, pulls2, cursor2), last = runs
    third, sent3, pulls3, cursor3 = last
    for report in (first, second):
        # The window ran out: the repository is reported, with why and that it continues.
        assert list(report.failures) == [REPO]
        assert "rate limited" in report.failures[REPO]
        assert "next run continues" in report.failures[REPO]
    assert third.failures == {}
    # Every run commits progress: more PRs each time, a cursor that moves.
    assert 0 < pulls1 < pulls2 < pulls3 == one_shot_pulls
    assert len({cursor1.cursor, cursor2.cursor, cursor3.cursor}) == 3
    # A run spends its window and one more request, the one answered 403, which stops it;
    # answers 304 (unchanged first pages) are free of budget, and so are the GraphQL queries
    # answered 404 (one per sync round) that turn the PR details to REST.
    for report, graphql in zip((first, second), graphql_answers, strict=False):
        assert graphql >= 1
        assert report.requests - report.not_modified - graphql == budget + 1
    # Resuming costs little: the three runs together need less than a fourth window more.
    assert sent1 + sent2 + sent3 < needed + budget
    print(
        f"\none-shot: {needed} requests; budget {budget}/window; runs: "
        f"{[(r.requests, r.rows.get('raw.github_pull_requests', 0)) for r, *_ in runs]} "
        "(requests, PR rows committed)"
    )
    assert raw_and_cursors(resumed) == raw_and_cursors(tmp_path / "one_shot.duckdb")


DEPLOYMENT_ROUTES = ("deployments", "deployment_statuses", "compare")


def deployment_rows(warehouse: Path) -> tuple[int, int, int]:
    con = connect(warehouse)
    try:
        return tuple(con.execute(
            "select (select count(*) from raw.github_deployments),"
            " (select count(*) from raw.github_deployment_statuses),"
            " (select count(*) from raw.github_deployment_compares)").fetchone())
    finally:
        con.close()


def test_a_deployments_backfill_longer_than_a_window_resumes_where_it_stopped(
        org, tmp_path, monkeypatch):
    # 35 deployments: chunks of 5 let a window hold several of them (production: 25)
    monkeypatch.setattr("connectors.github.deployments.CHUNK_DEPLOYMENTS", 5)
    with SandboxServer(org, rate_limit=1_000_000, graphql=False) as server:
        one_shot, *_ = ingest(server, tmp_path / "one_shot.duckdb", org)
        assert one_shot.failures == {}
        routes = server.stats.snapshot()["by_route"]
        deployment_requests = sum(routes.get(route, 0) for route in DEPLOYMENT_ROUTES)
        expected = deployment_rows(tmp_path / "one_shot.duckdb")
        assert expected[0] == len(org.repos[REPO].deployments) == 35

        # The deployments pass alone needs three windows, so two runs end inside it.
        budget = math.ceil(deployment_requests / 2.5)
        assert 2 * budget < deployment_requests
        server.limiter.limit = budget
        server.limiter.start_next_window()
        resumed = tmp_path / "resumed.duckdb"
        reports, committed = [], []
        # Runs on the small budget until the deployments are complete (at most one run per
        # window's worth of the pass, and two spare), then one without a limit for the rest.
        while len(reports) < math.ceil(deployment_requests / budget) + 2:
            reports.append(ingest(server, resumed, org)[0])
            committed.append(deployment_rows(resumed))
            server.limiter.start_next_window()
            if committed[-1] == expected:
                break
        server.limiter.limit = 1_000_000
        server.limiter.start_next_window()
        last = ingest(server, resumed, org)[0]

    assert committed[-1] == expected, committed
    assert last.failures == {}
    assert all("rate limited" in report.failures[REPO] for report in reports[:-1])
    # The pass needs three windows: the first run ends inside its status pass, and every run
    # commits progress (more deployments, statuses or change sets than the run before).
    assert len(committed) >= 3
    assert 0 < committed[0][0] < expected[0] and 0 < committed[0][1] < expected[1]
    for before, after in itertools.pairwise(committed):
        assert all(b <= a for b, a in zip(before, after, strict=True)) and before != after
    print(f"\ndeployments pass: {deployment_requests} requests; budget {budget}/window; "
          f"committed (deployments, statuses, compares) per run: {committed}")
    assert raw_and_cursors(resumed) == raw_and_cursors(tmp_path / "one_shot.duckdb")


def test_a_full_refresh_stopped_by_the_rate_limit_is_finished_by_the_next_runs(org, tmp_path):
    with SandboxServer(org, rate_limit=1_000_000, graphql=False) as server:
        ingest(server, tmp_path / "one_shot.duckdb", org)
        refreshed = tmp_path / "refreshed.duckdb"
        _, needed, stored_pulls, _ = ingest(server, refreshed, org)  # the warehouse to refresh

        budget = math.ceil(needed / 2.5)  # the refresh needs three windows, as a backfill
        server.limiter.limit = budget
        server.limiter.start_next_window()
        lines: list[str] = []
        interrupted, _, pulls_after, _ = ingest(server, refreshed, org, full_refresh=True,
                                                lines=lines)
        server.limiter.start_next_window()
        later = []
        for _ in range(3):  # three windows in all, and a spare
            later.append(ingest(server, refreshed, org)[0])
            server.limiter.start_next_window()
            if not later[-1].failures:
                break

    assert "rate limited" in interrupted.failures[REPO]
    # its first chunk replaced the repository's rows: fewer PRs than before, and it says so
    assert 0 < pulls_after < stored_pulls
    assert any("replaced by this full refresh's committed progress" in line for line in lines)
    assert later[-1].failures == {}
    assert raw_and_cursors(refreshed) == raw_and_cursors(tmp_path / "one_shot.duckdb")
