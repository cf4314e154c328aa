"""Shared state of one generation run: the seeded random generator, clocks and provisional ids.

Inside the generator times are float epoch seconds (fast arithmetic); `to_datetime` turns them
into the whole-second UTC datetimes the model stores. Ids handed out here are provisional:
`simulator.numbering` renumbers everything in creation order at the end.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime

import numpy as np

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY


def to_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(round(seconds), UTC)


class GenContext:
    """Random generator, the simulated window [start, end] and provisional id counters."""

    def __init__(self, seed: int, start: datetime, end: datetime) -> None:
        self.rng = np.random.default_rng(seed)
        self.start = start.timestamp()
        self.end = end.timestamp()
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        """A provisional id, unique across all object kinds of this run."""
        return next(self._ids)

    def sha(self) -> str:
        """A random 40-hex-digit commit sha."""
        return self.rng.bytes(20).hex()

    def uniform(self, low: float, high: float) -> float:
        return float(self.rng.uniform(low, high))

    def chance(self, probability: float) -> bool:
        return bool(self.rng.random() < probability)

    def lognormal_hours(self, log_median: float, sd: float, low: float, high: float) -> float:
        """Seconds drawn from a lognormal whose log-median (in hours) is `log_median`, clipped."""
        hours = math.exp(log_median + sd * float(self.rng.normal()))
        return min(max(hours, low), high) * HOUR

    def poisson_times(self, rate_per_second: float, start: float, end: float) -> list[float]:
        """Event times of a homogeneous Poisson process on [start, end), sorted."""
        count = int(self.rng.poisson(max(rate_per_second, 0.0) * (end - start)))
        return sorted(float(x) for x in self.rng.uniform(start, end, size=count))

    def working_time(self, seconds: float) -> float:
        """Move a time into working hours (07-19 UTC) and, mostly, off the weekend."""
        day = math.floor(seconds / DAY) * DAY
        weekday = datetime.fromtimestamp(day, UTC).weekday()
        if weekday >= 5 and self.chance(0.9):
            day += (7 - weekday) * DAY
        return day + self.uniform(7 * HOUR, 19 * HOUR)
