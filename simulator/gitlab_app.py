"""The WSGI application of the simulated GitLab REST API v4 (simulator/gitlab_world.py).

Per request, in order: authentication (`PRIVATE-TOKEN`, or `Authorization: Bearer`; else
401), an injected fault (`faults`: a status, a dropped connection or a truncated body), the rate
limit (429 with `Retry-After`), routing (404), the handler (400 for a bad parameter). Every
answer carries GitLab's `RateLimit-*` headers and a `Date` saying the simulated clock, before
which everything is hidden. Routes are matched on the raw request path, so a project named by
its URL-encoded path (`/projects/acme%2Fweb/...`, python-gitlab's way) is one path segment.

Every list is offset-paginated as GitLab's: `page`, `per_page` (default 20, at most 100), the
`x-*` page headers and a `Link` with next, prev, first and last; above 10,000 results the totals
and `rel="last"` are left out, as GitLab leaves them out.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from werkzeug.http import http_date
from werkzeug.wrappers import Request, Response

from simulator.faults import FaultInjector, break_connection
from simulator.gitlab_json import (
    GitLabJson,
    MergeRequestView,
    deployment_at,
    issue_updated_at,
    merge_request_at,
)
from simulator.gitlab_world import GitLabWorld
from simulator.model import PullRequest, Repo
from simulator.ratelimit import RateLimiter

API = "/api/v4"
DEFAULT_PER_PAGE, MAX_PER_PAGE = 20, 100
TOTALS_CAP = 10_000  # above it GitLab omits x-total, x-total-pages and rel="last"
RETRY_AFTER_S = 1
VERSION = {"version": "17.11.0", "revision": "sandbox"}
DEPLOYMENT_STATUSES = ("created", "running", "success", "failed", "canceled", "blocked")

# (path segments after /api/v4, endpoint); ":project" is a project id or path, ":n" a number
ROUTES: list[tuple[tuple[str, ...], str]] = [
    (("version",), "version"),
    (("user",), "user"),
    (("projects", ":project"), "project"),
    (("projects", ":project", "deployments"), "deployments"),
    (("projects", ":project", "deployments", ":n"), "deployment"),
    (("projects", ":project", "deployments", ":n", "merge_requests"), "deployment_mrs"),
    (("projects", ":project", "merge_requests"), "merge_requests"),
    (("projects", ":project", "merge_requests", ":n"), "merge_request"),
    (("projects", ":project", "merge_requests", ":n", "commits"), "mr_commits"),
    (("projects", ":project", "merge_requests", ":n", "notes"), "mr_notes"),
    (("projects", ":project", "issues"), "issues"),
    (("projects", ":project", "repository", "compare"), "compare"),
]


class BadRequest(Exception):
    """A 400 with GitLab's parameter error body `{"error": ...}`."""


class NotFound(Exception):
    """A 404 with the given GitLab message."""


@dataclass(frozen=True)
class Page:
    """A list answer: every matching item in order, and how to render one."""

    items: list[Any]
    render: Callable[[Any], dict[str, Any]]


@dataclass
class GitLabState:
    world: GitLabWorld
    token: str
    base_url: str
    clock: datetime
    limiter: RateLimiter
    faults: FaultInjector = field(default_factory=FaultInjector)
    requests: list[str] = field(default_factory=list)  # path?query of every answered request


@dataclass(frozen=True)
class Call:
    """One routed request: its query, raw path, project (if any) and number (if any)."""

    request: Request
    raw_path: str
    repo: Repo | None
    number: int | None
    render: GitLabJson

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.request.args.get(name, default)

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.arg(name, default) or default
        if value not in allowed:
            raise BadRequest(f"{name} does not have a valid value")
        return value

    def time(self, name: str) -> datetime | None:
        text = self.arg(name)
        if not text:
            return None
        try:  # a `+` sent unencoded arrives as a space
            value = datetime.fromisoformat(text.replace(" ", "+").replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{name} is invalid") from None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers or {},
                    content_type="application/json")


def _message(status: int, text: str | None = None) -> Response:
    return _json(status, {"message": f"{status} {text or HTTPStatus(status).phrase}"})


def _within(moment: datetime, after: datetime | None, before: datetime | None) -> bool:
    """`updated_after` is inclusive, `updated_before` exclusive."""
    return (after is None or moment >= after) and (before is None or moment < before)


def _ordered(items: list[Any], key: Callable[[Any], Any], ident: Callable[[Any], int],
             sort: str) -> list[Any]:
    """Sorted by (key, id); nulls last ascending and first descending (PostgreSQL's way)."""
    def rank(item: Any) -> tuple[bool, Any, int]:
        value = key(item)
        return (value is None, 0 if value is None else value, ident(item))

    chosen = sorted(items, key=rank)
    return chosen[::-1] if sort == "desc" else chosen


class GitLabApp:
    def __init__(self, state: GitLabState) -> None:
        self.state = state
        self.handlers: dict[str, Callable[[Call], Any]] = {
            "version": lambda call: VERSION,
            "user": lambda call: call.render.current_user(),
            "project": lambda call: call.render.project(call.repo),
            "deployments": self.deployments, "deployment": self.deployment,
            "deployment_mrs": self.deployment_mrs, "merge_requests": self.merge_requests,
            "merge_request": self.merge_request, "mr_commits": self.mr_commits,
            "mr_notes": self.mr_notes, "issues": self.issues, "compare": self.compare,
        }

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        if self.state.faults.latency_ms:
            time.sleep(self.state.faults.latency_ms / 1000)
        request = Request(environ)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
        if raw.startswith(("http://", "https://")):  # an absolute request target
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        response, fault = self._answer(request, raw)
        response.headers["Date"] = http_date(self.state.clock)  # the simulated clock
        self._rate_headers(response)
        break_connection(fault, environ, response)
        return response(environ, start_response)

    # ------------------------------------------------------------------------------ plumbing
    def _answer(self, request: Request, raw: str) -> tuple[Response, int | str | None]:
        state = self.state
        bearer = request.headers.get("Authorization", "")
        if state.token not in (request.headers.get("PRIVATE-TOKEN"),
                               bearer.removeprefix("Bearer ").strip() or None):
            return _message(401), None
        fault = state.faults.next_fault()
        if fault == 429:
            return _json(429, {"message": "429 Too Many Requests"},
                         {"Retry-After": str(RETRY_AFTER_S), "RateLimit-Remaining": "0"}), fault
        if fault is None and not state.limiter.try_consume():
            # the budget is spent: the wait GitLab asks for is until its window rolls over
            reset = int(state.limiter.headers()["x-ratelimit-reset"])
            wait = max(reset - math.floor(time.time()), RETRY_AFTER_S)
            return _json(429, {"message": "429 Too Many Requests"},
                         {"Retry-After": str(wait), "RateLimit-Remaining": "0",
                          "RateLimit-Reset": str(reset)}), fault
        if isinstance(fault, int):
            return _message(fault), fault
        raw_path = raw.split("?", 1)[0]
        try:
            endpoint, repo, number = self._route(raw_path)
            call = Call(request, raw_path, repo, number, GitLabJson(state.world, state.base_url))
            answer = self.handlers[endpoint](call)
        except BadRequest as problem:
            return _json(400, {"error": str(problem)}), fault
        except NotFound as missing:
            return _json(404, {"message": f"404 {missing}"}), fault
        headers: dict[str, str] = {}
        if isinstance(answer, Page):
            answer = self._page(call, answer, headers)
        state.requests.append(raw)
        return _json(200, answer, headers), fault

    def _route(self, raw_path: str) -> tuple[str, Repo | None, int | None]:
        if not raw_path.startswith(f"{API}/"):
            raise NotFound("Not found")
        segments = [unquote(s) for s in raw_path[len(API) + 1:].strip("/").split("/")]
        for pattern, endpoint in ROUTES:
            if len(pattern) != len(segments):
                continue
            values: dict[str, str] = {}
            for want, got in zip(pattern, segments, strict=True):
                if want.startswith(":"):
                    values[want] = got
                elif want != got:
                    break
            else:
                if not values.get(":n", "0").isdigit():
                    continue
                repo = None
                if ":project" in values:
                    try:
                        repo = self.state.world.project(values[":project"])
                    except LookupError:
                        raise NotFound("Project Not Found") from None
                number = int(values[":n"]) if ":n" in values else None
                return endpoint, repo, number
        raise NotFound("Not found")

    def _rate_headers(self, response: Response) -> None:
        headers = self.state.limiter.headers()
        response.headers.setdefault("RateLimit-Remaining", headers["x-ratelimit-remaining"])
        response.headers["RateLimit-Limit"] = headers["x-ratelimit-limit"]
        response.headers["RateLimit-Observed"] = headers["x-ratelimit-used"]
        response.headers["RateLimit-Reset"] = headers["x-ratelimit-reset"]  # epoch seconds
        response.headers["RateLimit-Name"] = "throttle_authenticated_api"

    def _page(self, call: Call, page: Page, headers: dict[str, str]) -> list[dict[str, Any]]:
        """The requested page of `page.items`, with GitLab's page headers and Link."""
        def number(name: str, default: int) -> int:
            text = call.arg(name, "")
            return int(text) if text and text.isdigit() and int(text) > 0 else default

        current = number("page", 1)
        per_page = min(number("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        total = len(page.items)
        last = max(1, -(-total // per_page))
        chosen = page.items[(current - 1) * per_page: current * per_page]
        headers.update({"x-page": str(current), "x-per-page": str(per_page),
                        "x-next-page": str(current + 1) if current < last else "",
                        "x-prev-page": str(current - 1) if current > 1 else ""})
        counted = total <= TOTALS_CAP
        if counted:
            headers.update({"x-total": str(total), "x-total-pages": str(last)})
        others = [(k, v) for k, v in call.request.args.items(multi=True)
                  if k not in ("page", "per_page")]

        def link(target: int, rel: str) -> str:
            query = urlencode([*others, ("page", target), ("per_page", per_page)])
            return f'<{self.state.base_url}{call.raw_path}?{query}>; rel="{rel}"'

        links = []
        if current > 1:
            links.append(link(min(current - 1, last), "prev"))
        if current < last:
            links.append(link(current + 1, "next"))
        links.append(link(1, "first"))
        if counted:
            links.append(link(last, "last"))
        headers["Link"] = ", ".join(links)
        return [page.render(item) for item in chosen]

    # ------------------------------------------------------------------------------ deployments
    def _deployments(self, call: Call) -> list[Any]:
        clock = self.state.clock
        return [deployment_at(d, clock) for d in call.repo.deployments if d.created_at <= clock]

    def deployments(self, call: Call) -> Page:
        world, repo = self.state.world, call.repo
        after, before = call.time("updated_after"), call.time("updated_before")
        environment = call.arg("environment")
        status = call.arg("status")
        if status is not None and status not in DEPLOYMENT_STATUSES:
            raise BadRequest("status does not have a valid value")
        keys: dict[str, Callable[[Any], Any]] = {
            "id": lambda v: v.deployment.deployment_id,
            "iid": lambda v: world.deployment_iid(repo, v.deployment.deployment_id),
            "created_at": lambda v: v.deployment.created_at,
            "updated_at": lambda v: v.updated_at, "finished_at": lambda v: v.finished_at,
            "ref": lambda v: v.deployment.ref}
        order_by = call.choice("order_by", tuple(keys), "id")
        sort = call.choice("sort", ("asc", "desc"), "asc")
        views = [v for v in self._deployments(call)
                 if _within(v.updated_at, after, before)
                 and (environment is None or v.deployment.environment == environment)
                 and (status is None or v.status == status)]
        ordered = _ordered(views, keys[order_by], keys["id"], sort)
        return Page(ordered, lambda v: call.render.deployment(repo, v))

    def deployment(self, call: Call) -> dict[str, Any]:
        return call.render.deployment(call.repo, self._one_deployment(call))

    def _one_deployment(self, call: Call) -> Any:
        for view in self._deployments(call):
            if view.deployment.deployment_id == call.number:
                return view
        raise NotFound("Not found")

    def deployment_mrs(self, call: Call) -> Page:
        deployment = self._one_deployment(call).deployment
        shipped = self.state.world.merge_requests_of(call.repo, deployment, self.state.clock)
        return self._merge_request_page(call, shipped)

    # ------------------------------------------------------------------------------ merge requests
    def merge_requests(self, call: Call) -> Page:
        clock = self.state.clock
        return self._merge_request_page(
            call, [pr for pr in call.repo.pulls if pr.created_at <= clock])

    def _merge_request_page(self, call: Call, pulls: list[PullRequest]) -> Page:
        repo, clock = call.repo, self.state.clock
        state = call.choice("state", ("opened", "closed", "merged", "locked", "all"), "all")
        after, before = call.time("updated_after"), call.time("updated_before")
        order_by = call.choice("order_by", ("created_at", "updated_at"), "created_at")
        sort = call.choice("sort", ("asc", "desc"), "desc")
        views = [merge_request_at(repo, pr, clock) for pr in pulls]
        chosen = [v for v in views
                  if state in ("all", v.state) and _within(v.updated_at, after, before)]
        key = {"created_at": lambda v: v.pr.created_at, "updated_at": lambda v: v.updated_at}
        ordered = _ordered(chosen, key[order_by], lambda v: v.pr.pr_id, sort)
        return Page(ordered, lambda v: call.render.merge_request(repo, v))

    def _one_merge_request(self, call: Call) -> MergeRequestView:
        for pr in call.repo.pulls:
            if pr.number == call.number and pr.created_at <= self.state.clock:
                return merge_request_at(call.repo, pr, self.state.clock)
        raise NotFound("Not found")

    def merge_request(self, call: Call) -> dict[str, Any]:
        return call.render.merge_request(call.repo, self._one_merge_request(call))

    def mr_commits(self, call: Call) -> Page:
        view, repo = self._one_merge_request(call), call.repo
        return Page([repo.commits[sha] for sha in reversed(view.commits)],  # newest first
                    lambda commit: call.render.commit(repo, commit))

    def mr_notes(self, call: Call) -> Page:
        call.choice("order_by", ("created_at", "updated_at"), "created_at")  # equal here
        sort = call.choice("sort", ("asc", "desc"), "desc")
        notes = call.render.notes(self._one_merge_request(call), self.state.clock)
        return Page(notes[::-1] if sort == "desc" else notes, lambda note: note)

    # ------------------------------------------------------------------------------ issues
    def issues(self, call: Call) -> Page:
        repo, clock = call.repo, self.state.clock
        state = call.choice("state", ("opened", "closed", "all"), "all")
        kind = call.arg("issue_type")
        if kind is not None and kind not in ("issue", "incident", "test_case", "task"):
            raise BadRequest("issue_type does not have a valid value")
        wanted = {label.strip() for label in (call.arg("labels") or "").split(",") if label}
        after, before = call.time("updated_after"), call.time("updated_before")
        order_by = call.choice("order_by", ("created_at", "updated_at"), "created_at")
        sort = call.choice("sort", ("asc", "desc"), "desc")
        chosen = []
        for issue in (i for i in repo.issues if i.created_at <= clock):
            body = call.render.issue(repo, issue, clock)
            if (state in ("all", body["state"]) and kind in (None, body["issue_type"])
                    and wanted <= set(body["labels"])
                    and _within(issue_updated_at(issue, clock), after, before)):
                chosen.append(issue)
        key = {"created_at": lambda i: i.created_at,
               "updated_at": lambda i: issue_updated_at(i, clock)}
        ordered = _ordered(chosen, key[order_by], lambda i: i.issue_id, sort)
        return Page(ordered, lambda issue: call.render.issue(repo, issue, clock))

    # ------------------------------------------------------------------------------ compare
    def compare(self, call: Call) -> dict[str, Any]:
        repo, clock = call.repo, self.state.clock
        graph = self.state.world.graph(repo)
        refs = []
        for name in ("from", "to"):
            ref = call.arg(name)
            if not ref:
                raise BadRequest(f"{name} is missing")
            sha = graph.resolve(ref, clock)
            if sha is None:
                raise NotFound("Ref Not Found")
            refs.append((ref, sha))
        (base_ref, base), (head_ref, head) = refs
        commits = [call.render.commit(repo, repo.commits[sha])
                   for sha in graph.compare(base, head).commits]
        return {"commit": commits[-1] if commits else None, "commits": commits, "diffs": [],
                "compare_timeout": False, "compare_same_ref": base_ref == head_ref,
                "web_url": f"{call.render.web}/{repo.full_name}/-/compare/"
                           f"{base_ref}...{head_ref}"}
