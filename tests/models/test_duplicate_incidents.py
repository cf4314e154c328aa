"""One event recorded in two tools counts once: a PagerDuty incident whose title or notes name
an issue of its team's repository (owner/repo#N) is the same event as that issue when the issue
is an incident or a near miss; the PagerDuty incident is kept, the issue is its duplicate.

World (2024, whole hours; window 24 h), team web: repository acme/web and service PWEB001;
team api: service PAPI001.

  D1  acme/web production Jan 9 10:00, sha w1
  GH #10 incident label, Jan 9 12:00, title names w1: alone it would be explicit -> D1
  PD #1  PWEB001 Jan 9 12:01 "Checkout errors (acme/web#10)": the same event: PD #1 is linked
         (time window, 2.02 h) and counted; GH #10 is its duplicate, linked to nothing
  GH #11 "Near miss: slow cache" (the near-miss title rule), Jan 9 13:00
  PD #2  PWEB001 Jan 9 13:01 "Near miss: slow cache (acme/web#11)": one near miss, not two
  GH #12 a bug, Jan 9 15:00, named by PD #3 "Errors, fix in acme/web#12": a follow-up, not
         the same event: GH #12 stays a bug (other), PD #3 is an incident
  PD #4  PAPI001 (team api) Jan 9 16:00 names acme/web#10: another team's record repeats
         nothing of web's
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

from pipelines.config.proxy_rules import NearMissRule

WEB = "acme/web"


@pytest.fixture(scope="module")
def world(models) -> World:
    world = new_world(models)
    world.settings(near_miss_title_regex=NearMissRule().title_regex)
    world.team_repo("web", WEB)
    world.team_service("web", "PWEB001")
    world.team_service("api", "PAPI001")
    world.deploy(WEB, 1, sha("w1"), at(9, 10))
    world.issue(WEB, 10, at(9, 12), at(9, 13), title=f"Broken by {sha('w1')[:7]}")
    world.issue(WEB, 11, at(9, 13), at(9, 14), labels=(), title="Near miss: slow cache")
    world.issue(WEB, 12, at(9, 15), None, labels=("bug",), title="Retry checkout")
    for number, created, title, service in (
            (1, at(9, 12, 1), "Checkout errors (acme/web#10)", "PWEB001"),
            (2, at(9, 13, 1), "Near miss: slow cache (acme/web#11)", "PWEB001"),
            (3, at(9, 15, 30), "Errors, fix in acme/web#12", "PWEB001"),
            (4, at(9, 16), "Errors seen from api (acme/web#10)", "PAPI001")):
        incident = world.pd_incident(service, number, created, title=title,
                                     resolved=created + (at(9, 1) - at(9, 0)))
        world.pd_log(incident, "trigger", created)
    world.run()
    yield world
    world.con.close()


def test_the_incident_tools_record_is_kept_and_the_issue_is_its_duplicate(world):
    rows = world.rows("""
        select source, number, linked_deployment_id, link_method, duplicate_of_source,
            duplicate_of_id
        from marts.incidents where team = 'web' order by source, number""")
    assert [tuple(r.values()) for r in rows] == [
        ("github", 10, None, None, "pagerduty", "PWEB001#1"),
        ("pagerduty", 1, 1, "time_window", None, None),
        ("pagerduty", 2, None, None, None, None),  # a near miss
        ("pagerduty", 3, 1, "time_window", None, None),
    ]
    evidence = world.one("select link_evidence from marts.incidents where source = 'github' "
                         "and number = 10")["link_evidence"]
    assert evidence == "the same incident as pagerduty PWEB001#1, which is linked and counted " \
                       "instead"


def test_the_behavioural_proxies_count_each_event_once(world):
    classes = dict(((r["source"], r["number"]), r["behaviour_class"]) for r in world.rows(
        "select source, number, behaviour_class from staging.int_issue_behaviour "
        "where team = 'web'"))
    assert classes == {("github", 10): "duplicate", ("github", 11): "duplicate",
                       ("github", 12): "other", ("pagerduty", 1): "incident",
                       ("pagerduty", 2): "near_miss", ("pagerduty", 3): "incident"}
    month = world.one("select near_misses, customer_impacting_incidents from "
                      "marts.behaviour_team_month where team = 'web' and month_start = ?",
                      [at(1).date()])
    assert month == {"near_misses": 1, "customer_impacting_incidents": 2}
