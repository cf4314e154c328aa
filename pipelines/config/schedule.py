"""The `schedule:` section of candor.yaml: when the nightly job runs.

Both values are checked by the code that will use them, at load: Dagster's own cron check (the
one `ScheduleDefinition` applies) and the IANA database of `zoneinfo`. Before, a typo was only
refused when Dagster built the schedule, naming the schedule rather than the key, or worse,
after the location had loaded, when the daemon first evaluated it.
"""

from __future__ import annotations

import re
import zoneinfo

from pydantic import Field, field_validator

from pipelines.config.strict import StrictModel

CRON_HINT = (
    "write five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *' for 02:00 "
    "every day or '30 4 * * 1-5' for 04:30 on weekdays"
)
TIMEZONE_HINT = "use an IANA name such as 'UTC', 'Europe/Berlin' or 'America/New_York'"


# (low, high) of each cron field: minute, hour, day of month, month, day of week.
_FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_ELEMENT = re.compile(r"^(?:\*|(?P<low>\d+)(?:-(?P<high>\d+))?)(?:/(?P<step>\d+))?$")


def plainly_valid_cron(value: str) -> bool:
    """True for the common cron strings (five fields of numbers, ranges, lists, `*` and steps,
    in range, February not alone in its field) that Dagster's check accepts, decided without
    importing Dagster (two seconds of CPU: `candor sql` and `survey check` load candor.yaml
    too). False means "ask Dagster", not "invalid"."""
    fields = value.split()
    if len(fields) != 5 or fields[3] == "2":  # 30 February is Dagster's to refuse
        return False
    for field, (low, high) in zip(fields, _FIELD_RANGES, strict=True):
        for element in field.split(","):
            matched = _ELEMENT.match(element)
            if matched is None or matched["step"] == "0" or matched["step"] == "":
                return False
            first = int(matched["low"]) if matched["low"] else low
            last = int(matched["high"]) if matched["high"] else first
            if not low <= first <= last <= high:
                return False
    return True


def check_cron(value: str) -> str:
    """Return `value` if Dagster can schedule it; raise ValueError with the fix otherwise."""
    if plainly_valid_cron(value):
        return value
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
    """When the nightly job runs: a cron expression, read in an IANA timezone; and how long a
    run may fetch before it stops."""

    cron: str = "0 2 * * *"
    timezone: str = "UTC"
    max_run_minutes: float = Field(240, gt=0)
    """Minutes after a run's start when GitHub ingestion stops: no request is sent and no
    rate-limit wait ends after it. What each repository committed stays (progress is committed
    in chunks); the repositories not finished are marked not refreshed (meta.sync_status,
    marts.source_freshness) and listed when the run exits non-zero; the next run continues
    them. A fraction is allowed (0.5 is 30 seconds). The models still build after it."""

    _cron = field_validator("cron")(check_cron)
    _timezone = field_validator("timezone")(check_timezone)
