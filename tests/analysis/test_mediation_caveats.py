"""A mediation path whose proxy is fed by the outcome's own events says so (mediators.fed_by).

The proactive share counts customer-impacting incidents as reactive records, so a team's
failures lower it in the very window its change failure and rework are counted: those two
paths carry a warning and a sentence that does not read them as mediation; no other does.
"""

from __future__ import annotations

import numpy as np

from models.analysis.build import AnalysisSettings, fit_mediation
from models.analysis.wording import mediation_sentence
from tests.analysis.synthetic_panel import draw_panel

FED = {("proactive_share", "change_failure_rate"), ("proactive_share", "rework_rate")}


def test_only_the_paths_whose_proxy_counts_the_outcome_carry_the_caveat():
    panel = draw_panel(seed=21, teams=25)
    rng = np.random.default_rng(5)
    panel["lag_proactive_issues"] = rng.integers(2, 12, len(panel))
    panel["lag_reactive_issues"] = rng.integers(1, 8, len(panel))
    rows = fit_mediation(panel, AnalysisSettings(bootstrap_replicates=50))
    paths = {(r.mediator, r.outcome): r for r in rows}
    assert set(paths) >= FED  # both paths were fitted (else this checks nothing)
    for key, row in paths.items():
        caveat = [w for w in row.warnings if "counts customer-impacting incidents" in w]
        assert bool(caveat) == (key in FED), key


def test_a_fed_path_whose_interval_leaves_out_zero_is_not_called_mediation():
    words = dict(predictor="psysafe", mediator_label="share of issues raised proactively",
                 outcome="change_failure_rate", window="lagged", indirect_ratio=0.8,
                 ci_low_ratio=0.7, ci_high_ratio=0.9, n_teams=40, failed_share=0.0)
    plain = mediation_sentence(**words)
    fed = mediation_sentence(**words, caveat="the proxy counts incidents")
    assert plain.startswith("Consistent with mediation")
    assert fed.startswith("Not evidence of mediation on its own") and "counts incidents" in fed
    # the same numbers either way
    assert plain.split(": per standard deviation")[1] == fed.split(": per standard deviation")[1]
