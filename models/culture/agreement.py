"""Within-team agreement (rwg(j), r*wg(j)) and between-team reliability (ICC(1), ICC(2)).

Formulas as in reference/instruments.md §4 (James, Demaree & Wolf 1984; Lindell 1999 as in
R multilevel::rwg.j.lindell; Bliese 2000). Small pure functions over numpy arrays so each can be
checked by hand; docs/culture.md §3 writes them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Conventional cut-off for "enough agreement to aggregate" (James et al. 1984). Candor flags teams
# below it and never drops them (instruments.md §4.4).
RWG_THRESHOLD = 0.70


def uniform_null_variance(scale_points: int) -> float:
    """Variance of a uniform ("no agreement") answer distribution over A options: (A² - 1) / 12.

    A = 5 gives 2.0 and A = 7 gives 4.0.
    """
    return (scale_points**2 - 1) / 12


def mean_item_variance(keyed: np.ndarray) -> float | None:
    """s̄²: mean over items of the within-team sample variance (n - 1) of each item.

    A missing answer leaves that item's variance to the members who answered it; an item with
    fewer than two answers has no variance and is left out. None when no item has two answers.
    """
    keyed = np.asarray(keyed, dtype=float)
    answered = (~np.isnan(keyed)).sum(axis=0)
    usable = keyed[:, answered >= 2]
    if usable.shape[1] == 0:
        return None
    return float(np.nanvar(usable, axis=0, ddof=1).mean())


def rwg_j(mean_item_var: float, n_items: int, null_variance: float) -> float:
    """rwg(j) = J(1 - r) / [J(1 - r) + r] with r = s̄²/sigma²_EU; 0 when s̄² > sigma²_EU.

    Truncation: more spread than random answering means no agreement, and the raw formula
    would otherwise give values outside [0, 1] (instruments.md §4.1).
    """
    ratio = mean_item_var / null_variance
    if ratio > 1:
        return 0.0
    agreement = n_items * (1 - ratio)
    return agreement / (agreement + ratio)


def r_star_wg_j(mean_item_var: float, null_variance: float) -> float:
    """Lindell's r*wg(j) = 1 - s̄²/sigma²_EU: flat in J, may be negative (no truncation)."""
    return 1 - mean_item_var / null_variance


@dataclass(frozen=True)
class OneWayIcc:
    """One-way ANOVA of person scores by team, and the ICCs derived from it."""

    n_respondents: int
    n_teams: int
    msb: float
    msw: float
    k0: float
    icc1: float | None
    icc2: float | None


def icc_oneway(groups: Sequence[np.ndarray]) -> OneWayIcc | None:
    """ICC(1) and ICC(2) from a one-way ANOVA with teams of unequal size.

    MSB = Σ nⱼ(ȳⱼ - ȳ)² / (G - 1), MSW = Σ Σ (y - ȳⱼ)² / (N - G),
    k₀ = (N - Σ nⱼ² / N) / (G - 1)  (the "average" team size for unequal sizes),
    ICC(1) = (MSB - MSW) / (MSB + (k₀ - 1)·MSW),  ICC(2) = (MSB - MSW) / MSB.
    ICC(1) may be negative (MSB < MSW): it is reported as computed, read as 0.
    Returns None with fewer than two teams or no within-team degrees of freedom.
    """
    arrays = [np.asarray(g, dtype=float) for g in groups if len(g) > 0]
    n_teams = len(arrays)
    sizes = np.array([a.size for a in arrays], dtype=float)
    n_total = float(sizes.sum())
    if n_teams < 2 or n_total <= n_teams:
        return None
    grand_mean = np.concatenate(arrays).mean()
    ss_between = float(sum(a.size * (a.mean() - grand_mean) ** 2 for a in arrays))
    ss_within = float(sum(((a - a.mean()) ** 2).sum() for a in arrays))
    msb = ss_between / (n_teams - 1)
    msw = ss_within / (n_total - n_teams)
    k0 = (n_total - (sizes**2).sum() / n_total) / (n_teams - 1)
    icc1_denominator = msb + (k0 - 1) * msw
    return OneWayIcc(
        n_respondents=int(n_total),
        n_teams=n_teams,
        msb=msb,
        msw=msw,
        k0=float(k0),
        icc1=(msb - msw) / icc1_denominator if icc1_denominator > 0 else None,
        icc2=(msb - msw) / msb if msb > 0 else None,
    )
