"""Latent culture that moves: each team's values per calendar quarter.

For team t and calendar quarter q (latent values standardized, total variance 1):

    safety_tq  = S_t + s_tq                      S_t ~ N(0, 1 - w)      (the team's mean)
    s_tq       = rho * s_t,q-1 + sqrt(1 - rho^2) * N(0, w),   s_t,first ~ N(0, w)
    westrum_tq = W_t + v_tq,   W_t = r * S_t + sqrt(1 - r^2) * N(0, 1 - w)
               v_tq = r * s_tq + sqrt(1 - r^2) * e_tq, e_tq the same AR(1) as s_tq, independent
    learning_tq = a_s * safety_tq + a_w * westrum_tq + noise_sd * N(0, 1)   (fresh each quarter)

w = `within_share`, rho = `ar1`, r, a_s, a_w and noise_sd from TRUE_COEFFICIENTS. So westrum
correlates with safety at r in both the between and the within part, and both within parts are
stationary AR(1) with the same rho. The number of random draws per team is fixed (2 + 3 per
quarter) whatever the knobs, so one seed gives the same teams and the same standardized shocks
under every knob setting.

Behaviour and delivery read the quarter an event happens in: `TeamCultureSeries.at(when)`.
Quarters are calendar quarters (UTC); the first and last may be cut by the simulated window.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from simulator.culture import CultureKnobs, TeamCulture, learning_of, team_culture

QUARTER_FIRST_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: name ("2026-Q1") and [start, end) in epoch seconds (UTC)."""

    name: str
    start: float
    end: float


def _quarter_start(year: int, index: int) -> float:
    year, index = year + index // 4, index % 4
    return datetime(year, QUARTER_FIRST_MONTHS[index], 1, tzinfo=UTC).timestamp()


def calendar_quarters(start: float, end: float) -> tuple[Quarter, ...]:
    """Every calendar quarter that overlaps [start, end] (epoch seconds), in order."""
    first = datetime.fromtimestamp(start, UTC)
    year, index = first.year, (first.month - 1) // 3
    quarters = []
    while _quarter_start(year, index) <= end:
        quarters.append(Quarter(f"{year + index // 4}-Q{index % 4 + 1}",
                                _quarter_start(year, index), _quarter_start(year, index + 1)))
        index += 1
    return tuple(quarters)


@dataclass(frozen=True)
class QuarterCulture:
    """One team-quarter: the within-team deviations drawn for it and the culture they make
    (totals = team mean + deviation, with the rates they imply)."""

    quarter: Quarter
    safety_within: float
    westrum_within: float
    culture: TeamCulture


@dataclass(frozen=True)
class TeamCultureSeries:
    """A team's latent culture over the simulated window: its mean (between part) and one
    `QuarterCulture` per calendar quarter."""

    safety_between: float
    westrum_between: float
    quarters: tuple[QuarterCulture, ...]

    def index(self, when: float | datetime) -> int:
        """Position of the quarter holding `when`; times outside the window take the nearest
        quarter (a PR planned to start before the window began, a merge just after it ends)."""
        seconds = when.timestamp() if isinstance(when, datetime) else float(when)
        starts = [q.quarter.start for q in self.quarters]
        return min(max(bisect.bisect_right(starts, seconds) - 1, 0), len(self.quarters) - 1)

    def at(self, when: float | datetime) -> TeamCulture:
        """The culture in force at `when` (epoch seconds or an aware datetime)."""
        return self.quarters[self.index(when)].culture

    def segments(self, start: float, end: float) -> list[tuple[float, float, TeamCulture]]:
        """[lo, hi) pieces of [start, end) with the culture in force on each, in order."""
        pieces = []
        for item in self.quarters:
            lo, hi = max(start, item.quarter.start), min(end, item.quarter.end)
            if lo < hi:
                pieces.append((lo, hi, item.culture))
        return pieces

    def with_reviewers(self, order: Sequence[str]) -> TeamCultureSeries:
        """Each quarter's reviewers: the first round(reviewer_share * roster) of `order` (at
        least one), so a rising share adds reviewers and a falling one drops the last added."""
        quarters = tuple(
            replace(item, culture=replace(item.culture, reviewers=tuple(sorted(
                order[:max(1, round(item.culture.reviewer_share * len(order)))]))))
            for item in self.quarters)
        return replace(self, quarters=quarters)

    @classmethod
    def constant(cls, culture: TeamCulture, start: float, end: float) -> TeamCultureSeries:
        """The same culture in every quarter of [start, end] (hand-built test organizations)."""
        return cls(culture.psychological_safety, culture.westrum, tuple(
            QuarterCulture(q, 0.0, 0.0, culture) for q in calendar_quarters(start, end)))


def draws_per_team(quarter_count: int) -> int:
    return 2 + 3 * quarter_count


def draw_team_series(rng: np.random.Generator, quarters: Sequence[Quarter], knobs: CultureKnobs,
                     coefficients: dict[str, dict[str, float]]) -> TeamCultureSeries:
    """Draw one team's latent values for `quarters` (module docstring) and derive the rates."""
    z = rng.normal(size=draws_per_team(len(quarters)))
    w, rho = knobs.within_share, knobs.ar1
    r = coefficients["westrum_given_safety"]["correlation"]
    between_sd, within_sd, own = math.sqrt(1 - w), math.sqrt(w), math.sqrt(1 - r * r)
    innovation = math.sqrt(1 - rho * rho)
    safety_between = between_sd * float(z[0])
    westrum_between = r * safety_between + own * between_sd * float(z[1])
    s = e = 0.0
    items = []
    for position, quarter in enumerate(quarters):
        zs, ze, zl = (float(x) for x in z[2 + 3 * position: 5 + 3 * position])
        if position == 0:  # the stationary distribution: the process has been running
            s, e = within_sd * zs, within_sd * ze
        else:
            s = rho * s + innovation * within_sd * zs
            e = rho * e + innovation * within_sd * ze
        v = r * s + own * e
        safety, westrum = safety_between + s, westrum_between + v
        learning = learning_of(safety, westrum, zl, coefficients)
        items.append(QuarterCulture(quarter, s, v,
                                    team_culture(safety, westrum, learning, coefficients)))
    return TeamCultureSeries(safety_between, westrum_between, tuple(items))
