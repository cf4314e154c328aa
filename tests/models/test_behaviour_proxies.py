"""marts.behaviour_team_month: the behavioural proxies on tiny hand-built issues and reviews.

Every world has team web (repository acme/web) and uses candor.yaml's default proxy rules
(written into meta.settings by the same function the pipeline uses), so the tests also pin the
defaults. Each expected figure is worked out by hand in the test from the rows it writes.
Times are whole hours in 2024 (`at(day, hour, month=...)`).
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import datetime

import pytest
from dora_world import DEFAULT_SETTINGS, World, at, new_world, sha

from pipelines.config.schema import Rules
from pipelines.reference.proxy_settings import proxy_settings

REPO = "acme/web"
MART = "marts.behaviour_team_month"
PROXY_DEFAULTS = proxy_settings(Rules())
_ids = itertools.count(10_000)


@pytest.fixture
def proxy_models(models):
    """The mart and everything it reads (other marts are not needed to build it)."""
    by_name = {model.name: model for model in models}
    needed, todo = set(), [MART]
    while todo:
        name = todo.pop()
        if name in by_name and name not in needed:
            needed.add(name)
            todo.extend(by_name[name].dependencies)
    return [model for model in models if model.name in needed]


@pytest.fixture
def world(proxy_models) -> World:
    built = new_world(proxy_models)
    built.settings(**PROXY_DEFAULTS)
    built.team_repo("web", REPO)
    yield built
    built.con.close()


def roster(world: World, *logins: str, team: str = "web") -> None:
    for login in logins:
        world.con.execute(
            "insert into meta.team_members values (?, 'github', ?, ?)", [team, login, login]
        )


def issue(
    world: World,
    number: int,
    created: datetime,
    *,
    author: str = "ann",
    title: str = "Something",
    labels: tuple[str, ...] = (),
    body: str = "",
    repo: str = REPO,
) -> None:
    """An open issue as the connector writes it."""
    world.con.execute(
        "insert into raw.github_issues values (?, ?, ?, ?, ?, 'open', ?, ?, ?, null, '{}')",
        [repo, number, title, body, author, list(labels), created, created],
    )


def pull(world: World, number: int, author: str, opened: datetime) -> None:
    world.pull_request(
        REPO, number, merge_sha=sha(f"m{number}"), opened=opened, merged=opened,
        commits=[(sha(f"c{number}"), opened, "Change")], author=author,
    )


def reviews(world: World, pr: int, reviewer: str, when: datetime, count: int = 1) -> None:
    for _ in range(count):
        world.con.execute(
            "insert into raw.github_pull_reviews values (?, ?, ?, ?, 'COMMENTED', ?, '{}')",
            [REPO, pr, next(_ids), reviewer, when],
        )


def comment(world: World, pr: int, author: str, when: datetime, body: str) -> None:
    world.con.execute(
        "insert into raw.github_review_comments values (?, ?, ?, ?, ?, ?, ?)",
        [REPO, pr, next(_ids), author, when, json.dumps({"body": body}), body],
    )


def month(world: World, number: int, team: str = "web") -> dict:
    world.run()
    return world.one(
        f"select * from {MART} where team = ? and month(month_start) = ?", [team, number]
    )


def record(world: World, number: int) -> dict:
    return world.one("select * from staging.int_issue_behaviour where number = ?", [number])


# ---------------------------------------------------------------- near misses
def near_miss_world(world: World) -> None:
    """January: five deployments, a roster of six, five issues."""
    roster(world, "ann", "bob", "cat", "dan", "eve", "fay")
    for day in range(8, 13):
        world.deploy(REPO, day, sha(f"d{day}"), at(day, 9))
    issue(world, 1, at(15, 9), labels=("Near-Miss",), title="Cache almost full")  # label, any case
    issue(world, 2, at(16, 9), title="Near miss: retry storm")  # title only
    issue(world, 3, at(17, 9), labels=("bug",), title="Nearly missed the deadline")  # neither
    issue(world, 4, at(18, 9), labels=("incident",), title="Checkout down")  # an incident
    issue(world, 5, at(19, 9), labels=("incident", "near-miss"), title="Disk at 95%")


def test_near_miss_by_label_wins_over_the_incident_label(world):
    near_miss_world(world)
    row = month(world, 1)
    # labels: #1 ('Near-Miss' lowercases to a default label) and #5 (incident + near-miss)
    assert row["near_misses_by_label"] == 2
    assert record(world, 5)["behaviour_class"] == "near_miss"
    assert record(world, 5)["near_miss_matched_by"] == "label"
    # #4 is the only customer-impacting incident: #5 is a marts.incidents row but a near miss
    assert row["customer_impacting_incidents"] == 1
    assert record(world, 4)["behaviour_class"] == "incident"


def test_near_miss_by_title_keyword_and_switched_off(world):
    near_miss_world(world)
    row = month(world, 1)
    # "Near miss: retry storm" matches (?i)\bnear[- ]?miss\b; "Nearly missed" does not
    assert row["near_misses_by_title"] == 1
    assert record(world, 2)["near_miss_matched_by"] == "title"
    assert record(world, 3)["behaviour_class"] == "proactive"  # a member's bug
    assert row["near_misses"] == 3  # #1, #2, #5
    # without the title part (no setting row) only the two labelled ones remain
    world.con.execute("delete from meta.settings where name = 'near_miss_title_regex'")
    assert month(world, 1)["near_misses"] == 2
    assert "title" not in month(world, 1)["near_miss_rule"]


def test_near_miss_ratio_and_rates(world):
    near_miss_world(world)
    row = month(world, 1)
    assert row["deployments"] == 5 and row["roster_size"] == 6
    # 10 * 3 near misses / 5 deployments = 6.0; 3 / 6 engineers = 0.5
    assert row["near_misses_per_10_deployments"] == pytest.approx(6.0)
    assert row["near_misses_per_engineer"] == pytest.approx(0.5)
    # 3 / (3 near misses + 1 customer-impacting incident) = 0.75
    assert row["near_miss_ratio"] == pytest.approx(0.75)
    assert row["per_deployment_null_reason"] is None and row["near_miss_ratio_null_reason"] is None
    assert "near-miss" in row["near_miss_rule"]


def test_no_near_miss_rule_is_null_not_zero(world):
    near_miss_world(world)
    for name in ("near_miss_labels", "near_miss_title_regex"):
        world.con.execute("delete from meta.settings where name = ?", [name])
    row = month(world, 1)
    assert row["near_misses"] is None and row["near_miss_ratio"] is None
    assert row["near_miss_ratio_null_reason"] == "near-miss rule not configured"
    assert row["per_deployment_null_reason"] == "near-miss rule not configured"


# ---------------------------------------------------------------- proactive vs reactive
def proactive_world(world: World) -> None:
    """February: roster ann, bob, cat; one incident (#13) on Feb 10 09:00."""
    roster(world, "ann", "bob", "cat")
    issue(world, 10, at(1, 9, month=2), author="ann", labels=("tech-debt",))  # proactive
    issue(world, 11, at(2, 9, month=2), author="bob", labels=("Enhancement",))  # proactive
    issue(world, 12, at(3, 9, month=2), author="zed", labels=("bug",))  # outsider: reactive
    issue(world, 13, at(10, 9, month=2), author="ann", labels=("incident",))  # incident
    issue(world, 14, at(10, 15, month=2), author="bob", labels=("bug",))  # 6 h after #13
    issue(world, 15, at(20, 9, month=2), author="cat", labels=("risk",),
          body="Follow-up of #13: add a circuit breaker")  # names the incident
    issue(world, 16, at(21, 9, month=2), author="ann", labels=("question",))  # no rule applies
    issue(world, 17, at(12, 10, month=2), author="cat", labels=("bug",))  # 49 h after #13


def test_proactive_member_vs_outsider_vs_caused_by_incident(world):
    proactive_world(world)
    row = month(world, 2)
    # proactive: #10, #11, #17 (49 h > the 24 h window); reactive: #13 (incident), #14 (window),
    # #15 (names #13), #12 (outsider); #16 has no proactive label
    assert row["proactive_issues"] == 3
    assert row["customer_impacting_incidents"] == 1
    assert row["reactive_caused_by_incident"] == 2
    assert row["reactive_by_non_members"] == 1
    assert row["reactive_records"] == 4  # 1 + 2 + 1
    assert row["proactive_share"] == pytest.approx(3 / 7)  # 3 / (3 + 4)
    assert record(world, 14)["caused_by_incident_evidence"] == "opened 6.0 h after acme/web#13"
    assert record(world, 15)["caused_by_incident_evidence"] == "names acme/web#13"
    assert record(world, 12)["behaviour_class"] == "reactive_outsider"
    assert record(world, 16)["behaviour_class"] == "other"


def test_without_the_window_only_named_incidents_cause_reactive_issues(world):
    proactive_world(world)
    world.settings(**{**PROXY_DEFAULTS, "proactive_incident_window_hours": "0"})
    row = month(world, 2)
    # #14 becomes proactive: 4 proactive, reactive = #13 + #15 + #12 = 3; share 4 / 7
    assert (row["proactive_issues"], row["reactive_records"]) == (4, 3)
    assert row["proactive_share"] == pytest.approx(4 / 7)


# ---------------------------------------------------------------- who raised the incidents
def test_human_vs_monitoring_raised_incidents(world):
    roster(world, "ann", "bob", "cat")
    issue(world, 20, at(1, 9, month=3), author="alertmanager[bot]", labels=("incident",))
    issue(world, 21, at(2, 9, month=3), author="ann", labels=("incident",))
    issue(world, 22, at(3, 9, month=3), author="support-sue", labels=("incident",))
    issue(world, 23, at(4, 9, month=3), author="zed", labels=("Incident",))
    row = month(world, 3)
    # 4 incidents: 1 bot (monitoring), 1 member (team), 2 other people (external)
    assert (row["monitoring_raised_incidents"], row["team_raised_incidents"],
            row["externally_raised_incidents"]) == (1, 1, 2)
    assert row["human_raised_share"] == pytest.approx(3 / 4)  # (1 team + 2 external) / 4
    assert row["monitoring_raised_share"] == pytest.approx(1 / 4)
    assert row["proactive_detection_share"] == pytest.approx(2 / 4)  # (1 bot + 1 team) / 4
    assert record(world, 20)["incident_raiser"] == "monitoring"


# ---------------------------------------------------------------- postmortems
def postmortem_world(world: World, *, with_postmortem: bool) -> None:
    """January: a deployment at 3 Jan 09:00, then two incidents linked to it by the 24 h window;
    in February an unrelated month with no incident."""
    roster(world, "ann", "bob", "cat")
    world.deploy(REPO, 1, sha("d1"), at(3, 9))
    issue(world, 30, at(3, 10), labels=("incident",))
    issue(world, 31, at(3, 12), labels=("incident",))
    issue(world, 33, at(5, 9, month=2), labels=("tech-debt",))
    if with_postmortem:
        issue(world, 32, at(5, 9), labels=("postmortem",), body="Postmortem of #30")


def test_postmortem_rate_of_change_related_incidents(world):
    postmortem_world(world, with_postmortem=True)
    row = month(world, 1)
    # #30 and #31 are linked to deployment 1; a postmortem issue names #30: 1 / 2
    assert row["change_related_incidents"] == 2
    assert row["change_related_incidents_with_postmortem"] == 1
    assert row["postmortem_rate"] == pytest.approx(0.5)
    assert month(world, 2)["postmortem_null_reason"] == "no change-related incidents in the month"


def test_postmortem_rate_is_null_when_the_data_hold_no_postmortems(world):
    postmortem_world(world, with_postmortem=False)
    row = month(world, 1)
    assert row["change_related_incidents"] == 2
    assert row["postmortem_rate"] is None
    assert row["change_related_incidents_with_postmortem"] is None
    assert "hold no postmortem records" in row["postmortem_null_reason"]


# ---------------------------------------------------------------- review participation
def review_world(world: World, *, ann_reviews: int = 3, ann_comments: int = 6) -> None:
    """April: roster ann, bob, cat, dan; eve (not on the roster) authors PR 1, ann PR 2."""
    roster(world, "ann", "bob", "cat", "dan")
    pull(world, 1, "eve", at(1, 9, month=4))
    pull(world, 2, "ann", at(1, 9, month=4))
    reviews(world, 1, "ann", at(2, 9, month=4), ann_reviews)
    for index in range(ann_comments):
        text = "Why not reuse the helper?" if index < 2 else "Nit: naming."
        comment(world, 1, "ann", at(2, 10, month=4), text)
    reviews(world, 1, "bob", at(3, 9, month=4), 3)
    # left out: ann on her own PR, a bot, and a reviewer from another team (counted apart)
    reviews(world, 2, "ann", at(3, 9, month=4))
    comment(world, 1, "lint-helper[bot]", at(3, 9, month=4), "Style?")
    reviews(world, 1, "zed", at(3, 9, month=4))


def test_gini_and_entropy_over_the_full_roster_with_silent_members(world):
    review_world(world)  # vector ann 3 + 6 = 9, bob 3, cat 0, dan 0
    row = month(world, 4)
    x, n = [9, 3, 0, 0], 4
    total, mean = sum(x), sum(x) / n  # 12, 3
    # sum over ordered pairs |x_i - x_j| = 2 * (6 + 9 + 9 + 3 + 3 + 0) = 60
    pairs = 2 * (6 + 9 + 9 + 3 + 3 + 0)
    gini = pairs / (2 * n**2 * mean)  # 60 / 96 = 0.625
    gini_star = gini * n / (n - 1)  # 0.8333
    entropy = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(n)  # 0.4056
    assert (row["review_events"], row["reviewers"], row["roster_size"]) == (total, 2, 4)
    assert row["review_events_by_non_members"] == 1  # zed
    assert row["reviewer_share"] == pytest.approx(2 / 4)
    assert gini == 0.625
    assert row["review_gini"] == pytest.approx(gini)
    assert row["review_gini_normalized"] == pytest.approx(gini_star)
    assert row["review_equality"] == pytest.approx(1 - 5 / 6)
    assert row["review_entropy_normalized"] == pytest.approx(entropy)
    assert entropy == pytest.approx(0.405639, abs=1e-6)
    assert row["review_participation_null_reason"] is None


def test_question_share_and_a_custom_question_rule(world):
    review_world(world)
    row = month(world, 4)
    # ann's 6 comments, 2 end with '?'; the bot's 'Style?' is excluded: 2 / 6
    assert (row["review_question_comments"], row["review_comments"]) == (2, 6)
    assert row["review_question_share"] == pytest.approx(2 / 6)
    world.settings(**{**PROXY_DEFAULTS, "review_question_regex": r"(?i)^nit\b"})
    assert month(world, 4)["review_question_share"] == pytest.approx(4 / 6)


def test_review_figures_null_below_the_event_and_roster_minimums(world):
    review_world(world, ann_reviews=2, ann_comments=3)  # vector [5, 3, 0, 0]: 8 events < 10
    row = month(world, 4)
    assert row["review_events"] == 8
    assert row["review_gini"] is None and row["review_equality"] is None
    assert row["reviewer_share"] is None and row["review_question_share"] is None
    assert row["review_participation_null_reason"] == "fewer than 10 review events in the month"
    assert row["review_question_null_reason"] == "fewer than 10 review events in the month"
    world.con.execute("delete from meta.team_members where login in ('cat', 'dan')")
    row = month(world, 4)
    assert row["roster_size"] == 2
    assert row["review_participation_null_reason"] == "roster has fewer than 3 members"


# ---------------------------------------------------------------- the spine
def test_a_month_without_activity_is_zero_with_reasons(world):
    roster(world, "ann", "bob", "cat")
    world.team_repo("search", "acme/search")  # a second team with no activity at all
    issue(world, 40, at(10, 9, month=1), labels=("near-miss",))
    issue(world, 41, at(10, 9, month=3), labels=("tech-debt",))
    world.run()
    months = world.rows(f"select team, month_start from {MART} order by team, month_start")
    # January to March for both teams: 2 teams x 3 months
    assert [(r["team"], r["month_start"].month) for r in months] == [
        ("search", 1), ("search", 2), ("search", 3), ("web", 1), ("web", 2), ("web", 3)]
    row = month(world, 2)
    assert (row["near_misses"], row["proactive_issues"], row["review_events"]) == (0, 0, 0)
    assert row["customer_impacting_incidents"] == 0 and row["deployments"] == 0
    assert row["near_misses_per_engineer"] == 0  # 0 near misses / 3 engineers
    assert row["per_deployment_null_reason"] == "no production deployments in the month"
    assert row["near_miss_ratio_null_reason"] == (
        "no near misses and no customer-impacting incidents in the month")
    assert row["proactive_share_null_reason"] == "no proactive or reactive records in the month"
    assert row["incident_raiser_null_reason"] == "no customer-impacting incidents in the month"
    assert row["review_participation_null_reason"] == "fewer than 10 review events in the month"
    search = month(world, 2, team="search")
    assert search["per_engineer_null_reason"] == "the team has no roster in candor.yaml"


def test_the_mart_reads_no_source_tables_directly(proxy_models):
    by_name = {model.name: model for model in proxy_models}
    for name in ("marts.behaviour_team_month", "staging.int_issue_behaviour",
                 "staging.int_review_team_month"):
        sources = [dep for dep in by_name[name].dependencies if "github" in dep]
        assert sources == [], (name, sources)


def test_default_settings_of_other_tests_leave_the_proxies_null_with_reasons(proxy_models):
    # a warehouse written before these rules existed (no proxy settings rows) builds, and says
    # why each figure is missing instead of showing zeros
    built = new_world(proxy_models)
    built.settings(**DEFAULT_SETTINGS)
    built.team_repo("web", REPO)
    issue(built, 50, at(10, 9), labels=("near-miss",))
    row = month(built, 1)
    assert row["near_misses"] is None and row["proactive_issues"] is None
    assert row["proactive_share_null_reason"] == (
        "proactive rule not configured (no proactive labels)")
    built.con.close()
