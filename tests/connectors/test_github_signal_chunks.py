"""Workflow-run and release deployment passes commit in chunks and resume from any of them.

A large repository's signal pass (tag resolutions, one compare per deployment) can need more
requests than a rate-limit window holds, so it checkpoints every `CHUNK_DEPLOYMENTS` (2 here)
tags or change sets. Whichever chunk a run stops after, a sync from that chunk's cursor must
end where one uninterrupted sync ends: the same runs or releases, change sets and cursor.
Truth is the uninterrupted sync of the same simulated repository, not the resumed runs.
"""

from __future__ import annotations

import json

import pytest

from connectors.github.client import GitHubClientSettings, make_github
from connectors.github.signals import RepoSignal
from connectors.github.sync import sync_repo, sync_repo_chunks
from simulator.generator import generate_org
from simulator.server import SandboxServer
from simulator.signals import RELEASE_TAG_REGEX, deployment_signal

DEPLOY = RepoSignal(signal="workflow", workflow_regex=r"^Deploy production$", branch="main")
RELEASE = RepoSignal(signal="release", tag_regex=RELEASE_TAG_REGEX)
KEYS = {
    "workflow_runs": ("run_id",),
    "releases": ("release_id",),
    "deployment_compares": ("deployment_id",),
    "deployment_commits": ("deployment_id", "sha"),
}


@pytest.fixture(scope="module")
def org():
    # 3 teams, 3 months: the third team's first repo deploys by release (simulator/signals.py)
    return generate_org(seed=5, teams=3, months=3)


def cases(org):
    release_repo = next(n for n, r in org.repos.items() if deployment_signal(org, r) == "release")
    workflow_repo = next(n for n, r in sorted(org.repos.items())
                         if "production" in r.production_environments and n != release_repo)
    return {"release": (release_repo, RELEASE), "workflow": (workflow_repo, DEPLOY)}


def records(batches) -> dict[str, dict[tuple, object]]:
    """Every signal record of `batches`, by key; a later copy replaces an earlier one, as the
    warehouse's upsert does."""
    out: dict[str, dict[tuple, object]] = {table: {} for table in KEYS}
    for batch in batches:
        for table, key in KEYS.items():
            for record in getattr(batch, table):
                out[table][tuple(getattr(record, k) for k in key)] = record
    return out


def deployments_cursor(batch) -> dict:
    (cursor,) = [c for c in batch.cursors if c.resource == "deployments"]
    return json.loads(cursor.cursor)


@pytest.mark.parametrize("signal", ["release", "workflow"])
def test_a_signal_pass_stopped_after_any_chunk_resumes_to_the_uninterrupted_result(
        org, signal, monkeypatch):
    for module in ("workflow_runs", "releases"):
        monkeypatch.setattr(f"connectors.github.{module}.CHUNK_DEPLOYMENTS", 2)
    repo, rule = cases(org)[signal]
    with SandboxServer(org) as server:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url,
                                        backoff_factor=0.01)
        gh = make_github(settings)
        try:
            whole = sync_repo(gh, repo, {}, rule)
            chunks = []
            sync_repo_chunks(gh, repo, {}, rule, chunks.append, resources=("deployments",))
            stops = [i for i, chunk in enumerate(chunks) if "deployments" in chunk.unfinished]
            assert len(stops) >= 2  # the pass really was committed in several chunks
            for stop in stops:
                (cursor,) = chunks[stop].cursors
                resumed = sync_repo(gh, repo, {"deployments": cursor}, rule)
                assert records([*chunks[:stop + 1], resumed]) == records([whole]), stop
                assert deployments_cursor(resumed) == deployments_cursor(whole), stop
        finally:
            gh.close()
    assert records([whole])["deployment_compares"]  # change sets were part of the pass
