"""The calibration study: fit every outcome's model on many synthetic panels with known truth.

Shared by the default-suite test (few seeds) and the slow study (`make calibrate`, 200 seeds),
which prints the table docs/analysis.md quotes.
"""

from __future__ import annotations

import numpy as np

from models.analysis.fitting import fit
from models.analysis.outcomes import OUTCOMES
from models.analysis.panel import model_frame
from tests.analysis.coverage_cell import Cell
from tests.analysis.synthetic_panel import draw_panel

# true (between, within) coefficients per population SD of the score
BETA = {"lead_time": (-0.25, -0.15), "deployment_frequency": (0.2, 0.1),
        "change_failure_rate": (-0.3, -0.2), "recovery_time": (-0.2, 0.0),
        "rework_rate": (-0.25, -0.1)}
TERMS = ("x_between", "x_within")


def study(seeds, beta=BETA) -> dict[tuple[str, str], Cell]:
    """(outcome, term) -> Cell, 40 teams x 4 waves per seed."""
    table = {(o.name, t): Cell() for o in OUTCOMES for t in TERMS}
    for seed in seeds:
        panel = draw_panel(seed, beta=beta)
        sd = panel.attrs["x_sd"]  # the models' estimand is beta * sample SD of the score
        for outcome in OUTCOMES:
            frame = model_frame(panel, "psysafe", outcome, "lag", 0.5)
            result = fit(frame, outcome, list(TERMS))
            for term, true_beta in zip(TERMS, beta[outcome.name], strict=True):
                est = result.terms[term]
                table[(outcome.name, term)].add(est.estimate, est.ci_low, est.ci_high,
                                                est.p_value, true_beta, sd)
    return table


def format_table(table: dict[tuple[str, str], Cell], seeds: int) -> str:
    lines = [f"{seeds} seeds, 40 teams x 4 waves",
             "| outcome | term | true value (mean) | mean estimate | bias | coverage | "
             "rejection rate |", "|---|---|---|---|---|---|---|"]
    for (outcome, term), cell in table.items():
        lines.append(f"| {outcome} | {term} | {np.mean(cell.truths):.3f} | "
                     f"{np.mean(cell.estimates):.3f} | {cell.bias:+.4f} | "
                     f"{cell.coverage:.3f} | {np.mean(cell.rejected):.3f} |")
    return "\n".join(lines)
