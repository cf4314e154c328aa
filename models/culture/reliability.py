"""Internal consistency of an instrument: Cronbach's alpha and McDonald's omega total.

Both are computed per instrument and wave over all respondents with every item answered
(listwise complete cases), on the keyed items (reverse-scored items already turned around).
Conventional floor 0.70 (Nunnally 1978; instruments.md §1.5).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

# Seed of the factor fit's random starting values (statsmodels draws them from `rng` before its
# EM iterations): fixed, so the same answers always give the same omega, to the last bit.
OMEGA_FIT_SEED = 20260101

# Uniquenesses this small mean an item is (almost) the factor itself: a Heywood case, whose omega
# is usually inflated. Reported in the note, not hidden.
HEYWOOD_UNIQUENESS = 0.005


@dataclass(frozen=True)
class Estimate:
    """A reliability coefficient, or None with the reason it could not be computed."""

    value: float | None
    note: str = ""


def complete_cases(keyed: np.ndarray) -> np.ndarray:
    """Rows with every item answered (listwise deletion)."""
    keyed = np.asarray(keyed, dtype=float)
    return keyed[~np.isnan(keyed).any(axis=1)]


def cronbach_alpha(items: np.ndarray) -> Estimate:
    """alpha = k/(k - 1) · (1 - Σ σ²ᵢ / σ²ₜ) on a complete respondents x items matrix.

    σ²ᵢ are the item variances and σ²ₜ the variance of the respondents' item sums (both with
    n - 1; the choice cancels in the ratio).
    """
    items = np.asarray(items, dtype=float)
    n, k = items.shape
    if k < 2 or n < 2:
        return Estimate(None, f"alpha needs >= 2 items and >= 2 complete cases (has {k}, {n})")
    total_variance = items.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return Estimate(None, "alpha undefined: every complete case has the same total")
    item_variances = items.var(axis=0, ddof=1).sum()
    return Estimate(float(k / (k - 1) * (1 - item_variances / total_variance)))


def mcdonald_omega(items: np.ndarray) -> Estimate:
    """Omega total = (Σλ)² / ((Σλ)² + Σψ) from a one-factor maximum-likelihood factor model.

    Fitted with statsmodels' Factor(method="ml") on the item correlation matrix, so λ are
    standardized loadings and ψ = 1 - λ² the uniquenesses: this is omega of the sum of the
    standardized items. The fit's starting values are seeded (`OMEGA_FIT_SEED`): deterministic.
    semopy (instruments.md §1.5) would give the same standardized
    solution but is not a Candor dependency.
    """
    items = np.asarray(items, dtype=float)
    n, k = items.shape
    if k < 3:
        return Estimate(None, f"omega needs >= 3 items for a one-factor model (has {k})")
    if n <= k:
        return Estimate(None, f"omega needs more complete cases than items (has {n} for {k})")
    if (items.var(axis=0) == 0).any():
        return Estimate(None, "omega undefined: an item has the same answer in every complete case")
    # Imported here: statsmodels takes seconds to import and only omega needs it.
    from statsmodels.multivariate.factor import Factor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = Factor(items, n_factor=1, method="ml").fit(rng=OMEGA_FIT_SEED)
        except (np.linalg.LinAlgError, ValueError) as exc:
            return Estimate(None, f"omega: one-factor ML fit failed ({exc})")
    if not fit.mle_retvals.success:
        reason = fit.mle_retvals.message
        return Estimate(None, f"omega: one-factor ML fit did not converge ({reason})")
    loadings = np.asarray(fit.loadings, dtype=float).ravel()
    uniqueness = np.asarray(fit.uniqueness, dtype=float)
    common = loadings.sum() ** 2
    notes = [f"fit warning: {w.message}" for w in caught]
    if (uniqueness < HEYWOOD_UNIQUENESS).any():
        notes.append("Heywood case (an item uniqueness near 0): omega may be inflated")
    return Estimate(float(common / (common + uniqueness.sum())), "; ".join(notes))
