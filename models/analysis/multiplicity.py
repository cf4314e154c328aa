"""p-value adjustment: Holm for the declared hypotheses, Benjamini-Hochberg for the screen.

Confirmatory family (Holm, controls the family-wise error): for each primary predictor and
estimand, the five outcomes in the lagged window. Everything else (the concurrent window,
predictors not declared primary) is one exploratory screen (Benjamini-Hochberg false discovery
rate), labelled so in every row. statsmodels' default method is Holm-Sidak, so the method is
always passed explicitly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from statsmodels.stats.multitest import multipletests


class Adjustable(Protocol):
    p_value: float
    p_adjusted: float | None
    adjustment: str | None


def _adjust(rows: Sequence[Adjustable], method: str, label: str) -> None:
    finite = [row for row in rows if row.p_value is not None and np.isfinite(row.p_value)]
    for row in rows:
        row.adjustment = label
        row.p_adjusted = None
    if not finite:
        return
    adjusted = multipletests([row.p_value for row in finite], method=method)[1]
    for row, value in zip(finite, adjusted, strict=True):
        row.p_adjusted = float(value)


def adjust_families(rows: Sequence[Adjustable],
                    confirmatory_key: Callable[[Adjustable], tuple | None]) -> None:
    """Holm within each confirmatory family (key not None), BH across all other rows."""
    families: dict[tuple, list] = defaultdict(list)
    screen = []
    for row in rows:
        key = confirmatory_key(row)
        (families[key] if key is not None else screen).append(row)
    for family in families.values():
        _adjust(family, "holm", "holm")
    _adjust(screen, "fdr_bh", "fdr_bh (exploratory)")
