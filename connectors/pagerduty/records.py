"""The PagerDuty source's records: one frozen dataclass per raw table (connectors/contract.py),
and the batch one sync of the account hands the warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.contract import Cursor


@dataclass(frozen=True)
class Service:
    account: str
    service_id: str
    name: str
    team_ids: tuple[str, ...]
    status: str | None
    created_at: datetime | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Incident:
    account: str
    incident_id: str
    incident_number: int
    service_id: str
    title: str
    status: str  # triggered, acknowledged, resolved
    urgency: str | None  # high, low
    priority: str | None  # the priority's name (P1..P5); NULL when priorities are off
    incident_key: str | None
    created_at: datetime
    updated_at: datetime | None
    last_status_change_at: datetime | None
    resolved_at: datetime | None  # as answered: absent from older answer shapes
    payload: dict[str, Any]


@dataclass(frozen=True)
class LogEntry:
    account: str
    log_entry_id: str
    incident_id: str
    service_id: str | None
    entry_type: str  # trigger, acknowledge, resolve, annotate, ... (without _log_entry)
    created_at: datetime
    agent_type: str | None  # user_reference, service_reference, *integration_reference
    agent_id: str | None
    channel_type: str | None
    note: str | None  # an annotation's text (channel.summary); NULL for other entries
    payload: dict[str, Any]


@dataclass
class AccountBatch:
    """One sync of the account: every table's records and the cursors covering them."""

    scope: str
    services: list[Service] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    log_entries: list[LogEntry] = field(default_factory=list)
    cursors: list[Cursor] = field(default_factory=list)
    requests: int = 0
    windows: int = 0  # since/until windows read (after splits at six months and 10,000)
