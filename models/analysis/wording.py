"""Plain words for a leader: each result as one sentence with its uncertainty and caveats.

A result is called an effect only when its adjusted p-value (Holm for confirmatory rows,
Benjamini-Hochberg for the exploratory screen) is below 0.05; otherwise the sentence says it is
not distinguishable from no effect with this many teams and how large an effect could have been
detected, never that there is no effect. Every sentence says it is an association.
"""

from __future__ import annotations

import math

from models.analysis.outcomes import PREDICTOR_LABELS, outcome_named

ALPHA = 0.05

# outcome -> (words for a ratio below 1, words above 1, what changes)
_DIRECTION = {
    "lead_time": ("shorter", "longer", "median lead times"),
    "recovery_time": ("shorter", "longer", "median recovery times after failed deployments"),
    "deployment_frequency": ("fewer", "more", "deployments per day"),
    "change_failure_rate": ("lower", "higher", "odds that a deployment failed"),
    "rework_rate": ("lower", "higher", "odds that a deployment was rework"),
}


def percent_change(ratio: float, outcome: str) -> str:
    """A ratio as '23% shorter' / '12% more' in the outcome's words."""
    if ratio is None or not math.isfinite(ratio):
        return "an undetermined change"
    down, up, _ = _DIRECTION[outcome]
    pct = (ratio - 1.0) * 100.0
    size = abs(pct)
    text = f"{size:.0f}%" if size >= 10 else f"{size:.1f}%"
    return f"{text} {down if pct < 0 else up}"


def _p_text(p_adjusted: float | None, p_value: float, adjustment: str | None) -> str:
    if p_adjusted is None or not math.isfinite(p_adjusted):
        return f"p = {_fmt_p(p_value)}" if p_value is not None else "p not available"
    name = "Holm-adjusted" if adjustment == "holm" else "FDR-adjusted (exploratory)"
    return f"{name} p = {_fmt_p(p_adjusted)}"


def _fmt_p(p: float) -> str:
    if p is None or not math.isfinite(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def is_distinguishable(p_adjusted: float | None, p_value: float) -> bool:
    p = p_adjusted if p_adjusted is not None else p_value
    return p is not None and math.isfinite(p) and p < ALPHA


def model_sentence(*, outcome: str, predictor: str, estimand: str, window: str,
                   ratio: float, ratio_ci_low: float, ratio_ci_high: float,
                   p_value: float, p_adjusted: float | None, adjustment: str | None,
                   n_teams: int, n_observations: int, min_detectable_r: float | None) -> str:
    """The sentence of one model_results row."""
    pred = PREDICTOR_LABELS.get(predictor, predictor)
    _, _, what = _DIRECTION[outcome]
    effect = f"{percent_change(ratio, outcome)} {what}"
    interval = (f"95% CI {percent_change(ratio_ci_low, outcome)} to "
                f"{percent_change(ratio_ci_high, outcome)}")
    counts = f"{n_teams} teams, {n_observations} team-waves, {window} window"
    p_text = _p_text(p_adjusted, p_value, adjustment)
    few = "; fewer than 20 teams, read with care" if n_teams < 20 else ""
    if not math.isfinite(ratio):
        return (f"{pred.capitalize()} and {outcome_named(outcome).label} ({estimand}): the "
                f"model could not be estimated with {n_teams} teams.")
    if is_distinguishable(p_adjusted, p_value):
        if estimand == "within":
            lead = (f"In waves when a team's {pred} was one standard deviation above its own "
                    f"average, it had {effect}")
        else:
            lead = f"Teams one standard deviation higher in {pred} had {effect}"
        return f"{lead} ({interval}, {p_text}, {counts}; association, not causation{few})."
    detect = (f"; could detect correlations of |r| >= {min_detectable_r:.2f} with 80% power"
              if min_detectable_r is not None else "")
    scope = {"within": "within teams", "between": "between teams"}.get(estimand, "overall")
    return (f"{pred.capitalize()} and {outcome_named(outcome).label} ({scope}): not "
            f"distinguishable from no effect with {n_teams} teams (estimate {effect}, "
            f"{interval}, {p_text}, {counts}{detect}{few}).")


def mediation_sentence(*, predictor: str, mediator_label: str, outcome: str, window: str,
                       indirect_ratio: float, ci_low_ratio: float, ci_high_ratio: float,
                       n_teams: int, failed_share: float, caveat: str | None = None) -> str:
    """The sentence of one mediation_results row (bias-corrected expanded percentile interval,
    team bootstrap)."""
    pred = PREDICTOR_LABELS.get(predictor, predictor)
    _, _, what = _DIRECTION[outcome]
    interval = (f"95% CI {percent_change(ci_low_ratio, outcome)} to "
                f"{percent_change(ci_high_ratio, outcome)}")
    failed = (f"; {failed_share:.1%} of bootstrap refits failed" if failed_share > 0 else "")
    excludes_zero = (math.isfinite(ci_low_ratio) and math.isfinite(ci_high_ratio)
                     and (ci_low_ratio > 1 or ci_high_ratio < 1))
    path = f"{pred} -> {mediator_label} -> {outcome_named(outcome).label}"
    if excludes_zero:
        # `caveat`: the proxy is fed by the outcome itself (models/analysis/mediators.py)
        opening = (f"Not evidence of mediation on its own ({path}): the interval leaves out "
                   f"zero, but {caveat}" if caveat else f"Consistent with mediation ({path})")
        return (f"{opening}: per standard deviation of {pred}, the "
                f"path through {mediator_label} goes with "
                f"{percent_change(indirect_ratio, outcome)} {what} ({interval}, team "
                f"bootstrap, {n_teams} teams, {window} window; association, not "
                f"causation{failed}).")
    return (f"Indirect path {path}: not distinguishable from none with {n_teams} teams "
            f"(estimate {percent_change(indirect_ratio, outcome)} {what}, {interval}, team "
            f"bootstrap{failed}).")
