"""PagerDuty incidents in the marts: whose they are (the team owning the service), which
deployment each marks as failed and by what evidence, and their timing.

World (2024, whole hours; window 24 h):

  team web: repository acme/web, PagerDuty service PWEB001
    D201  Jan 8  09:00  sha w0
    D202  Jan 9  10:00  sha w1, change set: cfeat, and the merge of PR #60 (h60)
  team api: repository acme/api, service PAPI001
    D301  Jan 9  19:00  sha a1

  PD #1 PWEB001 Jan 9 12:00-14:00  note names w1's short sha: explicit -> D202; monitoring
        triggered it, acknowledged 12:10 (1/6 h)
  PD #2 PWEB001 Jan 9 13:00-13:30  title names acme/web#60 (GitHub, from PagerDuty): explicit
        -> D202; a person triggered it, never acknowledged
  PD #3 PWEB001 Jan 9 20:00        no reference; older answer shape (no resolved_at), status
        resolved, last change 22:00: restored in 2 h; time window: web's latest deployment
        before 20:00 is D202 (10 h); D301 (1 h before) is api's, never web's
  PD #4 PWEB001 Jan 8 05:00        before any deployment: unlinked; acknowledged at 05:30 and
        still open: its last status change is no resolution
  PD #5 PVEND01 Jan 9 12:30        a service no team owns: in no mart; the check lists it
  PD #6 PWEB001 Jan 9 11:00-11:20  "Near miss: cache warm-up slow", low urgency: the title
        rule calls it a near miss; D202 finished an hour before, yet it fails nothing and is
        in no incident count
  GH #50 acme/web Jan 9 11:00-12:00 title names w1's short sha: explicit -> D202
  GH #51 acme/web Jan 8 11:00-12:00 no reference: time window -> D201 (2 h)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dora_world import World, at, new_world, sha

from pipelines.config.proxy_rules import NearMissRule

WEB, API = "acme/web", "acme/api"
CHECK = Path(__file__).resolve().parents[2] / "models/checks/incidents__every_service_owned.sql"


@pytest.fixture(scope="module")
def world(models) -> World:
    world = new_world(models)
    # candor.yaml's default near-miss title rule, as the config loader writes it
    world.settings(near_miss_title_regex=NearMissRule().title_regex)
    world.team_repo("web", WEB)
    world.team_repo("api", API)
    world.team_service("web", "PWEB001")
    world.team_service("api", "PAPI001")
    world.deploy(WEB, 201, sha("w0"), at(8, 9))
    world.deploy(WEB, 202, sha("w1"), at(9, 10))
    world.change_set(WEB, 202, sha("w0"), [(sha("cfeat"), at(9, 8), "Add search"),
                                          (sha("h60"), at(9, 9), "Merge pull request #60")])
    world.pull_request(WEB, 60, merge_sha=sha("h60"), opened=at(9, 7), merged=at(9, 9),
                       commits=[(sha("p60"), at(9, 7), "Search")])
    world.deploy(API, 301, sha("a1"), at(9, 19))

    one = world.pd_incident("PWEB001", 1, at(9, 12), resolved=at(9, 14))
    world.pd_log(one, "trigger", at(9, 12), by="integration")
    world.pd_log(one, "annotate", at(9, 12, 5), note=f"Errors since deploying {sha('w1')[:7]}")
    world.pd_log(one, "acknowledge", at(9, 12, 10))
    world.pd_log(one, "resolve", at(9, 14))
    two = world.pd_incident("PWEB001", 2, at(9, 13), title="Search down after acme/web#60",
                            resolved=at(9, 13, 30))
    world.pd_log(two, "trigger", at(9, 13))
    three = world.pd_incident("PWEB001", 3, at(9, 20), last_change=at(9, 22))
    world.pd_log(three, "trigger", at(9, 20))
    four = world.pd_incident("PWEB001", 4, at(8, 5), status="acknowledged",
                             last_change=at(8, 5, 30))
    world.pd_log(four, "trigger", at(8, 5), by="integration")
    world.pd_log(four, "acknowledge", at(8, 5, 30))
    world.pd_incident("PVEND01", 5, at(9, 12, 30))
    six = world.pd_incident("PWEB001", 6, at(9, 11), title="Near miss: cache warm-up slow",
                            urgency="low", resolved=at(9, 11, 20))
    world.pd_log(six, "trigger", at(9, 11))

    world.issue(WEB, 50, at(9, 11), at(9, 12), title=f"Broken by {sha('w1')[:7]}")
    world.issue(WEB, 51, at(8, 11), at(8, 12), body="Checkout errors")
    world.run()
    yield world
    world.con.close()


def test_each_incident_is_its_teams_and_linked_with_its_evidence(world):
    rows = world.rows("""
        select source, number, team, incident_id, linked_deployment_id, link_method,
            link_evidence
        from marts.incidents order by source, number""")
    assert [(r["source"], r["number"], r["team"], r["linked_deployment_id"], r["link_method"])
            for r in rows] == [
        ("github", 50, "web", 202, "explicit"),
        ("github", 51, "web", 201, "time_window"),
        ("pagerduty", 1, "web", 202, "explicit"),
        ("pagerduty", 2, "web", 202, "explicit"),
        ("pagerduty", 3, "web", 202, "time_window"),  # not api's D301, an hour before
        ("pagerduty", 4, "web", None, None),
        ("pagerduty", 6, "web", None, None),  # a near miss, though D202 is an hour before
    ]
    evidence = {(r["source"], r["number"]): r["link_evidence"] for r in rows}
    detect = dict(world.con.execute(
        "select number, time_to_detect_hours from marts.incidents where source = 'pagerduty' "
        "and is_change_related").fetchall())
    # D202 finished Jan 9 10:00: #1 at 12:00, #2 at 13:00, #3 at 20:00
    assert detect == {1: 2.0, 2: 3.0, 3: 10.0}
    assert evidence[("pagerduty", 1)] == f"sha {sha('w1')[:7]}"
    assert evidence[("pagerduty", 2)] == "pull request acme/web#60"
    assert evidence[("pagerduty", 3)] == "finished 10.0 h before the incident"
    assert evidence[("github", 50)] == f"sha {sha('w1')[:7]}"
    assert evidence[("pagerduty", 6)] == "near miss (by its title): it fails no deployment"
    assert {r["incident_id"] for r in rows if r["source"] == "pagerduty"} == {
        "PWEB001#1", "PWEB001#2", "PWEB001#3", "PWEB001#4", "PWEB001#6"}


def test_timing_from_the_log_entries_and_the_older_answer_shape(world):
    rows = {r["number"]: r for r in world.rows("""
        select number, closed_at, is_open, time_to_restore_hours, time_to_acknowledge_hours,
            raised_by
        from marts.incidents where source = 'pagerduty'""")}
    # #1 12:00 -> 14:00; #2 13:00 -> 13:30; #3 20:00 -> 22:00 (last status change, no
    # resolved_at in the answer); #4 acknowledged, open: its 05:30 change is no resolution
    assert {n: r["time_to_restore_hours"] for n, r in rows.items()} == {
        1: 2.0, 2: 0.5, 3: 2.0, 4: None, 6: pytest.approx(1 / 3)}
    assert (rows[3]["closed_at"], rows[4]["closed_at"], rows[4]["is_open"]) == (
        at(9, 22), None, True)
    assert rows[1]["time_to_acknowledge_hours"] == pytest.approx(10 / 60)
    assert rows[4]["time_to_acknowledge_hours"] == pytest.approx(0.5)
    assert rows[2]["time_to_acknowledge_hours"] is None
    assert {n: r["raised_by"] for n, r in rows.items()} == {
        1: "monitoring", 2: "person", 3: "person", 4: "monitoring", 6: "person"}
    fallback = dict(world.con.execute(
        "select incident_number, resolved_at_from from staging.stg_pagerduty_incidents"
    ).fetchall())
    assert fallback == {1: "resolved_at", 2: "resolved_at", 3: "last_status_change_at",
                        4: None, 5: None, 6: "resolved_at"}


def test_the_linked_deployment_counts_as_failed_once(world):
    failed = world.rows("""
        select deployment_id, is_failed from marts.deployments order by deployment_id""")
    # D202 is named by three incidents (two sources) and failed once; D201 by GH #51
    assert [(r["deployment_id"], r["is_failed"]) for r in failed] == [
        (201, True), (202, True), (301, False)]


def test_incidents_on_an_unowned_service_are_surfaced_not_given_to_a_team(world):
    rows = world.con.execute(CHECK.read_text()).fetchall()
    assert [row[:3] for row in rows] == [("pagerduty", "PVEND01", 1)]
    assert world.rows("select * from marts.incidents where repo = 'PVEND01'") == []


def test_a_near_miss_counts_in_no_incident_figure_but_as_a_near_miss(world):
    month = world.one("select incidents, time_to_restore_median_hours from "
                      "marts.dora_team_month where team = 'web'")
    # GH #50, #51 and PD #1-#4 (not the near miss #6): six incidents; restored in 1, 1, 2,
    # 0.5 and 2 h (#4 open) -> median 1
    assert (month["incidents"], month["time_to_restore_median_hours"]) == (6, 1.0)
    classes = dict(world.con.execute(
        "select number, behaviour_class from staging.int_issue_behaviour "
        "where source = 'pagerduty'").fetchall())
    assert classes == {1: "incident", 2: "incident", 3: "incident", 4: "incident",
                       6: "near_miss"}


def test_a_team_whose_incidents_mostly_link_to_nothing_is_warned_about(models):
    check = CHECK.with_name("incidents__most_incidents_linked.sql").read_text()
    world = new_world(models)
    world.settings()
    world.team_repo("web", WEB)
    world.team_service("web", "PWEB001")
    world.deploy(WEB, 201, sha("w0"), at(8, 9))
    # 10 incidents: 4 within a day of D201 (Jan 8 09:00; time window), 6 a week later
    linked = [at(8, 12), at(8, 18), at(9, 6), at(9, 8)]
    later = [at(day, 12) for day in (15, 16, 17, 18, 19, 20)]
    for number, when in enumerate(linked + later, start=1):
        world.pd_incident("PWEB001", number, when)
    world.run()
    assert world.con.execute(check).fetchall() == [("web", "pagerduty", 10, 6, 0.6)]
    # one more linked incident: 6 of 11 unlinked is still more than half; two more: 6 of 12 is
    # not
    world.pd_incident("PWEB001", 11, at(9, 8, 30))
    world.run()
    assert world.con.execute(check).fetchall() == [("web", "pagerduty", 11, 6, 0.545)]
    world.pd_incident("PWEB001", 12, at(9, 7))
    world.run()
    assert world.con.execute(check).fetchall() == []
    world.con.close()
