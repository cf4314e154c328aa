"""The event log holds every pattern the metric rules must handle, with GitHub's semantics."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from simulator.model import Deployment, Org, Repo

REVERT = re.compile(r"This reverts commit ([0-9a-f]{40})\.")
PRODUCTION = re.compile(r"(?i)^(production|prod-.+)$")


def _deployments(org: Org) -> list[Deployment]:
    return [d for r in org.repos.values() for d in r.deployments]


def _successes(repo: Repo, environment: str) -> list[Deployment]:
    chain = [d for d in repo.deployments if d.environment == environment and d.succeeded]
    return sorted(chain, key=lambda d: d.finished_at)


def test_environments_match_the_default_production_rule(org: Org) -> None:
    environments = Counter(d.environment for d in _deployments(org))
    assert set(environments) == {"staging", "production", "prod-eu", "prod-us"}
    platform = org.team("platform")
    assert platform.production_environments == ["prod-eu", "prod-us"]
    for deployment in _deployments(org):
        assert deployment.production == bool(PRODUCTION.match(deployment.environment))


def test_all_three_merge_methods_with_github_merge_commit_semantics(org: Org) -> None:
    methods = Counter()
    for repo in org.repos.values():
        for pr in repo.pulls:
            if pr.merged_at is None:
                assert pr.merge_commit_sha is None
                continue
            methods[pr.merge_method] += 1
            landed = repo.commits[pr.merge_commit_sha]
            assert landed.committed_at == pr.merged_at
            if pr.merge_method == "merge":
                assert landed.parents[1] == pr.head_sha
            elif pr.merge_method == "squash":
                assert len(landed.parents) == 1 and landed.sha not in pr.commit_shas
            else:  # rebase: the last rebased copy of the last branch commit
                assert landed.original_sha == pr.head_sha
    assert min(methods.values()) > 100, methods
    states = Counter("merged" if p.merged_at else "closed" if p.closed_at else "open"
                     for r in org.repos.values() for p in r.pulls)
    assert states["closed"] > 20 and states["open"] > 5


def test_main_history_is_a_parent_chain_and_direct_pushes_exist(org: Org) -> None:
    for repo in org.repos.values():
        on_main = set()
        for sha in repo.main_history:
            # every parent of a commit on main is already on main (topological order)
            assert all(p in on_main for p in repo.commits[sha].parents)
            on_main.add(sha)
    kinds = Counter(c.kind for r in org.repos.values() for c in r.commits.values())
    assert kinds["direct"] > 50  # initial commits are 10 of them


def test_pr_commits_are_authored_before_the_pr_opens_some_days_before(org: Org) -> None:
    pulls = [p for r in org.repos.values() for p in r.pulls]
    early = 0
    for pr in pulls:
        first = org.repos[pr.repo].commits[pr.commit_shas[0]].authored_at
        assert first <= pr.created_at
        early += (pr.created_at - first).days >= 2
    assert early > 100


def test_failed_attempts_are_retried_with_the_same_sha(org: Org) -> None:
    by_id = {d.deployment_id: d for d in _deployments(org)}
    retries = [d for d in by_id.values() if d.kind == "retry"]
    assert len(retries) > 20
    for retry in retries:
        attempt = by_id[retry.retry_of]
        assert attempt.statuses[-1].state in ("failure", "error")
        assert not attempt.succeeded and attempt.sha == retry.sha
        assert attempt.created_at < retry.created_at


def test_superseded_deployments_turn_inactive(org: Org) -> None:
    for repo in org.repos.values():
        for environment in {d.environment for d in repo.deployments}:
            chain = _successes(repo, environment)
            for older, newer in pairwise(chain):
                assert older.statuses[-1].state == "inactive"
                assert older.statuses[-1].created_at == newer.finished_at


def test_rollbacks_redeploy_an_older_good_sha_right_after_the_bad_one(org: Org) -> None:
    rollbacks = [d for d in _deployments(org) if d.kind == "rollback" and d.succeeded]
    assert len(rollbacks) >= 5
    for rollback in rollbacks:
        chain = _successes(org.repos[rollback.repo], rollback.environment)
        position = chain.index(rollback)
        bad = chain[position - 1]
        assert bad.deployment_id == rollback.remediates and bad.change_failure
        assert rollback.sha == chain[position - 2].sha != bad.sha


def test_reverts_reference_a_sha_the_failed_deployment_shipped(org: Org) -> None:
    reverts = [d for d in _deployments(org) if d.kind == "revert" and d.succeeded]
    assert len(reverts) >= 5
    for remediation in reverts:
        repo = org.repos[remediation.repo]
        chain = _successes(repo, remediation.environment)
        position = chain.index(remediation)
        bad, before = chain[position - 1], chain[position - 2]
        assert bad.deployment_id == remediation.remediates
        history = repo.main_history
        change_set = history[history.index(bad.sha) + 1 : history.index(remediation.sha) + 1]
        reverted = {m for s in change_set for m in REVERT.findall(repo.commits[s].message)}
        shipped_by_bad = set(history[history.index(before.sha) + 1 : history.index(bad.sha) + 1])
        assert reverted & shipped_by_bad
        titles = [p.title for p in repo.pulls if p.kind == "revert"]
        assert all(t.startswith('Revert "') for t in titles)


def test_hotfixes_are_labelled_and_deployed_right_after_the_failure(org: Org) -> None:
    hotfixes = [d for d in _deployments(org) if d.kind == "hotfix" and d.succeeded]
    assert len(hotfixes) >= 5
    for remediation in hotfixes:
        repo = org.repos[remediation.repo]
        chain = _successes(repo, remediation.environment)
        bad = chain[chain.index(remediation) - 1]
        assert bad.deployment_id == remediation.remediates
        # the hotfix PR merged between the failure and its remediation
        fixes = [p for p in repo.pulls if p.merged_at
                 and bad.finished_at < p.merged_at < remediation.created_at]
        assert any(p.labels == ["hotfix"] and p.head_ref.startswith("hotfix/") for p in fixes)


def test_incidents_with_and_without_explicit_reference_and_unrelated(org: Org) -> None:
    incidents = [i for r in org.repos.values() for i in r.issues if i.kind == "incident"]
    by_id = {d.deployment_id: d for d in _deployments(org)}
    explicit = [i for i in incidents if i.mentions_sha]
    implicit = [i for i in incidents if i.caused_by_deployment_ids and not i.mentions_sha]
    unrelated = [i for i in incidents if not i.caused_by_deployment_ids]
    assert min(len(explicit), len(implicit), len(unrelated)) >= 10
    for incident in explicit + implicit:
        cause = by_id[incident.caused_by_deployment_ids[-1]]
        assert cause.change_failure and incident.number in cause.incident_numbers
        assert (cause.sha[:7] in incident.body) == incident.mentions_sha
        lag = incident.created_at - cause.finished_at
        assert 0 < lag.total_seconds() <= 24 * 3600
        assert "incident" in incident.labels
    labels = Counter(x for r in org.repos.values() for i in r.issues for x in i.labels)
    assert min(labels["near-miss"], labels["bug"], labels["enhancement"],
               labels["tech-debt"]) >= 20
    assert sum(len(r.releases) for r in org.repos.values()) > 50
