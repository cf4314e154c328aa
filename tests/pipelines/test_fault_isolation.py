"""One bad repository never stops the other teams (DESIGN §8), end to end through `candor run`.

The simulated organization is served by a SandboxServer this module controls (its clock and
its per-repository faults), and the pipeline reaches it as it reaches GitHub Enterprise: a
base URL and a token in an environment variable. One sequence of runs is shared by the tests:

1. `before`: a clean run at T1, three weeks before the organization's end, copied three times;
2. `reference`: a clean run at the end;
3. `faulted`: a run at the end through `candor run`, with four repositories broken at once: one
   whose compares answer 404 "No common ancestor", one whose every answer is a 500, one answering
   an HTML page with status 200 (malformed JSON), and one whose lists link back to their first
   page; at least one repository stays clean;
4. `fixed`: the faulted warehouse run again at the end with the faults gone.

Expected values come from the reference and `before` warehouses, never from the code under test.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import pipelines.cli.execution as execution_module
from pipelines.cli.execution import run_pipeline
from pipelines.cli.main import cli
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.server import SandboxServer
from warehouse.connection import connect_read_only
from warehouse.fingerprint import warehouse_fingerprint

SANDBOX = SandboxConfig(seed=4, teams=2, months=2)  # 6 repositories (4 faulted, 2 clean)
TOKEN_ENV = "CANDOR_TEST_FAULTS_GITHUB_TOKEN"
# Payloads hold the server's URLs; the freshness columns of the marts say when a run happened.
# meta.model_builds.rows: the models' sizes, which count every repository's rows (compared whole,
# having no repo column), are build bookkeeping; the models themselves are compared by row.
IGNORED = ("payload", "data_synced_at", "last_success_at", "last_attempt_at", "assessed_at",
           "meta.model_builds.rows")
DATA_SCHEMAS = ("raw", "meta")


@dataclass
class Runs:
    """The warehouses of the shared sequence and what the faulted run printed."""

    before: Path
    reference: Path
    faulted: Path
    fixed: Path
    faulted_result: object
    faulted_exit_code: int
    faulted_output: str
    fixed_result: object
    repos: list[str]
    compare_404: str
    all_500: str
    html: str
    link_loop: str

    @property
    def failed(self) -> list[str]:
        return [self.all_500, self.html, self.link_loop]

    @property
    def clean(self) -> list[str]:
        return [r for r in self.repos if r not in (*self.failed, self.compare_404)]


def write_config(directory: Path, base_url: str, surveys: Path) -> Path:
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX.model_dump(),
        "sources": {
            "github": {
                "base_url": base_url,
                "org": SANDBOX.org,
                "token_env": TOKEN_ENV,
                "max_workers": 2,
                "retry_total": 1,  # the all-500 repository fails in about a second
            }
        },
        "surveys": {"drop_folder": str(surveys)},
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def copy_warehouse(source: Path, target: Path) -> None:
    target.mkdir()
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)


def fingerprint(directory: Path, schemas=DATA_SCHEMAS, without=()) -> dict[str, str]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        return warehouse_fingerprint(con, schemas, ignore=IGNORED, without_repos=without)
    finally:
        con.close()


def only(directory: Path, repo: str, repos: list[str], schemas=DATA_SCHEMAS) -> dict[str, str]:
    """Fingerprints of the rows of one repository (tables without a repo column: whole)."""
    return fingerprint(directory, schemas, without=[r for r in repos if r != repo])


def query(directory: Path, sql: str, parameters=()) -> list[tuple]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        return con.execute(sql, list(parameters)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    org = sandbox_org(SANDBOX)
    repos = sorted(org.repos)
    root = tmp_path_factory.mktemp("faults")
    surveys = root / "surveys"
    with pytest.MonkeyPatch.context() as env, SandboxServer(org, rate_limit=50_000) as server:
        for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
            env.delenv(name, raising=False)
        env.setenv(TOKEN_ENV, server.token)
        directories = {name: root / name for name in ("before", "reference", "faulted", "fixed")}
        directories["before"].mkdir()

        server.set_clock(org.end - timedelta(days=21))
        first = run_pipeline(str(write_config(directories["before"], server.base_url, surveys)),
                             quiet=True)
        assert first.success
        for name in ("reference", "faulted"):
            copy_warehouse(directories["before"], directories[name])

        server.set_clock(org.end)
        reference = run_pipeline(
            str(write_config(directories["reference"], server.base_url, surveys)), quiet=True
        )
        assert reference.success

        compare_404, all_500, html, link_loop = repos[:4]
        server.faults.repos.no_common_ancestor(compare_404)
        server.faults.repos.fail(all_500, 500)
        server.faults.repos.malformed(html, "html")
        server.faults.repos.link_loop(link_loop)
        config = str(write_config(directories["faulted"], server.base_url, surveys))
        captured = []

        def run_and_keep(*args, **kwargs):
            captured.append(run_pipeline(*args, **kwargs))
            return captured[-1]

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(execution_module, "run_pipeline", run_and_keep)
            invoked = CliRunner().invoke(cli, ["run", "--config", config])

        copy_warehouse(directories["faulted"], directories["fixed"])
        server.faults.clear()
        fixed = run_pipeline(
            str(write_config(directories["fixed"], server.base_url, surveys)), quiet=True
        )
    return Runs(
        before=directories["before"],
        reference=directories["reference"],
        faulted=directories["faulted"],
        fixed=directories["fixed"],
        faulted_result=captured[0],
        faulted_exit_code=invoked.exit_code,
        faulted_output=invoked.output,
        fixed_result=fixed,
        repos=repos,
        compare_404=compare_404,
        all_500=all_500,
        html=html,
        link_loop=link_loop,
    )


def test_the_run_exits_non_zero_with_one_line_per_broken_repository(runs):
    assert runs.faulted_exit_code != 0
    assert "Traceback" not in runs.faulted_output
    # The run's own log comes first; the error the command ends with, after it.
    output = runs.faulted_output[runs.faulted_output.index("Error: the run failed:") :]
    lines = {repo: [line for line in output.splitlines() if repo in line] for repo in runs.repos}
    # One line per broken repository that names it and says why (and what to do).
    assert any("answered 500" in line and "run again later" in line for line in lines[runs.all_500])
    assert any("HTML page" in line for line in lines[runs.html])
    assert any("points rel=\"next\" back" in line for line in lines[runs.link_loop])
    assert any(
        "change set" in line and "No common ancestor" in line for line in lines[runs.compare_404]
    )
    for repo in runs.clean:
        assert lines[repo] == [], repo


def test_every_model_builds_and_only_the_sync_report_fails(runs):
    result = runs.faulted_result
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    assert failed == ["meta__sync_report"]
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    expected = {key.to_user_string() for key in result.job_def.asset_layer.selected_asset_keys}
    assert "marts/dora_team_month" in materialized
    assert expected - materialized == {"meta/sync_report"}


def test_every_other_repository_equals_the_clean_run(runs):
    broken = [*runs.failed, runs.compare_404]
    assert runs.clean, "at least one repository has no fault"
    assert fingerprint(runs.faulted, without=broken) == fingerprint(runs.reference, without=broken)
    # The repository whose compares were refused loaded everything else: only its compare facts
    # and change sets differ.
    faulted = only(runs.faulted, runs.compare_404, runs.repos)
    reference = only(runs.reference, runs.compare_404, runs.repos)
    differing = {t for t in reference if faulted[t] != reference[t]}
    assert differing == {
        "raw.github_deployment_compares",
        "raw.github_deployment_commits",
        "meta.sync_state",  # its deployments cursor remembers the pairs to compare again
    }


def test_failed_repositories_keep_their_rows_and_cursors_exactly(runs):
    def data(directory, repo):
        kept = only(directory, repo, runs.repos)
        del kept["meta.sync_status"]  # the one row that records the failure
        return kept

    for repo in runs.failed:
        assert data(runs.faulted, repo) == data(runs.before, repo), repo
        # ... while the clean run did bring them new data.
        assert data(runs.reference, repo) != data(runs.before, repo), repo


def test_sync_status_shows_the_last_success_and_the_reason(runs):
    sql = (
        "select scope, resource, last_attempt_at, last_success_at, last_error, "
        "consecutive_failures from meta.sync_status order by all"
    )
    before = {(r[0], r[1]): r for r in query(runs.before, sql)}
    faulted = {(r[0], r[1]): r for r in query(runs.faulted, sql)}
    assert set(faulted) == {(repo, res) for repo in runs.repos
                            for res in ("deployments", "review_comments", "pull_requests",
                                        "issues")}
    for (repo, resource), (_, _, attempt, success, error, failures) in faulted.items():
        if repo in runs.failed:
            assert success == before[(repo, resource)][3]  # the last success: the first run
            assert attempt > success
            assert error and failures == 1
        else:
            assert success == attempt and error is None and failures == 0
    assert "500" in faulted[(runs.all_500, "deployments")][4]


def test_refused_compares_are_unknown_change_sets(runs):
    sql = (
        "select status, change_set_known, unknown_reason, ahead_by from "
        "raw.github_deployment_compares where repo = ?"
    )
    rows = query(runs.faulted, sql, [runs.compare_404])
    unknown = [r for r in rows if not r[1]]
    assert unknown, "deployments of the broken repository finished after the first run"
    assert all(r[0] == "unknown" and r[3] is None for r in unknown)
    assert all("No common ancestor between" in r[2] for r in unknown)
    # Each earlier pair, compared in the first run, kept its known facts.
    assert len(rows) - len(unknown) == len(query(runs.before, sql, [runs.compare_404]))


def test_the_next_run_without_faults_catches_up_to_the_clean_run(runs):
    assert runs.fixed_result.success
    schemas = ("raw", "meta", "staging", "marts")
    assert fingerprint(runs.fixed, schemas) == fingerprint(runs.reference, schemas)
    statuses = query(runs.fixed, "select distinct status from raw.github_deployment_compares")
    assert ("unknown",) not in statuses
