"""Determinism, size and the culture model of the generated org."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from simulator.generator import generate_org
from simulator.model import Org


def _production_deploys(org: Org) -> int:
    return sum(d.production and d.succeeded for r in org.repos.values() for d in r.deployments)


def test_same_seed_gives_identical_org_and_other_seed_differs(org: Org) -> None:
    again = generate_org(seed=7)
    assert again == org
    other = generate_org(seed=8)
    assert other != org
    assert [t.culture.safety_between for t in other.teams] != [
        t.culture.safety_between for t in org.teams]


def test_default_size_and_window(org: Org) -> None:
    assert org.end == datetime(2026, 10, 31, tzinfo=UTC)
    assert (org.end - org.start).days == 365
    assert [t.name for t in org.teams] == ["payments", "search", "mobile", "platform", "growth",
                                           "data"]
    assert all(4 <= len(t.members) <= 9 for t in org.teams)
    assert all(1 <= len(t.repos) <= 3 for t in org.teams)
    pulls = sum(len(r.pulls) for r in org.repos.values())
    assert 1500 <= pulls <= 3000
    assert 600 <= _production_deploys(org) <= 1500


def test_nothing_happens_after_the_end(org: Org) -> None:
    for repo in org.repos.values():
        assert all(c.committed_at <= org.end for c in repo.commits.values())
        assert all(s.created_at <= org.end for d in repo.deployments for s in d.statuses)
        assert all(p.created_at <= org.end for p in repo.pulls)
        assert all(i.closed_at is None or i.closed_at <= org.end for i in repo.issues)


def test_ids_grow_with_creation_time(org: Org) -> None:
    deployments = sorted((d for r in org.repos.values() for d in r.deployments),
                         key=lambda d: d.deployment_id)
    created = [d.created_at for d in deployments]
    assert created == sorted(created)
    for repo in org.repos.values():
        numbered = sorted([*repo.pulls, *repo.issues], key=lambda x: x.number)
        assert [x.number for x in numbered] == list(range(1, len(numbered) + 1))
        assert [x.created_at for x in numbered] == sorted(x.created_at for x in numbered)


def test_scales_to_many_teams_with_unique_names() -> None:
    big = generate_org(seed=3, teams=20, months=2)
    names = [t.name for t in big.teams]
    assert len(set(names)) == 20
    assert names[16] == "payments-2"  # the word list has 16 names, then it cycles
    logins = [p.login for p in big.people.values()]
    assert len(set(logins)) == len(logins)


def test_demo_config_lists_every_team_member_and_repo(org: Org) -> None:
    config = org.demo_config()
    # the first repo of the second team deploys by workflow, of the third by release; the
    # others use the Deployments API and need no rule (simulator/signals.py)
    signals = {repo: rule["deployments"]["signal"]
               for repo, rule in config["rules"]["repo_rules"].items()}
    assert signals == {org.teams[1].repos[0]: "workflow", org.teams[2].repos[0]: "release"}
    assert len(config["teams"]) == 6
    repos = [r for t in config["teams"] for r in t["repos"]["github"]]
    assert sorted(repos) == sorted(org.repos)
    members = [m for t in config["teams"] for m in t["members"]["github"]]
    humans = [p.login for p in org.people.values() if p.team is not None]
    assert sorted(members) == sorted(humans)


def test_ground_truth_is_json_with_coefficients_and_latent_values(org: Org, tmp_path) -> None:
    path = org.write_ground_truth(tmp_path / "truth.json")
    truth = json.loads(path.read_text())
    assert truth["seed"] == 7
    assert truth["coefficients"]["westrum_given_safety"]["correlation"] == 0.6
    assert truth["coefficients"]["pr_cycle_log_hours"]["safety"] < 0
    assert truth["coefficients"]["failure_logit"]["learning"] < 0
    payments = truth["teams"][0]
    assert payments["latent_between"]["psychological_safety"] == org.teams[0].culture.safety_between
    first = org.teams[0].culture.quarters[0]
    row = truth["team_quarters"][0]
    assert (row["team"], row["quarter"]) == ("payments", first.quarter.name)
    assert row["psychological_safety"] == first.culture.psychological_safety
    planted = payments["planted"]
    counted = sum(p.merged_at is not None for r in payments["repos"]
                  for p in org.repos[r].pulls)
    assert planted["merged_pull_requests"] == counted
