"""Reference rules that once broke or misled the marts: oversized #N, reverts named only in a
pull request's body, and incidents that name a change production never had.

World (team web, repo acme/web, production = 'production'), Monday 2024-01-15 onwards:

  P1 301  Jan 15 09:00  sha p0, first of the chain
  P2 302  Jan 15 12:00  ships PR #70 "Add export" (merge m70)
  P3 303  Jan 15 15:00  ships PR #71 'Revert "Add export"', body "Reverts acme/web#70"; its
                        commit message has no "This reverts commit" line
  P4 304  Jan 16 10:00  ships PR #72 "Mention #70" (not a revert title), body "Reverts #70"
  S1 401  Jan 16 11:00  environment staging: PR #80 (merge m80), never in production
  P5 305  Jan 17 09:00  sha p4, ships commit m74 (compare p3...p4: ahead by 1)
  P6 306  Jan 17 12:00  sha g1, never deployed before, an ancestor of p4 (compare p4...g1:
                        behind by 2): "redeploy the last green build" -> P5 failed, rollback
  P7 307  Jan 17 15:00  sha p5 (compare g1...p5: diverged, ahead 3 and behind 1): no rollback
  P8 308  Jan 18 09:00  sha p6, history rewritten: compare p5...p6 answered 404, change set
                        unknown

Incidents (label 'incident', window 24 h):
  #90 Jan 16 12:00  body "pager #2147483648": 2 h after P4, no pull request named
  #91 Jan 16 13:00  body "see https://logs.example.com/view#1699999999999"
  #92 Jan 16 14:00  body "started after #80 went out": #80 exists but only reached staging
  #93 Jan 16 14:30  body "sha <m80>": the same change by its commit
"""

from __future__ import annotations

import pytest
from dora_world import World, at, new_world, sha

REPO = "acme/web"


def build_reference_world(world: World) -> None:
    world.settings()
    world.team_repo("web", REPO)
    world.deploy(REPO, 301, sha("p0"), at(15, 9))
    world.deploy(REPO, 302, sha("p1"), at(15, 12))
    world.change_set(REPO, 302, sha("p0"), [(sha("m70"), at(15, 11), "Add export (#70)")])
    world.pull_request(
        REPO, 70, merge_sha=sha("m70"), opened=at(15, 10), merged=at(15, 11),
        commits=[(sha("c70"), at(15, 10), "Add export")], title="Add export",
    )
    world.deploy(REPO, 303, sha("p2"), at(15, 15))
    world.change_set(REPO, 303, sha("p1"), [(sha("m71"), at(15, 14), "Undo export (#71)")])
    world.pull_request(
        REPO, 71, merge_sha=sha("m71"), opened=at(15, 13), merged=at(15, 14),
        commits=[(sha("c71"), at(15, 13), "Undo export")],
        title='Revert "Add export"', body="Reverts acme/web#70\n\nBroke the CSV download.",
    )
    world.deploy(REPO, 304, sha("p3"), at(16, 10))
    world.change_set(REPO, 304, sha("p2"), [(sha("m72"), at(16, 9), "Docs (#72)")])
    world.pull_request(
        REPO, 72, merge_sha=sha("m72"), opened=at(16, 8), merged=at(16, 9),
        commits=[(sha("c72"), at(16, 8), "Docs")], title="Mention #70", body="Reverts #70",
    )
    world.deploy(REPO, 401, sha("s80"), at(16, 11), env="staging")
    world.pull_request(
        REPO, 80, merge_sha=sha("m80"), opened=at(16, 9), merged=at(16, 10),
        commits=[(sha("c80"), at(16, 9), "New cache")], title="New cache",
    )
    world.deploy(REPO, 305, sha("p4"), at(17, 9))
    world.change_set(REPO, 305, sha("p3"), [(sha("m74"), at(17, 8), "Speed up")])
    world.compare(REPO, 305, (304, sha("p3")), sha("p4"), "ahead", 1, 0)
    world.deploy(REPO, 306, sha("g1"), at(17, 12))
    world.compare(REPO, 306, (305, sha("p4")), sha("g1"), "behind", 0, 2)
    world.deploy(REPO, 307, sha("p5"), at(17, 15))
    world.compare(REPO, 307, (306, sha("g1")), sha("p5"), "diverged", 3, 1)
    world.deploy(REPO, 308, sha("p6"), at(18, 9))
    world.compare(
        REPO, 308, (307, sha("p5")), sha("p6"), "unknown", None, None,
        unknown_reason="GitHub answered 404: No common ancestor",
    )
    world.issue(REPO, 90, at(16, 12), at(16, 13), body="pager #2147483648")
    world.issue(
        REPO, 91, at(16, 13), at(16, 14), body="see https://logs.example.com/view#1699999999999"
    )
    world.issue(REPO, 92, at(16, 14), at(16, 15), body="started after #80 went out")
    world.issue(REPO, 93, at(16, 14, 30), at(16, 15), body=f"sha {sha('m80')}")
    world.run()


@pytest.fixture(scope="module")
def world(models) -> World:
    built = new_world(models)
    build_reference_world(built)
    yield built
    built.con.close()


def test_a_revert_named_only_in_the_pull_request_body_fails_the_reverted_deployment(world):
    failure = world.one(
        "select * from marts.deployment_failures where failure_method = 'revert'"
    )
    # #71's title matches revert_title_regex and its body names #70, which P2 (302) shipped;
    # P3 (303), which carries #71, remediates it. Its commit names no sha: the body alone counts.
    assert (failure["deployment_id"], failure["remediating_deployment_id"]) == (302, 303)
    assert failure["reverted_sha"] == sha("m70")
    assert failure["evidence"] == "pull request #71 reverts pull request #70 (named in its body)"
    # One revert row only: #72 says "Reverts #70" in its body but its title is no revert.
    failed = {
        row["deployment_id"]: row["failure_methods"]
        for row in world.rows(
            "select deployment_id, failure_methods from marts.deployments where is_failed"
        )
    }
    # 304 fails by the incidents #90 and #91 below, 305 by the rollback of the next test; 303
    # (the revert itself) is not failed.
    assert failed == {302: ["revert"], 304: ["incident"], 305: ["rollback"]}


def test_a_rollback_to_an_ancestor_that_was_never_deployed_fails_the_previous(world):
    (rollback,) = world.rows(
        "select * from marts.deployment_failures where failure_method = 'rollback'"
    )
    # P6 (306) deployed g1, which no deployment had shipped, but compare(p4...g1) is behind by
    # 2: an ancestor of P5's sha. P5 (305) failed; P6 remediates it. P7's diverged compare is
    # no rollback.
    assert (rollback["deployment_id"], rollback["remediating_deployment_id"]) == (305, 306)
    assert rollback["evidence"] == (
        f"deployment 306 deployed {sha('g1')[:12]}, an ancestor of deployment 305 sha "
        f"{sha('p4')[:12]} (2 commits behind)"
    )
    rework = world.one("select * from marts.deployments where deployment_id = 306")
    assert rework["is_rework"] is True


def test_an_unknown_change_set_says_why(world):
    rows = {
        row["deployment_id"]: row
        for row in world.rows(
            "select deployment_id, change_set_size, change_set_unknown_reason "
            "from marts.deployments where deployment_id in (305, 308)"
        )
    }
    assert rows[308]["change_set_unknown_reason"] == "GitHub answered 404: No common ancestor"
    assert rows[308]["change_set_size"] == 0
    assert (rows[305]["change_set_unknown_reason"], rows[305]["change_set_size"]) == (None, 1)


def test_an_oversized_reference_is_no_pull_request_and_builds(world):
    incidents = {
        row["number"]: row
        for row in world.rows("select * from marts.incidents order by number")
    }
    # #90 and #91 name no pull request (10 and 13 digits): the latest production deployment of
    # the team within 24 h, P4 (304) at Jan 16 10:00, is linked by time window (2 h and 3 h).
    for number, hours in ((90, 2), (91, 3)):
        row = incidents[number]
        assert (row["link_method"], row["linked_deployment_id"]) == ("time_window", 304)
        assert row["link_evidence"] == f"finished {float(hours)} h before the incident"


def test_a_named_change_that_never_reached_production_is_not_blamed_on_the_last_deploy(world):
    incidents = {row["number"]: row for row in world.rows("select * from marts.incidents")}
    # #92 names #80, #93 names #80's merge commit: both real changes, both only on staging.
    # P4 finished 4 h and 4.5 h before: the time window would link them, the rule does not.
    for number, named in ((92, f"pull request {REPO}#80"), (93, f"sha {sha('m80')}")):
        row = incidents[number]
        assert row["link_method"] is None and row["linked_deployment_id"] is None
        assert row["link_evidence"] == (
            f"names {named}, which no production deployment had shipped before the incident: "
            "not linked by its fix or the time window"
        )
