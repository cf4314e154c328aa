"""marts.culture_vs_delivery on hand-built dates: windows, boundaries, suppression, proxies.

Each test builds the few upstream tables the panel reads, with only the columns it reads, and
derives the expected figures by hand.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from models.analysis.build import AnalysisSettings, fit_models
from models.analysis.panel import build_panel, read_panel
from models.runner import run_model
from models.sql_files import SQL_ROOT, read_model

UPSTREAM = """
create schema marts; create schema staging; create schema meta;
create table meta.settings (name varchar, value varchar);
create table meta.team_members (team varchar, source varchar, login varchar, member varchar);
create table staging.int_team_freshness (team varchar, data_synced_at timestamptz);
create table marts.culture_team_wave (team varchar, wave varchar, instrument varchar,
    closes_on date, suppressed boolean, n_respondents integer, mean double, rwg_j double);
create table marts.deployments (team varchar, finished_at timestamptz, is_failed boolean,
    is_rework boolean, recovery_hours double);
create table marts.changes (team varchar, kind varchar, deployed_at timestamptz,
    lead_time_hours double);
create table marts.incidents (team varchar, created_at timestamptz,
    is_near_miss boolean default false, duplicate_of_id varchar);
create table marts.behaviour_team_month (team varchar, month_start date, near_misses integer,
    proactive_issues integer, reactive_records integer, review_events integer,
    review_equality double, reviewer_share double);
"""


@pytest.fixture()
def con():
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'America/New_York'")  # windows must stay in UTC
    connection.execute(UPSTREAM)
    connection.execute("insert into meta.settings values ('analysis_window_days', '30')")
    run_model(connection, read_model(SQL_ROOT / "staging" / "stg_meta_settings.sql"))
    # three people; u1 also has a GitLab account, which must not make a fourth
    connection.execute("insert into meta.team_members values ('a','github','u1','U1'), "
                       "('a','gitlab','u1-gl','U1'), ('a','github','u2','U2'), "
                       "('a','github','u3','U3')")
    run_model(connection, read_model(SQL_ROOT / "staging" / "stg_roster.sql"))
    for wave, closes in (("W1", "2026-03-31"), ("W2", "2026-06-30")):
        connection.execute(
            "insert into marts.culture_team_wave values ('a', ?, 'psysafe', ?, false, 6, ?, 0.8),"
            " ('a', ?, 'westrum', ?, true, null, null, null)",
            [wave, closes, 5.0 if wave == "W1" else 4.0, wave, closes])
    return connection


def _deploy(con, when, failed=False, rework=False, recovery=None):
    con.execute("insert into marts.deployments values ('a', ?::timestamptz, ?, ?, ?)",
                [when, failed, rework, recovery])


def test_lagged_and_concurrent_windows_and_their_boundaries(con):
    # W1 closes 2026-03-31; 30-day windows: concurrent [03-02, 04-01), lagged [04-01, 05-01)
    _deploy(con, "2026-03-01 23:59:59+00")  # before the concurrent window
    _deploy(con, "2026-03-02 00:00:00+00")  # concurrent: start included
    _deploy(con, "2026-03-31 23:59:59+00", failed=True, recovery=2.0)  # closing day: concurrent
    _deploy(con, "2026-04-01 00:00:00+00", failed=True, rework=True, recovery=4.0)  # lagged
    _deploy(con, "2026-04-30 23:59:59+00", failed=True, recovery=10.0)  # lagged, last second
    _deploy(con, "2026-05-01 00:00:00+00")  # after the lagged window
    con.execute("insert into marts.incidents (team, created_at) values "
                "('a', '2026-07-20 00:00:00+00')")  # data end
    # an incident in the lagged window, and a near miss and a duplicate (an issue another
    # tool's incident repeats) there, which count in no incident
    con.execute("insert into marts.incidents values ('a', '2026-04-02 00:00:00+00', false, "
                "null), ('a', '2026-04-03 00:00:00+00', true, null), "
                "('a', '2026-04-04 00:00:00+00', false, 'PWEB001#7')")
    build_panel(con)
    w1 = read_panel(con).set_index("wave").loc["W1"]
    assert (w1["lag_incidents"], w1["con_incidents"]) == (1, 0)
    assert w1["lag_window_start"] == pd.Timestamp("2026-04-01", tz="UTC")
    assert w1["lag_window_end"] == pd.Timestamp("2026-05-01", tz="UTC")
    assert w1["con_window_start"] == pd.Timestamp("2026-03-02", tz="UTC")
    assert w1["con_window_end"] == pd.Timestamp("2026-04-01", tz="UTC")
    assert (w1["con_deployments"], w1["con_failed_deployments"]) == (2, 1)
    assert (w1["lag_deployments"], w1["lag_failed_deployments"],
            w1["lag_rework_deployments"]) == (2, 2, 1)
    # median of the lagged failures' recovery (4 h, 10 h) interpolates to 7 h
    assert w1["lag_recovery_median_hours"] == pytest.approx(7.0)
    assert w1["lag_recovery_n"] == 2
    assert w1["team_size"] == 3


def test_windows_are_cut_to_the_data(con):
    # data run from the first deployment (2026-03-17) to the last event (2026-04-10 12:00):
    # W1 concurrent covers 03-17 .. 04-01 = 15 days of 30; lagged 04-01 .. 04-10 12:00 = 9.5
    _deploy(con, "2026-03-17 00:00:00+00")
    con.execute("insert into marts.incidents (team, created_at) values "
                "('a', '2026-04-10 12:00:00+00')")
    build_panel(con)
    w1 = read_panel(con).set_index("wave").loc["W1"]
    assert w1["con_exposure_days"] == pytest.approx(15.0)
    assert w1["con_coverage_share"] == pytest.approx(0.5)
    assert w1["lag_exposure_days"] == pytest.approx(9.5)
    # and no earlier than the team's last successful sync
    con.execute("insert into staging.int_team_freshness values ('a', '2026-04-05 00:00+00')")
    build_panel(con)
    w1 = read_panel(con).set_index("wave").loc["W1"]
    assert w1["lag_exposure_days"] == pytest.approx(4.0)


def test_suppressed_scores_never_appear_and_changes_and_proxies_count(con):
    con.execute("insert into marts.changes values ('a', 'pull_request', "
                "'2026-04-02 00:00+00', 10), ('a', 'pull_request', '2026-04-03 00:00+00', 30), "
                "('a', 'commit', '2026-04-04 00:00+00', 20)")
    # a month counts for the window holding its 15th: April (04-15) is W1's lagged window,
    # March (03-15) its concurrent one, May (05-15) neither
    con.execute("insert into marts.behaviour_team_month values "
                "('a', '2026-03-01', 1, 2, 3, 40, 0.5, 0.6),"
                "('a', '2026-04-01', 4, 5, 6, 70, 0.7, 1.0),"
                "('a', '2026-05-01', 9, 9, 9, 99, 0.9, 0.9)")
    _deploy(con, "2026-03-10 00:00+00")
    build_panel(con)
    w1 = read_panel(con).set_index("wave").loc["W1"]
    assert (w1["lag_changes"], w1["lag_pull_requests"], w1["lag_lead_time_n"]) == (3, 2, 3)
    assert w1["lag_lead_time_median_hours"] == pytest.approx(20.0)
    assert (w1["lag_near_misses"], w1["lag_proactive_issues"], w1["lag_reactive_issues"],
            w1["lag_review_events"]) == (4, 5, 6, 70)
    assert w1["lag_review_equality"] == pytest.approx(0.7)
    assert (w1["con_near_misses"], w1["con_behaviour_months"]) == (1, 1)
    # westrum is suppressed in both waves: no score and no respondent count
    assert w1["westrum_suppressed"] and pd.isna(w1["westrum_score"])
    assert pd.isna(w1["westrum_n"]) and pd.isna(w1["westrum_rwg"])
    assert w1["psysafe_score"] == 5.0 and w1["psysafe_n"] == 6


def test_suppressed_team_waves_are_left_out_of_the_models_with_a_count():
    # 8 teams x 2 waves; team t0's first wave is suppressed: the models see 15 rows and say 1
    rows = []
    for t in range(8):
        for w in range(2):
            suppressed = t == 0 and w == 0
            rows.append({"team": f"t{t}", "wave": f"W{w}", "team_size": 5 + t % 3,
                         "window_days": 45,
                         "closes_on": pd.Timestamp("2026-03-31") + pd.Timedelta(days=91 * w),
                         "psysafe_score": None if suppressed else 4 + 0.1 * t - 0.2 * w,
                         "psysafe_suppressed": suppressed, "westrum_score": 4.0 + 0.05 * t,
                         "westrum_suppressed": False,
                         **{f"{s}_{k}": v for s in ("lag", "con") for k, v in {
                             "coverage_share": 1.0, "exposure_days": 90.0,
                             "deployments": 20 + t, "failed_deployments": 3 + w,
                             "rework_deployments": 1 + t % 2,
                             "lead_time_median_hours": 30.0 + t + 5 * w,
                             "lead_time_n": 10, "recovery_median_hours": 3.0 + t % 3,
                             "recovery_n": 3}.items()}})
    results = fit_models(pd.DataFrame(rows), AnalysisSettings(bootstrap_replicates=200))
    psysafe = [r for r in results if r.predictor == "psysafe" and r.window == "lagged"]
    assert psysafe and all(r.n_observations == 15 and r.dropped_suppressed == 1
                           for r in psysafe)
    assert all(any("1 team-waves left out for anonymity" in w for w in r.warnings)
               for r in psysafe)
    # the window recorded is the one the panel was built with, not the settings' default
    assert {r.window_days for r in results} == {45}
