"""The simulated organization as its PagerDuty account shows it (simulator/pagerduty_app.py
serves it).

Derived from the same `Org` as the simulated GitHub, and from nothing else but a generator of
its own (seeded from the org's seed), so adding PagerDuty never changes the GitHub activity:

- one PagerDuty team per team, owning one service (`<team> API`), and one service no team owns
  (a vendor's edge network) whose incidents are provider outages;
- one incident per GitHub incident issue (high urgency, priority from its severity label) and
  per near-miss issue (low urgency), on the service of the team owning the issue's repository,
  created, acknowledged and resolved at the issue's times; triggered by monitoring (an
  integration) when the alert bot opened the issue, else by the person who did; its title is
  the issue's with the issue's reference (`owner/repo#N`) after it; the issue's
  text is the incident's first note, so an incident that names the deployed sha in GitHub names
  it in PagerDuty too;
- about one provider outage a month on the unowned service, caused by no change.

Some incidents carry the older answer shape without `resolved_at` (`legacy_shape`), as
PagerDuty's recordings before 2018 do. The causal facts (`caused_by_deployment_ids`, `kind`,
`raised_by`, `source_issue`) are truth: the API never serves them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from simulator.failures import ALERT_BOT
from simulator.model import Issue, Org

MINUTE = timedelta(minutes=1)
OUTAGES_PER_MONTH = 1.0
LEGACY_SHAPE_SHARE = 0.15  # incidents answered without resolved_at
MONITORING = "Prometheus Alertmanager"  # the integration that triggers monitoring incidents
PRIORITY_OF_SEVERITY = {"sev1": "P1", "sev2": "P2", "sev3": "P3"}
_ID_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))


@dataclass(frozen=True)
class PdTeam:
    team_id: str
    name: str


@dataclass(frozen=True)
class PdService:
    service_id: str
    name: str
    team_id: str | None  # None: no team owns it
    created_at: datetime


@dataclass(frozen=True)
class PdUser:
    user_id: str
    login: str  # the GitHub login of the same person (truth: PagerDuty shows the name)
    name: str


@dataclass(frozen=True)
class PdLogEntry:
    """One entry of an incident's log. `agent_type` is PagerDuty's reference type:
    user_reference, or an integration / service reference for monitoring and timeouts."""

    entry_id: str
    kind: str  # trigger, acknowledge, annotate, resolve
    created_at: datetime
    agent_type: str
    agent_id: str
    agent_summary: str
    channel_type: str
    note: str | None = None  # annotate: the note's text


@dataclass
class PdIncident:
    incident_id: str
    number: int
    title: str
    service_id: str
    urgency: str  # high, low
    priority: str | None  # P1..P5; None: priorities off for the incident
    incident_key: str
    created_at: datetime
    log: list[PdLogEntry] = field(default_factory=list)
    legacy_shape: bool = False  # answered without resolved_at
    # truth
    kind: str = "incident"  # incident, near-miss, outage
    raised_by: str = "person"  # person, monitoring
    caused_by_deployment_ids: list[int] = field(default_factory=list)
    source_issue: str | None = None  # owner/repo#N of the GitHub issue it mirrors

    def first(self, kind: str) -> PdLogEntry | None:
        return next((entry for entry in self.log if entry.kind == kind), None)

    @property
    def resolved_at(self) -> datetime | None:
        entry = self.first("resolve")
        return None if entry is None else entry.created_at


@dataclass
class PagerDutyWorld:
    """Everything the simulated PagerDuty API serves, incidents in creation order."""

    teams: list[PdTeam]
    services: list[PdService]
    users: dict[str, PdUser]  # by GitHub login
    incidents: list[PdIncident]
    service_of_team: dict[str, str]  # Candor team name -> service id
    _rng: np.random.Generator = field(repr=False, default_factory=np.random.default_rng)

    def new_id(self) -> str:
        """A PagerDuty-style id: 'P' or 'Q' and six more letters or digits, unique here."""
        return "P" + "".join(self._rng.choice(_ID_ALPHABET, 6))

    def add_flood(self, service_id: str, count: int, start: datetime, end: datetime) -> None:
        """Add `count` monitoring incidents spread evenly over [start, end) on a service: an
        alert storm (tests of the 10,000-offset cap)."""
        step = (end - start) / count
        for i in range(count):
            when = (start + step * i).replace(microsecond=0)
            incident = _incident(self, service_id, f"Alert storm: disk pressure {i}", "low",
                                 None, when, "monitoring", kind="near-miss")
            _close(self, incident, when + 10 * MINUTE, None)
            self.incidents.append(incident)
        _number(self)


def _empty_world(seed: int, team_names: list[str], start: datetime,
                 people: list[tuple[str, str]]) -> PagerDutyWorld:
    """The account's teams, their services and its users ((GitHub login, name) per person):
    the first draws from the seed, so their ids follow from the seed, the team names and the
    people alone (`account_ids`)."""
    world = PagerDutyWorld([], [], {}, [], {}, np.random.default_rng([seed, 0x5044]))
    for name in team_names:
        pd_team = PdTeam(world.new_id(), name)
        world.teams.append(pd_team)
        service = PdService(world.new_id(), f"{name} API", pd_team.team_id, start)
        world.services.append(service)
        world.service_of_team[name] = service.service_id
    for login, name in people:
        world.users[login] = PdUser(world.new_id(), login, name)
    return world


def account_ids(seed: int, team_names: list[str], logins: list[str]
                ) -> tuple[dict[str, str], dict[str, str]]:
    """(service id by team, PagerDuty user id by GitHub login) of the account
    `pagerduty_world` makes for an org of this seed, teams and people (in the org's order),
    without generating the org's activity."""
    world = _empty_world(seed, team_names, datetime.now(), [(login, login) for login in logins])
    return world.service_of_team, {login: user.user_id for login, user in world.users.items()}


def pagerduty_world(org: Org) -> PagerDutyWorld:
    """The PagerDuty account of `org` (deterministic in the org's seed)."""
    # the teams' members, in the org's order (web-flow is a User account of no team)
    humans = [(p.login, p.name) for p in org.people.values()
              if p.kind == "User" and p.team is not None]
    world = _empty_world(org.seed, [team.name for team in org.teams], org.start, humans)
    for repo in org.repos.values():
        service_id = world.service_of_team[repo.team]
        for issue in repo.issues:
            if issue.kind in ("incident", "near-miss"):
                world.incidents.append(_mirrored(world, service_id, issue))
    edge = PdService(world.new_id(), "Edge CDN (vendor)", None, org.start)
    world.services.append(edge)
    _outages(world, edge.service_id, org.start, org.end)
    _number(world)
    return world


def _mirrored(world: PagerDutyWorld, service_id: str, issue: Issue) -> PdIncident:
    rng = world._rng
    monitoring = issue.author_login == ALERT_BOT or issue.author_login not in world.users
    if issue.kind == "incident":
        severity = next((label for label in issue.labels if label in PRIORITY_OF_SEVERITY),
                        "sev3")
        urgency, priority = "high", PRIORITY_OF_SEVERITY[severity]
    else:
        urgency, priority = "low", ("P5" if rng.random() < 0.5 else None)
    # the incident names the issue that tracks it (as PagerDuty's GitHub and GitLab
    # integrations do): the same event, recorded in two tools
    title = f"{issue.title} ({issue.repo}#{issue.number})"
    incident = _incident(world, service_id, title, urgency, priority, issue.created_at,
                         "monitoring" if monitoring else "person",
                         kind=issue.kind, trigger_login=issue.author_login)
    incident.caused_by_deployment_ids = list(issue.caused_by_deployment_ids)
    incident.source_issue = f"{issue.repo}#{issue.number}"
    note_at = issue.created_at + MINUTE
    if issue.closed_at is None or note_at < issue.closed_at:
        incident.log.append(_entry(world, "annotate", note_at, world.users.get(issue.author_login),
                                   note=issue.body))
    _close(world, incident, issue.closed_at, world.users.get(issue.author_login))
    return incident


def _outages(world: PagerDutyWorld, service_id: str, start: datetime, end: datetime) -> None:
    rng = world._rng
    span = (end - start).total_seconds()
    count = int(rng.poisson(OUTAGES_PER_MONTH * span / (30.44 * 86400)))
    for offset in sorted(rng.uniform(0, span, count)):
        when = (start + timedelta(seconds=float(offset))).replace(microsecond=0)
        incident = _incident(world, service_id, "Elevated 5xx at the CDN edge", "high", "P2",
                             when, "monitoring", kind="outage")
        hours = float(np.clip(rng.lognormal(math.log(2.0), 0.6), 0.2, 24))
        closed = when + timedelta(hours=hours)
        _close(world, incident, closed if closed <= end else None, None)
        world.incidents.append(incident)


def _incident(world: PagerDutyWorld, service_id: str, title: str, urgency: str,
              priority: str | None, created: datetime, raised_by: str, *, kind: str,
              trigger_login: str | None = None) -> PdIncident:
    rng = world._rng
    incident = PdIncident(
        incident_id="Q" + world.new_id()[1:] + "".join(rng.choice(_ID_ALPHABET, 6)),
        number=0, title=title, service_id=service_id, urgency=urgency, priority=priority,
        incident_key="".join(rng.choice(_ID_ALPHABET, 20)).lower(), created_at=created,
        legacy_shape=bool(rng.random() < LEGACY_SHAPE_SHARE), kind=kind, raised_by=raised_by)
    user = world.users.get(trigger_login or "")
    incident.log.append(_entry(world, "trigger", created,
                               None if raised_by == "monitoring" else user))
    return incident


def _close(world: PagerDutyWorld, incident: PdIncident, closed: datetime | None,
           person: PdUser | None) -> None:
    """Acknowledge a few minutes after the trigger (or not at all, for some low-urgency
    incidents), then resolve at `closed` (None: still open at the end of the window)."""
    rng = world._rng
    acked = incident.created_at + timedelta(seconds=int(rng.uniform(60, 900)))
    if closed is not None:
        acked = min(acked, incident.created_at + (closed - incident.created_at) / 2)
    if incident.urgency == "high" or rng.random() < 0.5:
        incident.log.append(_entry(world, "acknowledge", acked.replace(microsecond=0), person))
    if closed is not None:
        incident.log.append(_entry(world, "resolve", closed, person))
    incident.log.sort(key=lambda entry: entry.created_at)


def _entry(world: PagerDutyWorld, kind: str, when: datetime, person: PdUser | None,
           note: str | None = None) -> PdLogEntry:
    entry_id = "R" + world.new_id()[1:] + "".join(world._rng.choice(_ID_ALPHABET, 7))
    when = when.replace(microsecond=0)  # PagerDuty answers whole seconds
    if person is not None:
        channel = {"trigger": "web_trigger", "annotate": "note"}.get(kind, "website")
        return PdLogEntry(entry_id, kind, when, "user_reference", person.user_id, person.name,
                          channel, note)
    if kind in ("trigger", "annotate"):
        return PdLogEntry(entry_id, kind, when, "events_api_v2_inbound_integration_reference",
                          "PINTEG1", MONITORING, "api" if kind == "trigger" else "note", note)
    return PdLogEntry(entry_id, kind, when, "service_reference", "PAUTO01", "Auto-resolve",
                      "auto", note)


def _number(world: PagerDutyWorld) -> None:
    """Incident numbers run in creation order across the account, as PagerDuty's do."""
    world.incidents.sort(key=lambda incident: (incident.created_at, incident.incident_id))
    for number, incident in enumerate(world.incidents, start=1):
        incident.number = number
