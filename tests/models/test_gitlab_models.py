"""GitLab projects in the marts: deployments from GitLab's one status per deployment, the
commit a merge request landed whatever the merge method, reviews read from notes, incidents of
GitLab's incident type, and `!N` references.

World (2024, whole hours; window 24 h), team web owning the GitLab project acme/web:

  D1  production Jan 8 09:00  success, job finished 09:00            sha w0
  D2  production Jan 9 10:00  success, created through the API (no job: finished_at NULL,
                              updated 10:00): deployed at its last update   sha w1
      change set (compare D1..D2): c1 (direct push, authored Jan 9 08:00) and s60, the
      squash commit of !60
  D3  production Jan 9 15:00  failed: a failed attempt, never a deployment
  D4  staging    Jan 9 11:00  success: not production
  !60 squash merge Jan 9 09:00: merge_commit_sha NULL, squash_commit_sha s60, head h60
      (authored Jan 8 20:00): lands s60, shipped by D2; lead time 20:00 -> 10:00 = 14 h.
      Notes: bob's system note "approved this merge request" (08:30), dave's comment (08:40),
      carol's line comment (DiffNote, 08:45), alice's own comment (the author: no review), a
      system note "added 1 commit" (no review)
  !61 fast-forward Jan 9 09:30: both merge and squash sha NULL: lands its head f61
  #5  incident type, no labels, Jan 9 12:00-14:00, text "Broke after !60": explicit ->
      D2 (merge request acme/web!60)
  #6  plain issue, no labels, text names !60: no incident
  #7  plain issue labelled incident, Jan 9 16:00, text "see #60": on GitLab #60 is an issue,
      not !60: no explicit link; time window -> D2 (6 h; D3 failed, D4 is staging)
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from dora_world import World, at, sha

WEB = "acme/web"


def _team_project(world: World, team: str, repo: str) -> None:
    world.con.execute("insert into meta.team_repos values (?, 'gitlab', ?, ?)",
                      [team, repo, r"(?i)^production$"])


def _deployment(world: World, deployment_id: int, environment: str, status: str, commit: str,
                done: datetime, *, has_job: bool = True) -> None:
    world.con.execute(
        "insert into raw.gitlab_deployments values (?, ?, ?, ?, ?, ?, 'main', 'ci', ?, ?, ?)",
        [WEB, deployment_id, deployment_id, environment, status, commit,
         done - timedelta(minutes=10), done, done if has_job else None])


def _merge_request(world: World, iid: int, *, head: str, merge: str | None,
                   squash: str | None, merged: datetime, first_commit: datetime) -> None:
    world.con.execute(
        "insert into raw.gitlab_merge_requests values (?, ?, ?, ?, null, 'alice', 'merged', "
        "'feature', 'main', ?, ?, ?, [], ?, ?, ?, null)",
        [WEB, iid, 1000 + iid, f"Change {iid}", head, merge, squash,
         first_commit, merged, merged])
    world.con.execute(
        "insert into raw.gitlab_merge_request_commits values (?, ?, ?, ?, ?, 'feature work')",
        [WEB, iid, head, first_commit, first_commit])


def _note(world: World, iid: int, note_id: int, author: str, body: str, when: datetime, *,
          system: bool = False, note_type: str | None = None) -> None:
    world.con.execute(
        "insert into raw.gitlab_merge_request_notes values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [WEB, iid, note_id, note_type, system, author, body, when, when])


def _issue(world: World, iid: int, created: datetime, closed: datetime | None, *,
           issue_type: str, labels: list[str], body: str) -> None:
    world.con.execute(
        "insert into raw.gitlab_issues values (?, ?, ?, ?, ?, 'ops', ?, ?, ?, ?, ?, ?)",
        [WEB, iid, 5000 + iid, f"Issue {iid}", body, "closed" if closed else "opened",
         issue_type, labels, created, closed or created, closed])


@pytest.fixture
def built(world: World) -> World:
    world.settings()
    _team_project(world, "web", WEB)
    _deployment(world, 1, "production", "success", sha("w0"), at(8, 9))
    _deployment(world, 2, "production", "success", sha("w1"), at(9, 10), has_job=False)
    _deployment(world, 3, "production", "failed", sha("w2"), at(9, 15))
    _deployment(world, 4, "staging", "success", sha("w1"), at(9, 11))
    world.con.execute(
        "insert into raw.gitlab_deployment_compares values (?, 2, 1, ?, ?, 'ahead', 2, null, "
        "true, null)", [WEB, sha("w0"), sha("w1")])
    for commit, authored in ((sha("c1"), at(9, 8)), (sha("s60"), at(8, 20))):
        world.con.execute(
            "insert into raw.gitlab_deployment_commits values (?, 2, ?, ?, ?, ?, 'work')",
            [WEB, sha("w0"), commit, authored, authored])
    _merge_request(world, 60, head=sha("h60"), merge=None, squash=sha("s60"), merged=at(9, 9),
                   first_commit=at(8, 20))
    _merge_request(world, 61, head=sha("f61"), merge=None, squash=None, merged=at(9, 9, 30),
                   first_commit=at(9, 7))
    _note(world, 60, 1, "bob", "approved this merge request", at(9, 8, 30), system=True)
    _note(world, 60, 2, "dave", "Why not cache this?", at(9, 8, 40))
    _note(world, 60, 3, "carol", "Off by one here", at(9, 8, 45), note_type="DiffNote")
    _note(world, 60, 4, "alice", "Fixed, thanks", at(9, 8, 50))
    _note(world, 60, 5, "alice", "added 1 commit", at(9, 8, 55), system=True)
    _issue(world, 5, at(9, 12), at(9, 14), issue_type="incident", labels=[],
           body="Broke after !60")
    _issue(world, 6, at(9, 12), None, issue_type="issue", labels=[], body="Follow-up to !60")
    _issue(world, 7, at(9, 16), None, issue_type="issue", labels=["incident"],
           body="see #60")
    world.run()
    return world


def test_deployments_come_from_the_one_status_gitlab_keeps(built):
    rows = built.rows("select deployment_id, finished_at from marts.deployments "
                      "where source = 'gitlab' order by deployment_id")
    # D2 has no job: its last update is its finish; D3 failed; D4 is staging
    assert rows == [{"deployment_id": 1, "finished_at": at(8, 9)},
                    {"deployment_id": 2, "finished_at": at(9, 10)}]
    failed = built.rows("select deployment_id, outcome from staging.int_production_deployment_"
                        "attempts where source = 'gitlab' and outcome <> 'deployed'")
    assert failed == [{"deployment_id": 3, "outcome": "failed_attempt"}]


def test_a_merge_request_lands_its_merge_else_squash_else_head_commit(built):
    landed = built.rows("select number, merge_commit_sha, reference_marker "
                        "from staging.stg_change_requests where source = 'gitlab' "
                        "order by number")
    assert landed == [{"number": 60, "merge_commit_sha": sha("s60"), "reference_marker": "!"},
                      {"number": 61, "merge_commit_sha": sha("f61"), "reference_marker": "!"}]
    change = built.one("select deployment_id, lead_time_hours, first_review_at "
                       "from marts.changes where source = 'gitlab' and pr_number = 60")
    # first commit Jan 8 20:00 -> D2 Jan 9 10:00; bob's approval is the first review
    assert change == {"deployment_id": 2, "lead_time_hours": 14.0,
                      "first_review_at": at(9, 8, 30)}


def test_reviews_are_read_from_notes(built):
    reviews = built.rows("select review_id, reviewer_login, state from "
                         "staging.stg_change_request_reviews where source = 'gitlab' "
                         "order by review_id")
    # the author's own comment and GitLab's "added 1 commit" are no review; the line
    # comment is a review comment
    assert reviews == [{"review_id": 1, "reviewer_login": "bob", "state": "APPROVED"},
                       {"review_id": 2, "reviewer_login": "dave", "state": "COMMENTED"}]
    comments = built.rows("select comment_id, author_login from staging.stg_review_comments "
                          "where source = 'gitlab'")
    assert comments == [{"comment_id": 3, "author_login": "carol"}]


def test_incidents_of_gitlab_incident_type_and_merge_request_references(built):
    rows = built.rows("select number, linked_deployment_id, link_method, link_evidence "
                      "from marts.incidents where source = 'gitlab' order by number")
    assert rows == [
        {"number": 5, "linked_deployment_id": 2, "link_method": "explicit",
         "link_evidence": "merge request acme/web!60"},
        # #60 names GitLab issue 60, not a merge request: D2 by time window (16:00 - 10:00)
        {"number": 7, "linked_deployment_id": 2, "link_method": "time_window",
         "link_evidence": "finished 6.0 h before the incident"},
    ]


def test_references_are_read_once_with_their_marker_and_path(built):
    built.con.execute(
        "insert into raw.gitlab_issues values (?, 8, 5008, 'Issue 8', ?, 'ops', 'opened', "
        "'issue', [], ?, ?, null)",
        [WEB, "see acme/platform/web!7, #60 and ticket #2147483648", at(9, 17), at(9, 17)])
    built.run()
    refs = built.rows("select marker, ref_repo, ref_number from staging.int_record_references "
                      "where source = 'gitlab' and number = 8 order by marker, ref_number")
    # a subgroup path before !, a bare #60, and no ten-digit ticket number
    assert refs == [{"marker": "!", "ref_repo": "acme/platform/web", "ref_number": 7},
                    {"marker": "#", "ref_repo": None, "ref_number": 60}]
