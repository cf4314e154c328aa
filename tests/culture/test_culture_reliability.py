"""Cronbach's alpha and McDonald's omega: by hand, against pingouin, on exact one-factor data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from models.culture import complete_cases, cronbach_alpha, mcdonald_omega


def test_alpha_by_hand() -> None:
    items = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]], dtype=float)
    # Item variances (n - 1): 5/3, 2/3, 5/3, sum 4.
    # Sums per respondent: 5, 8, 10, 13, mean 9, squared deviations 16+1+1+16 = 34, var 34/3.
    # alpha = 3/2 * (1 - 4/(34/3)) = 3/2 * (1 - 12/34) = 3/2 * 22/34 = 33/34.
    assert cronbach_alpha(items).value == pytest.approx(33 / 34)


def _correlated_items(rng: np.random.Generator, n: int, loadings: np.ndarray) -> np.ndarray:
    factor = rng.normal(size=(n, 1))
    noise = rng.normal(size=(n, loadings.size)) * np.sqrt(1 - loadings**2)
    return factor * loadings + noise


def test_alpha_matches_pingouin_on_larger_data() -> None:
    rng = np.random.default_rng(11)
    latent = _correlated_items(rng, 400, np.array([0.8, 0.7, 0.6, 0.7, 0.5, 0.6]))
    # Cut into 7-point codes, like survey answers.
    codes = np.clip(np.round(4 + 1.5 * latent), 1, 7)
    expected, _ = pg.cronbach_alpha(data=pd.DataFrame(codes))
    assert cronbach_alpha(codes).value == pytest.approx(expected, abs=1e-12)


def test_alpha_listwise_matches_pingouin_listwise() -> None:
    rng = np.random.default_rng(12)
    codes = np.clip(np.round(4 + 1.5 * _correlated_items(rng, 300, np.full(7, 0.6))), 1, 7)
    codes[rng.random(codes.shape) < 0.03] = np.nan
    expected, _ = pg.cronbach_alpha(data=pd.DataFrame(codes), nan_policy="listwise")
    complete = complete_cases(codes)
    assert complete.shape[0] < 300
    assert cronbach_alpha(complete).value == pytest.approx(expected, abs=1e-12)


def _with_exact_correlation(rng: np.random.Generator, n: int, target: np.ndarray) -> np.ndarray:
    """Data whose sample correlation matrix is exactly `target` (whiten, then colour)."""
    raw = rng.normal(size=(n, target.shape[0]))
    raw -= raw.mean(axis=0)
    whitened = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False))).T
    return whitened @ np.linalg.cholesky(target).T


def test_omega_recovers_known_loadings() -> None:
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    target = np.outer(loadings, loadings)
    np.fill_diagonal(target, 1.0)
    items = _with_exact_correlation(np.random.default_rng(5), 250, target)
    # One factor fits exactly, so ML returns these loadings. Σλ = 2.6, (Σλ)² = 6.76;
    # Σψ = (1-.64) + (1-.49) + (1-.36) + (1-.25) = 2.26; omega = 6.76/(6.76 + 2.26) = 6.76/9.02.
    assert mcdonald_omega(items).value == pytest.approx(6.76 / 9.02, abs=1e-4)


def test_omega_equals_alpha_for_equal_loadings() -> None:
    # Five items loading 0.6 (all correlations .36, unit variances): omega = 3²/(9 + 5*.64) =
    # 9/12.2, and alpha = 5*.36/(1 + 4*.36) = 1.8/2.44 = 9/12.2 as well (tau-equivalence).
    target = np.full((5, 5), 0.36)
    np.fill_diagonal(target, 1.0)
    items = _with_exact_correlation(np.random.default_rng(6), 300, target)
    assert cronbach_alpha(items).value == pytest.approx(9 / 12.2)
    assert mcdonald_omega(items).value == pytest.approx(9 / 12.2, abs=1e-4)


def test_reliability_reports_why_it_cannot_be_computed() -> None:
    few = np.array([[1.0, 2, 3, 4], [2.0, 3, 4, 5]])
    assert mcdonald_omega(few).value is None
    assert "more complete cases than items" in mcdonald_omega(few).note
    assert cronbach_alpha(np.array([[3.0, 3], [3.0, 3]])).value is None
    assert cronbach_alpha(np.array([[1.0, 2]])).value is None


def test_omega_is_deterministic_to_the_last_bit() -> None:
    # Unseeded, statsmodels draws the ML fit's starting values at random and omega differs in
    # the 7th digit from call to call; seeded, the same answers give the same bits.
    generator = np.random.default_rng(1)
    factor = generator.normal(size=(60, 1))
    items = np.clip(np.round(4 + 1.2 * factor + generator.normal(size=(60, 6))), 1, 7)
    values = {mcdonald_omega(items).value.hex() for _ in range(5)}
    assert len(values) == 1
