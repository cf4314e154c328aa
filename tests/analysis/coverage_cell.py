"""One term over the seeds of a recovery study: coverage, bias and its Monte Carlo error.

Shared by the synthetic calibration (tests/analysis/calibration.py, truth = planted coefficient)
and the simulated-organization study (tests/analysis/simulated_recovery.py, truth = pseudo-true
value): each seed's truth is `truth_raw * scale`, the raw-unit truth on the seed's own
predictor SD, which is what its standardized model estimates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Cell:
    """One term over the seeds: each seed's truth (on that seed's scale), estimate and
    interval."""

    truth_raw: float = float("nan")  # the mean truth per raw score point (for the table)
    estimates: list[float] = field(default_factory=list)
    truths: list[float] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    rejected: list[bool] = field(default_factory=list)
    truth_raw_se: float = 0.0  # SE of the mean truth per raw point (pseudo-truth MC error)
    scales: list[float] = field(default_factory=list)  # each seed's predictor SD

    def add(self, estimate: float, low: float, high: float, p: float | None,
            truth_raw: float, scale: float) -> None:
        if not (math.isfinite(estimate) and math.isfinite(low) and math.isfinite(high)):
            return  # not estimable in this seed: counted by `seeds` vs len(estimates)
        truth = truth_raw * scale  # the seed's estimand: its model standardizes by `scale`
        self.estimates.append(estimate)
        self.truths.append(truth)
        self.scales.append(scale)
        self.covered.append(low <= truth <= high)
        self.rejected.append(p is not None and p < 0.05)

    @property
    def coverage(self) -> float:
        return float(np.mean(self.covered))

    @property
    def bias(self) -> float:
        return float(np.mean(np.subtract(self.estimates, self.truths)))

    @property
    def bias_mcse(self) -> float:
        """Monte Carlo SE of the bias: of the mean error over seeds and of the truth."""
        errors = np.subtract(self.estimates, self.truths)
        truth_se = self.truth_raw_se * float(np.mean(self.scales))
        return math.hypot(float(np.std(errors, ddof=1)) / math.sqrt(len(errors)), truth_se)
