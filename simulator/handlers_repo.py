"""Handlers for the org, users, repositories, deployments and releases."""

from __future__ import annotations

from simulator import handlers_signals
from simulator.api_types import Call, Document, Listing, NotFound, newest_first
from simulator.signals import deployment_signal


def org(call: Call) -> Document:
    if call.values["org"] != call.org.name:
        raise NotFound
    return Document(call.render.organization())


def org_repos(call: Call) -> Listing:
    if call.values["org"] != call.org.name:
        raise NotFound
    repos = sorted(call.org.repos.values(), key=lambda r: r.full_name)
    return Listing(repos, call.render.repo)


def user(call: Call) -> Document:
    if call.values["login"] not in call.org.people:
        raise NotFound
    return Document(call.render.user(call.values["login"]))


def repo(call: Call) -> Document:
    return Document(call.render.repo(call.repo()))


def deployments(call: Call) -> Listing:
    repo = call.repo()
    items = [d for d in repo.deployments if d.created_at <= call.clock]
    for field in ("sha", "ref", "task", "environment"):
        if field in call.args:
            items = [d for d in items if getattr(d, field) == call.args[field]]
    items = newest_first(items, lambda d: d.created_at, lambda d: d.deployment_id)
    return Listing(items, lambda d: call.render.deployment(repo, d, call.clock))


def _deployment(call: Call):
    repo = call.repo()
    found = next((d for d in repo.deployments if d.deployment_id == call.values["deployment_id"]
                  and d.created_at <= call.clock), None)
    if found is None:
        raise NotFound
    return repo, found


def deployment(call: Call) -> Document:
    repo, found = _deployment(call)
    return Document(call.render.deployment(repo, found, call.clock))


def deployment_statuses(call: Call) -> Listing:
    repo, found = _deployment(call)
    items = newest_first([s for s in found.statuses if s.created_at <= call.clock],
                          lambda s: s.created_at, lambda s: s.status_id)
    return Listing(items, lambda s: call.render.deployment_status(repo, found, s))


def releases(call: Call) -> Listing:
    repo = call.repo()
    if deployment_signal(call.org, repo) == "release":
        return handlers_signals.releases(call)
    items = newest_first([r for r in repo.releases if r.created_at <= call.clock],
                          lambda r: r.created_at, lambda r: r.release_id)
    return Listing(items, lambda r: call.render.release(repo, r, call.clock))


HANDLERS = {
    "org": org, "org_repos": org_repos, "user": user, "repo": repo,
    "deployments": deployments, "deployment": deployment,
    "deployment_statuses": deployment_statuses, "releases": releases,
}
