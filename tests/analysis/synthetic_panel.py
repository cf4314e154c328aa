"""Team-wave panels drawn straight from the models' own assumptions, so every true coefficient is
known in closed form (no simulated organization, no attenuation, no deployment wait).

x (the culture score) = team mean + wave deviation, with between- and within-team variances
`between_var` and `1 - between_var`, so its population SD is 1 and the score column is 4 + x.
Outcomes, with `beta[outcome] = (beta_between, beta_within)` per population SD of x:
- log median lead / recovery hours = 3 + bB*xbar + bW*(x - xbar) + wave shift + team effect
  N(0, 0.3^2) + noise N(0, 0.4^2): OLS on the Mundlak split estimates (bB, bW) exactly;
- deployments ~ Poisson(days * exp(-0.5 + bB*xbar + bW*(x - xbar) + team effect N(0, 0.3^2))):
  with a log link an independent team effect shifts only the intercept, so the
  population-averaged slopes the GEE estimates are still (bB, bW);
- failed / rework deployments ~ Binomial(deployments, expit(-1.5 + bB*xbar + bW*(x - xbar))):
  no team effect, because with a logit link it would attenuate the population-averaged slope
  away from the closed form.
The models standardize x by its sample SD s over the rows, so their estimand is beta * s: the
tests compare with that (`truth`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OUTCOME_COLUMNS = ("lead_time", "deployment_frequency", "change_failure_rate", "recovery_time",
                   "rework_rate")


def draw_panel(seed: int, teams: int = 40, waves: int = 4, between_var: float = 0.6,
               beta: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    beta = beta or {name: (0.0, 0.0) for name in OUTCOME_COLUMNS}
    rng = np.random.default_rng(seed)
    team_mean = rng.normal(0, np.sqrt(between_var), teams)
    rows = []
    for t in range(teams):
        team_effect = rng.normal(0, 0.3)
        size = int(rng.integers(4, 10))
        for w in range(waves):
            x = team_mean[t] + rng.normal(0, np.sqrt(1 - between_var))
            rows.append({"team": f"team-{t:02d}", "wave": f"W{w + 1}", "wave_index": w,
                         "x_raw": x, "team_mean_true": team_mean[t],
                         "team_effect": team_effect, "team_size": size})
    panel = pd.DataFrame(rows)
    # the Mundlak split of the generator is on the sample team means, as the models see them
    xbar = panel.groupby("team")["x_raw"].transform("mean")
    xw = panel["x_raw"] - xbar

    def linear(name: str) -> np.ndarray:
        b_between, b_within = beta[name]
        return b_between * xbar.to_numpy() + b_within * xw.to_numpy()

    n = len(panel)
    wave_shift = 0.1 * panel["wave_index"].to_numpy()
    out = {"team": panel["team"], "wave": panel["wave"], "team_size": panel["team_size"],
           "closes_on": pd.Timestamp("2026-03-31") + pd.to_timedelta(91 * panel["wave_index"],
                                                                    unit="D"),
           "psysafe_score": 4 + panel["x_raw"], "psysafe_suppressed": False,
           "westrum_score": 4 + panel["x_raw"], "westrum_suppressed": False}
    for w in ("lag", "con"):
        out[f"{w}_coverage_share"] = 1.0
        out[f"{w}_exposure_days"] = 90.0
        for name, column in (("lead_time", "lead_time"), ("recovery_time", "recovery")):
            log_median = (3 + linear(name) + wave_shift + panel["team_effect"].to_numpy()
                          + rng.normal(0, 0.4, n))
            out[f"{w}_{column}_median_hours"] = np.exp(log_median)
            out[f"{w}_{column}_n"] = 20
        rate = np.exp(-0.5 + linear("deployment_frequency") + panel["team_effect"].to_numpy())
        deployments = rng.poisson(90.0 * rate)
        out[f"{w}_deployments"] = deployments
        for name, column in (("change_failure_rate", "failed_deployments"),
                             ("rework_rate", "rework_deployments")):
            p = 1 / (1 + np.exp(-(-1.5 + linear(name))))
            out[f"{w}_{column}"] = rng.binomial(deployments, p)
    frame = pd.DataFrame(out)
    frame.attrs["x_sd"] = float(panel["x_raw"].std(ddof=1))
    return frame
