"""Handlers for the Actions runs list and the git refs and tags that releases point to.

GET /repos/{o}/{r}/actions/runs answers `{"total_count": N, "workflow_runs": [...]}`, newest
first, filtered by `created` (GitHub's search syntax: `D`, `>=D`, `>D`, `<=D`, `<D`, `A..B`,
`A..*`; D a date or an ISO 8601 time), `branch`, `status` (a status or a conclusion), `event`,
`head_sha`, and paged with `per_page`/`page` and `Link`. Like GitHub, at most 1,000 runs of a
query are listed, whatever the page, while `total_count` counts them all.

Releases of a repository that deploys by release are derived from its deployments
(simulator/signals.py). Tags: every release tag is lightweight (`object.type` commit) except
those of every second release, which are annotated (a tag object, followed by
GET .../git/tags/{sha}), so clients must handle both, as on GitHub.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta

from simulator.actions import WorkflowRun, workflow_runs
from simulator.api_types import Call, Document, Invalid, Listing, NotFound, newest_first
from simulator.github_json import iso
from simulator.model import Repo
from simulator.pagination import PageRequest, link_header
from simulator.signals import ServedRelease, served_releases

RESULT_CAP = 1_000


def _moment(text: str, end_of_day: bool) -> datetime:
    try:
        if "T" not in text:
            day = datetime.fromisoformat(text).date()
            return datetime.combine(day, time.max if end_of_day else time.min, UTC).replace(
                microsecond=0)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise Invalid(f"`created` has an unreadable time {text!r}.") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def created_bounds(raw: str) -> tuple[datetime | None, datetime | None]:
    """Inclusive (earliest, latest) of a `created` filter; None is open."""
    if ".." in raw:
        low, high = raw.split("..", 1)
        return (None if low == "*" else _moment(low, False),
                None if high == "*" else _moment(high, True))
    for op in (">=", "<=", ">", "<"):
        if raw.startswith(op):
            moment = _moment(raw[len(op):], op in ("<=", ">"))
            step = timedelta(seconds=1)
            return {">=": (moment, None), ">": (moment + step, None),
                    "<=": (None, moment), "<": (None, moment - step)}[op]
    return _moment(raw, False), _moment(raw, True)


def _render(call: Call, repo_name: str, run: WorkflowRun) -> dict:
    done = run.finished_at <= call.clock
    api = f"{call.render.api}/repos/{repo_name}/actions/runs/{run.run_id}"
    return {
        "id": run.run_id, "name": run.name, "node_id": f"WFR_{run.run_id}",
        "head_branch": run.head_branch, "head_sha": run.head_sha, "path": run.path,
        "display_title": run.name, "run_number": run.run_id % 100_000, "event": run.event,
        "status": "completed" if done else "in_progress",
        "conclusion": run.conclusion if done else None, "workflow_id": run.workflow_id,
        "url": api, "html_url": f"{call.render.web}/{repo_name}/actions/runs/{run.run_id}",
        "pull_requests": [], "created_at": iso(run.created_at),
        "updated_at": iso(run.finished_at if done else run.started_at),
        "actor": call.render.user(run.actor), "triggering_actor": call.render.user(run.actor),
        "run_attempt": 1, "run_started_at": iso(run.started_at),
        "jobs_url": f"{api}/jobs", "logs_url": f"{api}/logs",
    }


def actions_runs(call: Call) -> Document:
    repo = call.repo()
    runs = [r for r in workflow_runs(repo) if r.created_at <= call.clock]
    if "created" in call.args:
        low, high = created_bounds(call.args["created"])
        runs = [r for r in runs if (low is None or r.created_at >= low)
                and (high is None or r.created_at <= high)]
    for field, attribute in (("branch", "head_branch"), ("event", "event"),
                             ("head_sha", "head_sha")):
        if field in call.args:
            runs = [r for r in runs if getattr(r, attribute) == call.args[field]]
    if "status" in call.args:
        wanted = call.args["status"]

        def state(r: WorkflowRun) -> tuple[str, str | None]:
            done = r.finished_at <= call.clock
            return ("completed", r.conclusion) if done else ("in_progress", None)

        runs = [r for r in runs if wanted in state(r)]
    runs = newest_first(runs, lambda r: r.created_at, lambda r: r.run_id)
    listed = runs[:RESULT_CAP]
    page = PageRequest.from_args(call.args)
    body = {"total_count": len(runs),
            "workflow_runs": [_render(call, repo.full_name, r) for r in page.slice(listed)]}
    return Document(body, link_header(call.url, call.args, page, len(listed)))


def _tag_sha(tag_name: str) -> str:
    return hashlib.sha1(f"tag object {tag_name}".encode()).hexdigest()


def _release_of_tag(call: Call, tag_name: str) -> tuple[Repo, int, ServedRelease]:
    """The published release whose tag is `tag_name`, and its position in the repo's list."""
    repo = call.repo()
    served = served_releases(call.org, repo)
    for position, release in enumerate(served):
        if (release.tag_name == tag_name and release.published_at is not None
                and release.published_at <= call.clock):
            return repo, position, release
    raise NotFound


def releases(call: Call) -> Listing:
    """GET /repos/{o}/{r}/releases of a repository that deploys by release (the others keep
    handlers_repo's): newest first, drafts included."""
    repo = call.repo()
    items = newest_first([r for r in served_releases(call.org, repo)
                          if r.created_at <= call.clock],
                         lambda r: r.created_at, lambda r: r.release_id)
    return Listing(items, lambda r: _render_release(call, repo, r))


def _render_release(call: Call, repo: Repo, r: ServedRelease) -> dict:
    api = f"{call.render.api}/repos/{repo.full_name}/releases/{r.release_id}"
    published = r.published_at is not None and r.published_at <= call.clock
    return {
        "url": api, "assets_url": f"{api}/assets",
        "html_url": f"{call.render.web}/{repo.full_name}/releases/tag/{r.tag_name}",
        "id": r.release_id, "node_id": f"RE_{r.release_id}", "tag_name": r.tag_name,
        "target_commitish": repo.default_branch, "name": r.name, "draft": not published,
        "prerelease": r.prerelease, "immutable": False, "author": call.render.user(r.author_login),
        "created_at": iso(r.created_at), "published_at": iso(r.published_at) if published else None,
        "assets": [], "body": f"Release {r.tag_name}",
        "tarball_url": f"{call.render.api}/repos/{repo.full_name}/tarball/{r.tag_name}",
        "zipball_url": f"{call.render.api}/repos/{repo.full_name}/zipball/{r.tag_name}",
    }


def git_ref(call: Call) -> Document:
    """GET /repos/{o}/{r}/git/ref/tags/{tag}."""
    repo, position, release = _release_of_tag(call, call.values["tag"])
    annotated = position % 2 == 1
    api = f"{call.render.api}/repos/{repo.full_name}/git"
    target = ({"type": "tag", "sha": _tag_sha(release.tag_name),
               "url": f"{api}/tags/{_tag_sha(release.tag_name)}"} if annotated else
              {"type": "commit", "sha": release.target_sha,
               "url": f"{api}/commits/{release.target_sha}"})
    return Document({"ref": f"refs/tags/{release.tag_name}", "node_id": f"REF_{release.release_id}",
                     "url": f"{api}/refs/tags/{release.tag_name}", "object": target})


def git_tag(call: Call) -> Document:
    """GET /repos/{o}/{r}/git/tags/{sha}: the annotated tag object of a release tag."""
    repo = call.repo()
    release = next((r for r in served_releases(call.org, repo)
                    if _tag_sha(r.tag_name) == call.values["sha"] and r.published_at is not None
                    and r.published_at <= call.clock), None)
    if release is None:
        raise NotFound
    api = f"{call.render.api}/repos/{repo.full_name}/git"
    return Document({"sha": call.values["sha"], "tag": release.tag_name,
                     "message": f"Release {release.tag_name}\n",
                     "object": {"type": "commit", "sha": release.target_sha,
                                "url": f"{api}/commits/{release.target_sha}"}})


HANDLERS = {"actions_runs": actions_runs, "git_ref": git_ref, "git_tag": git_tag}
