"""The `schedule:` section of candor.yaml: when the nightly job runs.

Both values are checked by the code that will use them, at load: Dagster's own cron check (the
one `ScheduleDefinition` applies) and the IANA database of `zoneinfo`. Before, a typo was only
refused when Dagster built the schedule, naming the schedule rather than the key, or worse,
after the location had loaded, when the daemon first evaluated it.
"""

from __future__ import annotations

import zoneinfo

from pydantic import field_validator

from pipelines.config.strict import StrictModel

CRON_HINT = (
    "write five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *' for 02:00 "
    "every day or '30 4 * * 1-5' for 04:30 on weekdays"
)
TIMEZONE_HINT = "use an IANA name such as 'UTC', 'Europe/Berlin' or 'America/New_York'"


def check_cron(value: str) -> str:
    """Return `value` if Dagster can schedule it; raise ValueError with the fix otherwise."""
    # Imported here: Dagster is heavy, and only this check of candor.yaml needs it.
    from dagster._utils.schedules import is_valid_cron_string

    if not is_valid_cron_string(value):
        raise ValueError(f"'{value}' is not a cron expression Dagster can run; {CRON_HINT}")
    return value


def check_timezone(value: str) -> str:
    """Return `value` if it names a zone of the IANA database; raise ValueError otherwise."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # ValueError: keys that are no zone name at all ('', absolute paths, '../x').
        raise ValueError(f"'{value}' is not an IANA timezone; {TIMEZONE_HINT}") from None
    return value


class Schedule(StrictModel):
    """When the nightly job runs: a cron expression, read in an IANA timezone."""

    cron: str = "0 2 * * *"
    timezone: str = "UTC"

    _cron = field_validator("cron")(check_cron)
    _timezone = field_validator("timezone")(check_timezone)
