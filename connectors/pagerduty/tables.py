"""The PagerDuty source's raw tables (migration 011 creates them with their descriptions)."""

from __future__ import annotations

from connectors.contract import RawTable, SourceTables
from connectors.pagerduty import records
from connectors.pagerduty.settings import SOURCE

PAGERDUTY_TABLES = SourceTables(
    SOURCE,
    (
        RawTable("raw.pagerduty_services", "services", records.Service, scope_column="account"),
        RawTable("raw.pagerduty_incidents", "incidents", records.Incident,
                 scope_column="account"),
        RawTable("raw.pagerduty_log_entries", "log_entries", records.LogEntry,
                 scope_column="account"),
    ),
)
