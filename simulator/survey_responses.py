"""Survey answers of the simulated organization: noisy individual readings of team culture.

For a respondent p of team t in wave w answering item i of an instrument on a 1..7 scale:

    level = 4 + LOADING * latent_t + u_tw + e_p + n_pi        (e_p fixed per person and instrument)
    answer = clip(round(level), 1, 7), turned around (8 - answer) for reverse-scored items

with u_tw ~ N(0, TEAM_WAVE_SD), e_p ~ N(0, PERSON_SD), n_pi ~ N(0, ITEM_SD). latent_t is the
team's value in the quarter the wave closes (simulator/culture_drift.py); the latent values are
standardized (sd 1 across team-quarters). The loading is 0.5, not larger: with
sd-1 latents a loading of 1.2 spreads team means over 1.6..6.4 and needs so much individual noise
for a realistic ICC(1) that answers pile up at 1 and 7. These values give, before rounding and
clipping, ICC(1) = (0.25 + 0.04) / (0.25 + 0.04 + 0.7225 + 1.44/J + 1/(12J)) ~ 0.23 for the person
means (J = 6 or 7 items) and Cronbach's alpha ~ 0.8, in line with published team climate data
(reference/instruments.md §4); tests/surveys/test_simulated_exports.py checks it numerically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from connectors.surveys.instruments import Instrument

CENTER, LOADING = 4.0, 0.5
TEAM_WAVE_SD, PERSON_SD, ITEM_SD = 0.2, 0.85, 1.2
RESPONSE_RATE = 0.85
NA_RATE = 0.02  # answered "Prefer not to answer"
SKIP_RATE = 0.01  # left empty
LATENT_OF_INSTRUMENT = {"westrum": "westrum", "psysafe": "psychological_safety"}


@dataclass(frozen=True)
class SimulatedResponse:
    """One respondent's answers: codes 1..7, "na" (prefer not to answer) or None (skipped)."""

    member: str
    team: str
    answers: tuple[int | str | None, ...]


def latent_value(team: object, instrument: Instrument, closes_on: dt.date | None = None) -> float:
    """The team's latent value measured by the instrument (a custom instrument: safety).

    A simulated org's team (one with `at(when)`) answers with the value of the quarter the wave
    closes in (noon UTC of `closes_on`; waves close at quarter ends); a plain team object with
    fixed `psychological_safety` and `westrum` attributes answers with those.
    """
    attribute = LATENT_OF_INSTRUMENT.get(instrument.instrument_id, "psychological_safety")
    if closes_on is not None and hasattr(team, "at"):
        noon = dt.datetime.combine(closes_on, dt.time(12), dt.UTC)
        return float(getattr(team.at(noon), attribute))
    return float(getattr(team, attribute))


def member_list(team: object) -> list[str]:
    """Member ids of a team: the org's logins, or generated ids when `members` is a count."""
    members = team.members
    if isinstance(members, int):
        return [f"{team.name}-member-{index + 1}" for index in range(members)]
    return list(members)


class ResponseModel:
    """Draws responses; person offsets persist across waves, so people stay themselves."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.person_offsets: dict[tuple[str, str], float] = {}

    def wave_responses(
        self, teams: Sequence[object], instrument: Instrument, closes_on: dt.date | None = None
    ) -> list[SimulatedResponse]:
        """One wave's responses; `closes_on` picks the quarter whose latent values answer."""
        points = instrument.scale.points
        reverse = np.array([item.reverse_scored for item in instrument.items])
        responses = []
        for team in teams:
            team_level = CENTER + LOADING * latent_value(team, instrument, closes_on)
            team_level += self.rng.normal(0.0, TEAM_WAVE_SD)
            for member in member_list(team):
                offset = self._person_offset(member, instrument.instrument_id)
                if self.rng.random() >= RESPONSE_RATE:
                    continue
                level = team_level + offset + self.rng.normal(0.0, ITEM_SD, size=len(reverse))
                codes = np.clip(np.rint(level), 1, points).astype(int)
                codes = np.where(reverse, points + 1 - codes, codes)
                responses.append(SimulatedResponse(member, team.name, self._with_gaps(codes)))
        return responses

    def _person_offset(self, member: str, instrument_id: str) -> float:
        key = (member, instrument_id)
        if key not in self.person_offsets:
            self.person_offsets[key] = float(self.rng.normal(0.0, PERSON_SD))
        return self.person_offsets[key]

    def _with_gaps(self, codes: np.ndarray) -> tuple[int | str | None, ...]:
        draws = self.rng.random(size=len(codes))
        return tuple(
            "na" if d < NA_RATE else None if d < NA_RATE + SKIP_RATE else int(code)
            for code, d in zip(codes, draws, strict=True)
        )
