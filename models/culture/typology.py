"""Typology bands for team scores: a Candor convention, not DORA's.

DORA publishes no cut-offs for pathological / bureaucratic / generative (instruments.md §1.4).
Candor therefore treats every score as continuous and, for display only, names fixed bands
declared beforehand: by default equal thirds of the 1..A response range. Bands are never used in
models instead of the score. Every output row carries the convention text so a reader sees that
the labels are Candor's.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CONVENTION_PREFIX = "Candor convention, not DORA's"

WESTRUM_LABELS = ("pathological", "bureaucratic", "generative")
GENERIC_LABELS = ("low", "moderate", "high")


@dataclass(frozen=True)
class Bands:
    """Ordered bands: a score s gets labels[i] where i = number of cut points <= s.

    A score equal to a cut point belongs to the upper band (cut points are lower bounds).
    """

    cut_points: tuple[float, ...]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.cut_points) + 1:
            raise ValueError(
                f"bands need one label more than cut points; got {len(self.cut_points)} cut "
                f"points and {len(self.labels)} labels"
            )
        if list(self.cut_points) != sorted(set(self.cut_points)):
            raise ValueError(f"band cut points {self.cut_points} must be strictly increasing")

    @classmethod
    def from_config(cls, value: Bands | Mapping[str, Sequence]) -> Bands:
        """Accept Bands or a mapping {"cut_points": [3, 5], "labels": ["a", "b", "c"]}."""
        if isinstance(value, Bands):
            return value
        unknown = set(value) - {"cut_points", "labels"}
        if unknown:
            raise ValueError(f"unknown band key(s) {sorted(unknown)}; use cut_points and labels")
        return cls(tuple(float(c) for c in value["cut_points"]), tuple(value["labels"]))

    def band(self, score: float | None) -> str | None:
        if score is None:
            return None
        return self.labels[bisect.bisect_right(self.cut_points, score)]

    def describe(self, scale_points: int) -> str:
        """E.g. "Candor convention, not DORA's: 1-7 scale; < 3 pathological, 3 to < 5 ..."."""
        parts = [f"< {_num(self.cut_points[0])} {self.labels[0]}"]
        for lower, upper, label in zip(
            self.cut_points[:-1], self.cut_points[1:], self.labels[1:-1], strict=True
        ):
            parts.append(f"{_num(lower)} to < {_num(upper)} {label}")
        parts.append(f">= {_num(self.cut_points[-1])} {self.labels[-1]}")
        return (
            f"{CONVENTION_PREFIX}: 1-{scale_points} scale; {', '.join(parts)}; "
            "display labels only, DORA publishes no cut-offs"
        )


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def equal_thirds(scale_points: int, labels: tuple[str, str, str] = GENERIC_LABELS) -> Bands:
    """Three equal-width bands over [1, A]: cut points 1 + (A-1)/3 and 1 + 2(A-1)/3."""
    width = (scale_points - 1) / 3
    return Bands((1 + width, 1 + 2 * width), labels)


def default_bands(instrument: str, scale_points: int) -> Bands:
    """Equal thirds; Westrum instruments (any id starting with "westrum") get Westrum's names."""
    labels = WESTRUM_LABELS if instrument.lower().startswith("westrum") else GENERIC_LABELS
    return equal_thirds(scale_points, labels)
