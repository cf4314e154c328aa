"""PagerDuty answers to records. Pure functions over the JSON: no rule of what an incident
means is applied here (the staging models do that, in SQL, once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.pagerduty.records import Incident, LogEntry, Service


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def service(account: str, item: dict[str, Any]) -> Service:
    return Service(
        account=account, service_id=item["id"], name=item.get("name") or item.get("summary"),
        team_ids=tuple(team["id"] for team in item.get("teams") or []),
        status=item.get("status"), created_at=_time(item.get("created_at")), payload=item)


def incident(account: str, item: dict[str, Any]) -> Incident:
    priority = item.get("priority") or None
    return Incident(
        account=account, incident_id=item["id"], incident_number=int(item["incident_number"]),
        service_id=item["service"]["id"], title=item.get("title") or "",
        status=item["status"], urgency=item.get("urgency"),
        priority=None if priority is None else (priority.get("name") or priority.get("summary")),
        incident_key=item.get("incident_key"), created_at=_time(item["created_at"]),
        updated_at=_time(item.get("updated_at")),
        last_status_change_at=_time(item.get("last_status_change_at")),
        # absent from older answers: stored as NULL, and the staging model falls back
        resolved_at=_time(item.get("resolved_at")), payload=item)


def log_entry(account: str, item: dict[str, Any]) -> LogEntry:
    agent = item.get("agent") or {}
    channel = item.get("channel") or {}
    entry_type = item["type"].removesuffix("_log_entry")
    return LogEntry(
        account=account, log_entry_id=item["id"], incident_id=item["incident"]["id"],
        service_id=(item.get("service") or {}).get("id"), entry_type=entry_type,
        created_at=_time(item["created_at"]), agent_type=agent.get("type"),
        agent_id=agent.get("id"), channel_type=channel.get("type"),
        note=channel.get("summary") if entry_type == "annotate" else None, payload=item)
