"""Person scores: reverse scoring and the missing-item rule (docs/culture.md §1-2).

A respondent's answers to one instrument in one wave form a row of item codes (1..A, NaN for a
skipped item or a "prefer not to answer"). Reverse-keyed items are turned around with
x' = (A + 1) - x so that a high score always means more of the construct. A person is scored only
when enough items are answered; the score is then the mean of the answered items (the usual
prorated scale mean).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# instruments.md §1.4 suggests "score a person only if >= 5 of 6 items are answered". Stated as a
# share it carries over to instruments of other lengths: 6 of 7 for Edmondson, 9 of 10, and all
# items of a 3- or 4-item scale (a mean of two or three items is too noisy to stand for a scale).
DEFAULT_MIN_ANSWERED_SHARE = 5 / 6


@dataclass(frozen=True)
class MissingItemRule:
    """How many of an instrument's J items a respondent must answer to be scored.

    Give either `min_answered` (an absolute number) or `min_share` (a share of J, rounded up).
    """

    min_answered: int | None = None
    min_share: float | None = None

    def __post_init__(self) -> None:
        if (self.min_answered is None) == (self.min_share is None):
            raise ValueError(
                "a missing-item rule needs exactly one of min_answered or min_share; "
                f"got min_answered={self.min_answered}, min_share={self.min_share}"
            )
        if self.min_share is not None and not 0 < self.min_share <= 1:
            raise ValueError(f"missing-item rule min_share={self.min_share} must be in (0, 1]")
        if self.min_answered is not None and self.min_answered < 1:
            raise ValueError(f"missing-item rule min_answered={self.min_answered} must be >= 1")

    @classmethod
    def from_config(cls, value: MissingItemRule | Mapping[str, float]) -> MissingItemRule:
        """Accept a rule or a mapping such as {"min_answered": 5} or {"min_share": 0.8}."""
        if isinstance(value, MissingItemRule):
            return value
        unknown = set(value) - {"min_answered", "min_share"}
        if unknown:
            raise ValueError(
                f"unknown missing-item rule key(s) {sorted(unknown)}; use min_answered or min_share"
            )
        answered = value.get("min_answered")
        return cls(
            min_answered=None if answered is None else int(answered),
            min_share=value.get("min_share"),
        )

    def required(self, n_items: int, instrument: str = "?") -> int:
        """Number of answered items needed out of `n_items`."""
        if self.min_answered is not None:
            if self.min_answered > n_items:
                raise ValueError(
                    f"missing-item rule for instrument '{instrument}' asks for "
                    f"{self.min_answered} answered items but it has only {n_items}; lower it"
                )
            return self.min_answered
        # The epsilon keeps 5/6 * 6 at 5 despite floating-point rounding.
        return max(1, math.ceil(self.min_share * n_items - 1e-9))

    def describe(self, n_items: int, instrument: str = "?") -> str:
        """Plain-words statement of the rule for the report and method notes."""
        return (
            f"scored when at least {self.required(n_items, instrument)} of {n_items} items "
            "are answered; score = mean of the answered items"
        )


DEFAULT_MISSING_RULE = MissingItemRule(min_share=DEFAULT_MIN_ANSWERED_SHARE)


def reverse_score(codes: np.ndarray, scale_points: int) -> np.ndarray:
    """Turn a reverse-keyed item around: x' = (A + 1) - x. NaN (missing) stays NaN."""
    return (scale_points + 1) - np.asarray(codes, dtype=float)


def keyed_items(codes: np.ndarray, reverse: np.ndarray, scale_points: int) -> np.ndarray:
    """Respondents x items matrix with every reverse-keyed column turned around."""
    codes = np.asarray(codes, dtype=float)
    reverse = np.asarray(reverse, dtype=bool)
    return np.where(reverse[np.newaxis, :], reverse_score(codes, scale_points), codes)


@dataclass(frozen=True)
class PersonScores:
    """Result of scoring one block of respondents on one instrument.

    `scores` holds one value per respondent (NaN when the respondent was dropped by the
    missing-item rule); `scored` marks who was kept.
    """

    scores: np.ndarray
    scored: np.ndarray
    required_items: int

    @property
    def n_dropped(self) -> int:
        return int((~self.scored).sum())


def person_scores(keyed: np.ndarray, rule: MissingItemRule, instrument: str = "?") -> PersonScores:
    """Score each row of a keyed respondents x items matrix under the missing-item rule."""
    keyed = np.asarray(keyed, dtype=float)
    n_items = keyed.shape[1]
    required = rule.required(n_items, instrument)
    answered = (~np.isnan(keyed)).sum(axis=1)
    scored = answered >= required
    scores = np.full(keyed.shape[0], np.nan)
    if scored.any():
        scores[scored] = np.nanmean(keyed[scored], axis=1)
    return PersonScores(scores=scores, scored=scored, required_items=required)


@dataclass(frozen=True)
class TeamAggregate:
    """A team's score in one wave: the mean and SD of its members' person scores."""

    n_respondents: int
    mean: float | None
    sd: float | None


def aggregate_team(scores: np.ndarray) -> TeamAggregate:
    """Team mean of the person scores of the scored respondents (NaN entries are ignored).

    The SD is the sample SD (n - 1 in the denominator) and needs two respondents.
    """
    kept = np.asarray(scores, dtype=float)
    kept = kept[~np.isnan(kept)]
    n = int(kept.size)
    mean = float(kept.mean()) if n else None
    sd = float(kept.std(ddof=1)) if n >= 2 else None
    return TeamAggregate(n_respondents=n, mean=mean, sd=sd)
