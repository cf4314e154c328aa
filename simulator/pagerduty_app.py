"""The WSGI application of the simulated PagerDuty REST API v2 (simulator/pagerduty_world.py).

Per request, in order: authentication (`Authorization: Token token=...`, else 401), an injected
fault (`faults`: a status or a dropped connection), the rate limit (429 with PagerDuty's
`ratelimit-*` headers and `Retry-After`), routing (404), the handler. The answers follow
PagerDuty's shapes (api-examples/pagerduty/): classic pagination with `limit` (at most 100),
`offset`, `more` and `total` (only with `total=true`); `offset + limit` past 10,000 is refused
as PagerDuty refuses it; `since`/`until` filter on creation time, span at most six months
(an error beyond, as PagerDuty's), and default to the month before the clock. The clock hides
everything after it, so an incident open at one sync can be resolved at the next.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from simulator.faults import FaultInjector
from simulator.pagerduty_world import PagerDutyWorld, PdIncident, PdLogEntry, PdService
from simulator.ratelimit import RateLimiter

ITERATION_LIMIT = 10_000  # offset + limit may not pass it (PagerDuty's classic pagination cap)
MAX_RANGE = timedelta(days=184)  # "Maximum range is 6 months": the longest six months
DEFAULT_RANGE = timedelta(days=30)
RETRY_AFTER_S = 1  # what a 429 asks the client to wait (PagerDuty's window is a minute)

URL_MAP = Map([
    Rule("/services", endpoint="services"),
    Rule("/teams", endpoint="teams"),
    Rule("/incidents", endpoint="incidents"),
    Rule("/incidents/<incident_id>", endpoint="incident"),
    Rule("/incidents/<incident_id>/log_entries", endpoint="incident_log_entries"),
    Rule("/log_entries", endpoint="log_entries"),
])


class InvalidInput(Exception):
    """A 400 with PagerDuty's error body (code 2001, Invalid Input Provided)."""


@dataclass
class PagerDutyState:
    world: PagerDutyWorld
    token: str
    base_url: str
    clock: datetime
    limiter: RateLimiter
    faults: FaultInjector = field(default_factory=FaultInjector)
    requests: list[str] = field(default_factory=list)  # path?query of every answered request


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(name: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name} is not a valid date") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class PagerDutyApp:
    def __init__(self, state: PagerDutyState) -> None:
        self.state = state
        self.handlers: dict[str, Callable[[Request, dict[str, str]], dict[str, Any]]] = {
            "services": self.services, "teams": self.teams, "incidents": self.incidents,
            "incident": self.incident, "incident_log_entries": self.incident_log_entries,
            "log_entries": self.log_entries,
        }

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        return self.answer(Request(environ))(environ, start_response)

    # ------------------------------------------------------------------------------ plumbing
    def answer(self, request: Request) -> Response:
        response = self._answer(request)
        response.headers["Date"] = http_date(self.state.clock)  # the simulated clock
        return response

    def _answer(self, request: Request) -> Response:
        state = self.state
        if request.headers.get("Authorization") != f"Token token={state.token}":
            return _error(401, 2006, "Authentication failed")
        fault = state.faults.next_fault()
        if fault in ("drop", "truncate"):  # both end the connection without a whole answer
            raise ConnectionResetError("fault injection: connection dropped")
        if fault == 429 or (fault is None and not state.limiter.try_consume()):
            response = _error(429, 2020, "Rate Limit Exceeded")
            response.headers["Retry-After"] = str(RETRY_AFTER_S)
            return self._rate_headers(response, remaining=0)
        if isinstance(fault, int):
            return _error(fault, 2000, "An unexpected error occurred")
        adapter = URL_MAP.bind("localhost")
        try:
            endpoint, args = adapter.match(request.path, method=request.method)
        except HTTPException:  # no such route, or not a GET
            return _error(404, 2100, "Not Found")
        try:
            body = self.handlers[endpoint](request, args)
        except InvalidInput as problem:
            return _error(400, 2001, "Invalid Input Provided", [str(problem)])
        except LookupError:
            return _error(404, 2100, "Not Found")
        state.requests.append(request.full_path)
        response = Response(json.dumps(body), content_type="application/json")
        return self._rate_headers(response)


    def _rate_headers(self, response: Response, remaining: int | None = None) -> Response:
        limiter = self.state.limiter
        headers = limiter.headers()
        response.headers["ratelimit-limit"] = headers["x-ratelimit-limit"]
        response.headers["ratelimit-remaining"] = (
            str(remaining) if remaining is not None else headers["x-ratelimit-remaining"])
        response.headers["ratelimit-reset"] = str(
            max(math.ceil(int(headers["x-ratelimit-reset"]) - time.time()), 0))
        return response

    def _ref(self, kind: str, item_id: str, summary: str) -> dict[str, Any]:
        collection = {"service": "services", "team": "teams", "user": "users",
                      "incident": "incidents"}.get(kind, kind + "s")
        return {"id": item_id, "type": f"{kind}_reference", "summary": summary,
                "self": f"{self.state.base_url}/{collection}/{item_id}",
                "html_url": f"https://acme.pagerduty.com/{collection}/{item_id}"}

    # ------------------------------------------------------------------------------ listing
    def _page(self, request: Request, wrapper: str, items: list[Any],
              render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        try:
            limit = int(request.args.get("limit", 25))
            offset = int(request.args.get("offset", 0))
        except ValueError:
            raise InvalidInput("limit and offset must be integers") from None
        limit = max(1, min(limit, 100))
        if offset < 0 or offset + limit > ITERATION_LIMIT:
            raise InvalidInput(f"Offset must be at most {ITERATION_LIMIT - limit} for a limit "
                               f"of {limit} (offset + limit may not exceed {ITERATION_LIMIT})")
        page = items[offset:offset + limit]
        want_total = request.args.get("total", "false").lower() == "true"
        return {wrapper: [render(item) for item in page], "limit": limit, "offset": offset,
                "more": offset + len(page) < len(items),
                "total": len(items) if want_total else None}

    def _window(self, request: Request) -> tuple[datetime, datetime] | None:
        if request.args.get("date_range") == "all":
            return None
        clock = self.state.clock
        until = _parse_time("until", request.args["until"]) if "until" in request.args \
            else clock
        since = _parse_time("since", request.args["since"]) if "since" in request.args \
            else until - DEFAULT_RANGE
        if until < since:
            raise InvalidInput("until must be after since")
        if until - since > MAX_RANGE:
            raise InvalidInput("Date range cannot exceed 6 months (since to until)")
        return since, until

    def _visible(self) -> list[PdIncident]:
        clock = self.state.clock
        return [i for i in self.state.world.incidents if i.created_at <= clock]

    # ------------------------------------------------------------------------------ handlers
    def services(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        return self._page(request, "services", self.state.world.services, self._service)

    def teams(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        return self._page(request, "teams", self.state.world.teams,
                          lambda t: {**self._ref("team", t.team_id, t.name), "type": "team",
                                     "name": t.name, "description": None})

    def incidents(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        window = self._window(request)
        services = set(request.args.getlist("service_ids[]"))
        statuses = set(request.args.getlist("statuses[]"))
        urgencies = set(request.args.getlist("urgencies[]"))
        chosen = []
        for incident in self._visible():
            if window and not window[0] <= incident.created_at < window[1]:
                continue
            if services and incident.service_id not in services:
                continue
            if urgencies and incident.urgency not in urgencies:
                continue
            if statuses and self._status(incident)[0] not in statuses:
                continue
            chosen.append(incident)
        return self._page(request, "incidents", chosen, self._incident)

    def incident(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        return {"incident": self._incident(self._find(args["incident_id"]))}

    def incident_log_entries(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        incident = self._find(args["incident_id"])
        entries = [e for e in incident.log if e.created_at <= self.state.clock]
        return self._page(request, "log_entries", sorted(entries, key=_newest_first),
                          lambda e: self._log_entry(incident, e))

    def log_entries(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        window = self._window(request)
        clock = self.state.clock
        entries = [(incident, entry) for incident in self._visible() for entry in incident.log
                   if entry.created_at <= clock
                   and (window is None or window[0] <= entry.created_at < window[1])]
        entries.sort(key=lambda pair: _newest_first(pair[1]))
        return self._page(request, "log_entries", entries, lambda p: self._log_entry(*p))

    def _find(self, incident_id: str) -> PdIncident:
        for incident in self._visible():
            if incident.incident_id == incident_id:
                return incident
        raise LookupError(incident_id)

    # ------------------------------------------------------------------------------ rendering
    def _status(self, incident: PdIncident) -> tuple[str, PdLogEntry]:
        """(status, the entry that set it) at the clock."""
        status, last = "triggered", incident.log[0]
        for entry in incident.log:
            if entry.created_at > self.state.clock:
                break
            if entry.kind in ("acknowledge", "resolve"):
                status, last = {"acknowledge": "acknowledged", "resolve": "resolved"}[
                    entry.kind], entry
        return status, last

    def _service(self, service: PdService) -> dict[str, Any]:
        world = self.state.world
        teams = [t for t in world.teams if t.team_id == service.team_id]
        return {**self._ref("service", service.service_id, service.name), "type": "service",
                "name": service.name, "status": "active", "created_at": _time(service.created_at),
                "teams": [self._ref("team", t.team_id, t.name) for t in teams]}

    def _incident(self, incident: PdIncident) -> dict[str, Any]:
        world = self.state.world
        service = next(s for s in world.services if s.service_id == incident.service_id)
        status, last = self._status(incident)
        visible = [e for e in incident.log if e.created_at <= self.state.clock]
        trigger = incident.log[0]
        body: dict[str, Any] = {
            **self._ref("incident", incident.incident_id, f"[#{incident.number}] "
                        f"{incident.title}"),
            "type": "incident", "incident_number": incident.number, "title": incident.title,
            "created_at": _time(incident.created_at), "updated_at": _time(visible[-1].created_at),
            "status": status, "incident_key": incident.incident_key,
            "service": self._ref("service", service.service_id, service.name),
            "assignments": [], "last_status_change_at": _time(last.created_at),
            "first_trigger_log_entry": {**self._ref("log_entry", trigger.entry_id,
                                                    "Triggered"),
                                        "type": "trigger_log_entry_reference"},
            "urgency": incident.urgency,
            "priority": None if incident.priority is None else {
                **self._ref("priority", f"PRI{incident.priority}", incident.priority),
                "name": incident.priority},
            "teams": [self._ref("team", t.team_id, t.name) for t in world.teams
                      if t.team_id == service.team_id],
            "incident_type": {"name": "incident_default"},
        }
        if not incident.legacy_shape:
            body["resolved_at"] = _time(last.created_at) if status == "resolved" else None
        return body

    def _log_entry(self, incident: PdIncident, entry: PdLogEntry) -> dict[str, Any]:
        agent_kind = entry.agent_type.removesuffix("_reference")
        channel: dict[str, Any] = {"type": entry.channel_type}
        if entry.note is not None:
            channel["summary"] = entry.note
        return {
            "id": entry.entry_id, "type": f"{entry.kind}_log_entry",
            "summary": {"trigger": "Triggered", "acknowledge": "Acknowledged",
                        "annotate": "Note added", "resolve": "Resolved"}[entry.kind],
            "created_at": _time(entry.created_at),
            "agent": {**self._ref(agent_kind, entry.agent_id, entry.agent_summary),
                      "type": entry.agent_type},
            "channel": channel,
            "service": self._ref("service", incident.service_id, incident.service_id),
            "incident": self._ref("incident", incident.incident_id, incident.title),
            "contexts": [],
        }


def _newest_first(entry: PdLogEntry) -> tuple[float, str]:
    return (-entry.created_at.timestamp(), entry.entry_id)


def _error(status: int, code: int, message: str, errors: list[str] | None = None) -> Response:
    body = {"error": {"message": message, "code": code, "errors": errors or []}}
    return Response(json.dumps(body), status=status, content_type="application/json")
