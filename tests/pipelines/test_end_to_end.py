"""The whole Dagster graph on a small simulated organization, in a temporary directory.

One clean run is shared by the tests of this module (it takes ~20 s); the idempotence and
interruption tests make their own runs against their own warehouses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from pipelines.cli.execution import run_pipeline
from warehouse.comments import missing_comments
from warehouse.connection import connect_read_only
from warehouse.fingerprint import warehouse_fingerprint

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = {"seed": 11, "teams": 2, "months": 3}
# Payloads hold API URLs, which name the port of the sandbox server that served them: each run
# starts its own server, so payloads differ by port while every fact stays the same.
PORT_DEPENDENT = ("payload",)


def write_config(directory: Path, **sandbox_overrides) -> Path:
    config = {
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": {**SANDBOX, **sandbox_overrides},
        "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
        # The sandbox drops its simulated survey exports here (waves and columns come from it).
        "surveys": {"drop_folder": str(directory / "surveys")},
    }
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def fingerprint(directory: Path) -> dict[str, str]:
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        return warehouse_fingerprint(con, ignore=PORT_DEPENDENT)
    finally:
        con.close()


def ingest_metadata(result) -> dict[str, int]:
    materialization = result.asset_materializations_for_node("github_ingest")[0]
    return {name: materialization.metadata[name].value for name in ("requests", "not_modified_304")}


@pytest.fixture(autouse=True)
def _no_warehouse_override(monkeypatch):
    monkeypatch.delenv("CANDOR_WAREHOUSE", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    os.environ.pop("CANDOR_WAREHOUSE", None)
    directory = tmp_path_factory.mktemp("clean")
    config = write_config(directory)
    result = run_pipeline(str(config), quiet=True)
    return directory, config, result


def test_every_asset_materializes_and_every_check_passes(clean_run):
    _, _, result = clean_run
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert checks, "the models declare asset checks"
    # Warnings (low agreement, suppressed team-waves, stale data) are reported, not failures.
    failed = [
        (c.asset_key.to_user_string(), c.check_name)
        for c in checks
        if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert failed == []


def test_every_object_and_column_is_documented(clean_run):
    directory, _, _ = clean_run
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        assert missing_comments(con, ["raw", "meta", "staging", "marts", "analysis"]) == []
        teams = con.execute("select count(distinct team) from marts.dora_team_month").fetchone()
    finally:
        con.close()
    assert teams == (SANDBOX["teams"],)


def test_surveys_are_imported_scored_and_small_teams_suppressed(clean_run):
    directory, _, result = clean_run
    con = connect_read_only(directory / "warehouse.duckdb")
    try:
        files = con.execute("select count(*) from raw.survey_waves").fetchone()[0]
        rows = con.execute(
            "select suppressed, n_respondents, mean, rwg_j from marts.culture_team_wave"
        ).fetchall()
        minimum = int(
            con.execute(
                "select value from meta.settings where name = 'anonymity_minimum'"
            ).fetchone()[0]
        )
    finally:
        con.close()
    assert files == len(list((directory / "surveys").glob("*.csv"))) > 0
    assert rows
    for suppressed, n, mean, rwg in rows:
        if suppressed:
            assert (n, mean, rwg) == (None, None, None)
        else:
            assert n >= minimum and 1 <= mean <= 7
    evaluated = {c.check_name for c in result.get_asset_check_evaluations()}
    assert {"alpha_at_least_0_7", "agreement_at_least_0_7", "suppressed_team_waves"} <= evaluated


def test_second_run_reads_only_unchanged_first_pages_and_changes_nothing(tmp_path):
    config = write_config(tmp_path)
    first = run_pipeline(str(config), quiet=True)
    before = fingerprint(tmp_path)
    second = run_pipeline(str(config), quiet=True)
    after = fingerprint(tmp_path)
    assert first.success and second.success
    assert after == before
    repeat = ingest_metadata(second)
    con = connect_read_only(tmp_path / "warehouse.duckdb")
    try:
        repos = con.execute("select count(*) from meta.team_repos").fetchone()[0]
        workflow_repos = con.execute(
            "select count(*) from meta.repo_deployment_signals where signal = 'workflow'"
        ).fetchone()[0]
        # finished deployments younger than sources.github.status_repoll_days, as the first
        # run's cursors list them: each has its statuses read again (one page each)
        recent = con.execute(
            "select coalesce(sum(json_array_length(cursor::json -> 'recent')), 0) "
            "from meta.sync_state where resource = 'deployments'"
        ).fetchone()[0]
        deployments = con.execute("select count(*) from raw.github_deployments").fetchone()[0]
    finally:
        con.close()
    # Four first pages (deployments, review comments, pull requests, issues) per repository, all
    # answered 304, plus one statuses page per recent finished deployment (re-read so that a
    # later `inactive` or a success after a failure is not missed), sent with the ETag of its
    # last read and so answered 304 too. A repo deploying from Actions runs instead probes its
    # `created>=` window in place of the deployments page, with the ETag the first run asked
    # for at its end: answered 304 as well.
    assert workflow_repos >= 1  # the sandbox has one such repository in every six teams' org
    assert recent >= 1  # the sandbox's clock is the day after its last deployments
    assert repeat == {"requests": 4 * repos + recent, "not_modified_304": 4 * repos + recent}
    # The first run read every deployment's statuses (one request each, REST) besides the
    # first pages; PR details were GraphQL queries, 25 PRs each.
    assert deployments > repeat["requests"]
    assert ingest_metadata(first)["requests"] >= deployments + 4 * repos - workflow_repos


def test_a_run_killed_midway_and_run_again_equals_a_clean_run(tmp_path, clean_run):
    clean_directory, _, _ = clean_run
    # Latency stretches ingestion over several seconds, so the kill lands while repositories
    # are still being fetched, after at least one repository's batch was committed.
    config = write_config(tmp_path, latency_ms=25)
    command = [sys.executable, "-m", "pipelines.cli.main", "run", "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if k not in ("CANDOR_WAREHOUSE", "DAGSTER_HOME")}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    killed_after = None
    for line in process.stdout:
        if "repositories]" in line:
            killed_after = line.strip()
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert killed_after is not None and process.returncode == -signal.SIGKILL
    assert "[1/" in killed_after  # killed after the first repository, not at the end

    partial = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        synced = partial.execute("select count(distinct scope) from meta.sync_state").fetchone()[0]
    finally:
        partial.close()
    assert synced >= 1

    rerun = run_pipeline(str(config), quiet=True)
    assert rerun.success
    assert fingerprint(tmp_path) == fingerprint(clean_directory)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.py")), ids=str)
def test_notebooks_run_on_the_published_copy(clean_run, notebook):
    directory, _, _ = clean_run
    env = {**os.environ, "CANDOR_WAREHOUSE": str(directory / "warehouse.duckdb")}
    done = subprocess.run(
        [sys.executable, str(notebook)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    con = connect_read_only(directory / "warehouse.readonly.duckdb")
    try:
        teams = [t for (t,) in con.execute("select distinct team from meta.team_repos").fetchall()]
    finally:
        con.close()
    assert all(team in done.stdout for team in teams)


# The reader boundary (docs/culture.md §5.4), stated here independently of the code's list.
READER_SCHEMAS = {"marts", "analysis"}
READER_META = {"meta.settings", "meta.team_repos", "meta.survey_items", "meta.sync_state"}


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select schema_name || '.' || table_name, column_name, data_type from duckdb_columns() "
        "where database_name = current_database() order by all"
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for name, column, data_type in rows:
        columns.setdefault(name, []).append((column, data_type))
    return columns


def test_the_published_copy_holds_reader_objects_only(clean_run):
    directory, _, _ = clean_run
    writer = connect_read_only(directory / "warehouse.duckdb")
    try:
        writer_columns = _columns(writer)
        keys = {
            k for (k,) in writer.execute("select respondent_key from raw.survey_answers").fetchall()
        }
        # Wave-instruments with a suppressed team that answered: their all-teams total
        # (respondents in the file, and distinct keys) must appear nowhere in the copy.
        totals = writer.execute(
            """
            select w.wave, w.instrument, w.respondents, count(distinct a.respondent_key)
            from raw.survey_waves w join raw.survey_answers a using (wave, instrument)
            where exists (
                select 1 from marts.culture_team_wave t join raw.survey_answers h
                    on (h.wave, h.instrument, h.team) = (t.wave, t.instrument, t.team)
                where t.suppressed and (t.wave, t.instrument) = (w.wave, w.instrument))
            group by all
            """
        ).fetchall()
    finally:
        writer.close()
    copy_path = directory / "warehouse.readonly.duckdb"
    copy = connect_read_only(copy_path)
    try:
        copy_columns = _columns(copy)
        text_values = set()
        for name, columns in copy_columns.items():
            for column, data_type in columns:
                if data_type == "VARCHAR":
                    text_values |= {
                        v
                        for (v,) in copy.execute(
                            f'select distinct "{column}" from {name}'
                        ).fetchall()
                    }
        wave_rows = {
            table: copy.execute(f"select * from {table}").df()
            for table in ("analysis.reliability", "marts.culture_org_wave")
        }
    finally:
        copy.close()
    expected = {
        name
        for name in writer_columns
        if name.split(".")[0] in READER_SCHEMAS or name in READER_META
    }
    assert set(copy_columns) == expected
    assert {"marts.culture_team_wave", "analysis.reliability", "marts.dora_team_month"} <= expected
    for name in expected:  # column for column, type for type: nothing added, nothing lost
        assert copy_columns[name] == writer_columns[name], name
    # No respondent key: not as a value of any text column, not as bytes anywhere in the file.
    assert keys and not keys & text_values
    content = copy_path.read_bytes()
    assert not [key for key in keys if key.encode() in content]
    # The demo plants suppressed teams; no published row of their wave holds the wave's total.
    assert totals, "the sandbox has a wave with a suppressed team that answered"
    for wave, instrument, respondents, distinct_keys in totals:
        for table, frame in wave_rows.items():
            rows = frame[(frame["wave"] == wave) & (frame["instrument"] == instrument)]
            numbers = set(rows.select_dtypes("number").stack().tolist())
            assert respondents not in numbers and distinct_keys not in numbers, (table, wave)
