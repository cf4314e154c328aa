"""Deployments from releases, over real HTTP against the simulated GitHub.

Truth comes from the simulator: `served_releases` (simulator/signals.py) is what the releases
endpoint shows, with each release's `target_sha`; tags of every second release are annotated,
so both ways of resolving a tag are exercised. A release repo's published, non-prerelease
releases with a `v1.N.0` tag are its successful production deployments.
"""

from __future__ import annotations

import pytest

from connectors.github.client import GitHubClientSettings
from connectors.github.signals import RepoSignal
from connectors.github.sync import sync_repos
from simulator.generator import generate_org
from simulator.server import SandboxServer
from simulator.signals import RELEASE_TAG_REGEX, deployment_signal, served_releases

RELEASE = RepoSignal(signal="release", tag_regex=RELEASE_TAG_REGEX)


@pytest.fixture(scope="module")
def org():
    # 3 teams, 3 months: the third team's first repo deploys by release.
    return generate_org(seed=5, teams=3, months=3)


@pytest.fixture
def server(org):
    with SandboxServer(org) as srv:
        yield srv


def sync(srv, repos, cursors=None):
    client = GitHubClientSettings(token=srv.token, base_url=srv.base_url, backoff_factor=0.01)
    return list(sync_repos(client, [(name, RELEASE) for name in repos], cursors or {}))


def test_release_tags_resolve_to_the_released_commit(server, org):
    batches = sync(server, list(org.repos))
    resolved = 0
    for batch in batches:
        truth = {r.release_id: r for r in served_releases(org, org.repos[batch.repo])}
        assert {r.release_id for r in batch.releases} == set(truth)
        for release in batch.releases:
            if release.sha is not None:  # lightweight or annotated, the tag's commit
                assert release.sha == truth[release.release_id].target_sha
                resolved += 1
    assert resolved > 2


def test_a_release_repo_deploys_its_published_versions_only(server, org):
    name = next(n for n, r in org.repos.items() if deployment_signal(org, r) == "release")
    repo = org.repos[name]
    (batch,) = sync(server, [name])
    # by the simulator's construction: one v1.N.0 release per successful production deployment
    versions = [d for d in repo.deployments if d.production and d.finished_at is not None]
    candidates = [r for r in batch.releases if r.sha is not None]
    assert sorted(r.release_id for r in candidates) == sorted(d.deployment_id for d in versions)
    assert {r.sha for r in candidates} == {d.sha for d in versions}
    # prereleases, docs-N tags and the draft are stored but not resolved
    others = [r for r in batch.releases if r.sha is None]
    assert any(r.prerelease for r in others) and any(r.draft for r in others)
    assert any(r.tag_name.startswith("docs-") for r in others)
    # one compare per release after the first, in publication order
    assert len(batch.deployment_compares) == len(candidates) - 1

    # The next sync sends the list's ETag: answered 304, no tag is resolved again.
    cursors = {(c.scope, c.resource): c for c in batch.cursors}
    (again,) = sync(server, [name], cursors)
    assert again.releases == [] and again.deployment_compares == []
    assert again.not_modified >= 1
