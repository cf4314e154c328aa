"""When an answer was submitted, and whether that time lies inside its wave.

The time comes from the column mapped as `submitted_at`. Accepted:
- ISO-8601 text: a date (`2026-09-30`), or a date and time with or without an offset
  (`2026-09-30T14:05:00+02:00`, `2026-09-30 14:05`, `2026-09-30T12:05:00Z`);
- real date cells of an XLSX workbook (openpyxl reads them as datetimes).
A time without an offset (and every XLSX date cell, which has none) is read as UTC.

Refused, never guessed:
- numbers, in text or in cells: `45567` is a date only in a spreadsheet's day count (an "Excel
  serial date", days since 1899-12-30) and `45567.5` noon of it; a survey tool exports dates,
  so a number means the column was converted on the way and may be off by the 1900/1904 epochs;
- other day/month orders (is `03/04/2026` March or April?);
- a time without a date, TRUE/FALSE, and an empty cell (without a time the answer can't be
  placed in its wave).

A wave runs from the start of its opening day to the end of its closing day, both in UTC. The
opening day is optional: without it only late answers are caught.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 system (day 60 is a fake 29 Feb)
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
ISO_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
ISO_EXAMPLES = "ISO-8601, e.g. 2026-09-30, 2026-09-30 14:05 or 2026-09-30T14:05:00+02:00"


class SubmittedRejected(ValueError):
    """The cell is not a usable submission time; str(exc) says why."""


def submission_time(value: object) -> dt.date | dt.datetime:
    """The cell as a UTC datetime (or a date, when only the day is given); raises
    SubmittedRejected."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise SubmittedRejected("the submission time is missing")
    if isinstance(value, bool):
        raise SubmittedRejected("TRUE/FALSE is not a submission time")
    if isinstance(value, dt.datetime):
        return _in_utc(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise SubmittedRejected("a time without a date is not a submission time")
    if isinstance(value, int | float):
        raise SubmittedRejected(_serial_message(float(value)))
    text = str(value).strip()
    if NUMBER.match(text):
        raise SubmittedRejected(_serial_message(float(text.replace(",", "."))))
    if ISO_DATE_START.match(text):
        try:
            if len(text) == len("2026-09-30"):
                return dt.date.fromisoformat(text)
            return _in_utc(dt.datetime.fromisoformat(text))
        except ValueError:
            pass  # e.g. 2026-13-01 or a stray suffix: reported below like any other text
    raise SubmittedRejected(
        "not an ISO-8601 date or date and time (day/month order is not guessed)"
    )


def _in_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _serial_message(number: float) -> str:
    """Name the number as what it probably is, with the day it would be, without using it."""
    text = "a number where a date is expected (an Excel serial date?)"
    if 1 <= number < 2_958_466:  # Excel's last day is 9999-12-31
        day = EXCEL_EPOCH + dt.timedelta(days=int(number))
        text += f"; in Excel's day count it would be {day.isoformat()}, but it is not converted"
    return text


@dataclass(frozen=True)
class WaveWindow:
    """The days whose answers belong to a wave: opens_on (optional) to closes_on, in UTC."""

    wave: str
    closes_on: dt.date
    opens_on: dt.date | None = None

    def outside(self, when: dt.date | dt.datetime) -> str | None:
        """Why `when` lies outside the wave, or None when it is inside.

        Comparing UTC calendar days is the same as cutting at the end of the closing day (and the
        start of the opening day) in UTC."""
        day = when.date() if isinstance(when, dt.datetime) else when
        shown = f"{when:%Y-%m-%d %H:%M} UTC" if isinstance(when, dt.datetime) else when.isoformat()
        if day > self.closes_on:
            return (
                f"submitted {shown}, after wave '{self.wave}' closed "
                f"(end of {self.closes_on.isoformat()}, UTC)"
            )
        if self.opens_on is not None and day < self.opens_on:
            return (
                f"submitted {shown}, before wave '{self.wave}' opened "
                f"({self.opens_on.isoformat()}, UTC)"
            )
        return None

    def describe(self) -> str:
        """The accepted submission times in words, for problem messages."""
        end = f"the end of {self.closes_on.isoformat()} (UTC)"
        if self.opens_on is None:
            return f"up to {end}"
        return f"from the start of {self.opens_on.isoformat()} to {end}"
