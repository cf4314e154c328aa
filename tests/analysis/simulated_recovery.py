"""The simulated-organization recovery study: the models run on a whole simulated org (40 teams,
12 months, so 4 quarterly survey waves) loaded through the connector code, and their estimates
compared with what the generator planted.

One seed: `generate_org` -> `load_org` (direct, no HTTP) -> `build_marts` (ending with the
panel marts.culture_vs_delivery) -> `fit_models` (the analysis without mediation) -> model_results.

What "the true value" of a term is (issue 9, Acceptance):
- closed form: under `null=True` no culture score moves any delivery outcome, so every term of
  every outcome is 0 (CLOSED_FORM_NULL); and the structural sign of each path of psychological
  safety on an outcome (STRUCTURAL_SIGNS, derived from TRUE_COEFFICIENTS in `structural_signs`).
- otherwise the pseudo-true value: what the same model estimates on one very large org with
  the same survey sizes (survey means are noisy readings of the latent values, which attenuates
  the estimates; a median lead time adds deployment wait to PR cycle time). The generator draws
  every team independently from the same distribution (simulator/culture_drift.py: fixed draws
  per team, no org-level standardization), so the panels of K independent 40-team orgs,
  their teams renamed apart, are one org of 40*K teams with the same calendar waves: the
  models are fitted once on that pooled panel. Its cluster-robust standard error is the Monte
  Carlo SE of the pseudo-true value. `python -m tests.analysis.simulated_recovery
  --pseudo-truth` regenerates tests/analysis/pseudo_truth.json, which records org size, seeds
  and that SE next to each value.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from models.analysis.build import fit_models, settings_from
from models.analysis.outcomes import OUTCOMES
from models.analysis.panel import read_panel
from models.analysis.results import ModelResult
from pipelines.config import CandorConfig
from simulator.culture import TRUE_COEFFICIENTS
from simulator.direct_load import build_marts, direct_config, load_org
from simulator.generator import generate_org
from warehouse.connection import connect

TEAMS, MONTHS = 40, 12
PREDICTORS = ("psysafe", "westrum")
ESTIMANDS = ("between", "within")
PSEUDO_TRUTH_FILE = Path(__file__).with_name("pseudo_truth.json")
PSEUDO_TRUTH_SEEDS = range(900_001, 900_013)  # disjoint from the study's seeds
STUDY_FIRST_SEED = 1
CLOSED_FORM_NULL = 0.0

Key = tuple[str, str, str]  # (predictor, estimand, outcome)


@dataclass(frozen=True)
class Knobs:
    """The culture knobs of `generate_org` (simulator/culture.py)."""

    effect_size: float = 1.0
    null: bool = False
    activity: float = 1.0

    def label(self) -> str:
        return "null" if self.null else f"effect_size={self.effect_size:g}"


def structural_signs() -> dict[str, int]:
    """Sign of psychological safety's total effect on each delivery outcome's model scale, from
    TRUE_COEFFICIENTS: safety raises learning (a_s + r*a_w > 0) and westrum (r > 0); lead time
    follows PR cycle time (safety coefficient), deployments follow westrum, change failure and
    recovery time follow learning. Rework has no path of its own (left out)."""
    c = TRUE_COEFFICIENTS
    r = c["westrum_given_safety"]["correlation"]
    to_learning = c["learning"]["safety"] + r * c["learning"]["westrum"]
    assert to_learning > 0 and r > 0
    return {
        "lead_time": int(np.sign(c["pr_cycle_log_hours"]["safety"])),
        "deployment_frequency": int(np.sign(r * c["deploys_per_week_log"]["westrum"])),
        "change_failure_rate": int(np.sign(to_learning * c["failure_logit"]["learning"])),
        "recovery_time": int(np.sign(to_learning * c["recovery_log_hours"]["learning"])),
    }


STRUCTURAL_SIGNS = structural_signs()


def simulate_panel(seed: int, knobs: Knobs = Knobs(), teams: int = TEAMS,
                   months: int = MONTHS) -> tuple[pd.DataFrame, CandorConfig]:
    """The team-wave panel of one simulated org (and its config), loaded directly into a
    scratch warehouse that is deleted afterwards."""
    org = generate_org(seed=seed, teams=teams, months=months, effect_size=knobs.effect_size,
                       null=knobs.null, activity=knobs.activity)
    with tempfile.TemporaryDirectory(prefix="candor-recovery-") as scratch:
        config = direct_config(org, Path(scratch) / "w.duckdb", Path(scratch) / "surveys")
        con = connect(Path(scratch) / "w.duckdb")
        try:
            load_org(org, con, config)
            build_marts(con, config)  # the panel included
            panel = read_panel(con)
        finally:
            con.close()
    return panel, config


def main_rows(rows: Iterable[ModelResult]) -> dict[Key, ModelResult]:
    """The lagged-window between- and within-team terms of both predictors, by key."""
    return {(r.predictor, r.estimand, r.outcome): r for r in rows
            if r.window == "lagged" and r.estimand in ESTIMANDS and r.predictor in PREDICTORS}


def run_seed(seed: int, knobs: Knobs = Knobs(), teams: int = TEAMS) -> list[ModelResult]:
    """Every model_results row of one simulated org (no mediation)."""
    panel, config = simulate_panel(seed, knobs, teams)
    return fit_models(panel, settings_from(config))


def pooled_panel(seeds: Iterable[int], knobs: Knobs, teams: int = TEAMS
                 ) -> tuple[pd.DataFrame, CandorConfig]:
    """The panels of independent orgs as one org: team names prefixed by their seed."""
    panels: list[pd.DataFrame] = []
    config: CandorConfig | None = None
    for seed in seeds:
        panel, config = simulate_panel(seed, knobs, teams)
        panels.append(panel.assign(team=f"s{seed}:" + panel["team"].astype(str)))
    if config is None:
        raise ValueError("pooled_panel: no seeds given")
    return pd.concat(panels, ignore_index=True), config


def derive_pseudo_truth(seeds: Iterable[int] = PSEUDO_TRUTH_SEEDS, knobs: Knobs = Knobs(),
                        teams: int = TEAMS) -> dict:
    """Fit the models once on the pooled panel of `seeds` and record each term's estimate, its
    cluster-robust SE (the Monte Carlo SE of the pseudo-true value) and how it was derived."""
    seeds = list(seeds)
    started = time.perf_counter()
    panel, config = pooled_panel(seeds, knobs, teams)
    rows = main_rows(fit_models(panel, settings_from(config)))
    terms = []
    for (predictor, estimand, outcome), row in sorted(rows.items()):
        terms.append({
            "predictor": predictor, "estimand": estimand, "outcome": outcome,
            "window": "lagged", "value": row.estimate, "monte_carlo_se": row.std_error,
            "n_teams": row.n_teams, "n_observations": row.n_observations,
            "effect_scale": row.effect_scale, "method": row.method,
            "structural_sign": (STRUCTURAL_SIGNS.get(outcome) if predictor == "psysafe"
                                else None)})
    return {
        "derivation": (
            f"pseudo-true value: the same model fitted once on the pooled panel of {len(seeds)} "
            f"independent simulated orgs of {teams} teams x {MONTHS} months (seeds "
            f"{seeds[0]}..{seeds[-1]}), teams renamed apart, i.e. one org of "
            f"{teams * len(seeds)} teams with the default survey sizes and anonymity minimum; "
            "monte_carlo_se is that fit's team-clustered standard error"),
        "knobs": {"effect_size": knobs.effect_size, "null": knobs.null,
                  "activity": knobs.activity, **{name: _default(name)
                                                 for name in ("within_share", "ar1")}},
        "teams_per_org": teams, "months": MONTHS, "seeds": seeds,
        "pooled_teams": int(panel["team"].nunique()),
        "closed_form": {
            "null": ("under null=True every term of every delivery outcome is exactly 0 "
                     "(no culture -> delivery path in the generator)"),
            "structural_signs_psysafe": STRUCTURAL_SIGNS,
        },
        "seconds": round(time.perf_counter() - started, 1),
        "terms": terms,
    }


def _default(knob: str) -> float:
    """generate_org's default for a knob the study leaves alone."""
    return inspect.signature(generate_org).parameters[knob].default


def load_pseudo_truth(path: Path = PSEUDO_TRUTH_FILE) -> dict[Key, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(t["predictor"], t["estimand"], t["outcome"]): t["value"] for t in data["terms"]}


def load_pseudo_truth_se(path: Path = PSEUDO_TRUTH_FILE) -> dict[Key, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(t["predictor"], t["estimand"], t["outcome"]): t["monte_carlo_se"]
            for t in data["terms"]}


@dataclass
class Cell:
    """One predictor x estimand x outcome over the seeds."""

    truth: float
    truth_se: float = 0.0
    estimates: list[float] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    rejected: list[bool] = field(default_factory=list)

    def add(self, row: ModelResult) -> None:
        if not math.isfinite(row.estimate):
            return  # not estimable in this seed: counted by `seeds` vs len(estimates)
        self.estimates.append(row.estimate)
        self.covered.append(row.ci_low <= self.truth <= row.ci_high)
        self.rejected.append(row.p_value < 0.05)

    @property
    def coverage(self) -> float:
        return float(np.mean(self.covered))

    @property
    def bias(self) -> float:
        return float(np.mean(self.estimates)) - self.truth

    @property
    def bias_mcse(self) -> float:
        """Monte Carlo SE of the bias: of the mean estimate and of the pseudo-true value."""
        spread = float(np.std(self.estimates, ddof=1)) / math.sqrt(len(self.estimates))
        return math.hypot(spread, self.truth_se)


@dataclass
class Study:
    knobs: Knobs
    seeds: int
    cells: dict[Key, Cell]
    holm_alarms: int  # seeds with any Holm p < 0.05 among psysafe's 5 between-team outcomes
    seconds: float


def run_study(seeds: Iterable[int], knobs: Knobs, truth: dict[Key, float],
              truth_se: dict[Key, float] | None = None, progress: bool = False) -> Study:
    """Coverage, bias and rejections of every main term over `seeds`."""
    started = time.perf_counter()
    cells = {key: Cell(value, (truth_se or {}).get(key, 0.0)) for key, value in truth.items()}
    alarms = n = 0
    for seed in seeds:
        rows = main_rows(run_seed(seed, knobs))
        for key, cell in cells.items():
            if key in rows:
                cell.add(rows[key])
        holm = [rows[("psysafe", "between", o.name)] for o in OUTCOMES
                if ("psysafe", "between", o.name) in rows]
        assert {r.adjustment for r in holm} == {"holm"}, "confirmatory rows are Holm-adjusted"
        alarms += any(r.p_adjusted is not None and r.p_adjusted < 0.05 for r in holm)
        n += 1
        if progress:
            print(f"  {knobs.label()} seed {seed}: {time.perf_counter() - started:.0f}s",
                  flush=True)
    return Study(knobs, n, cells, alarms, time.perf_counter() - started)


def format_table(study: Study) -> str:
    lines = [f"{study.knobs.label()}: {study.seeds} seeds, {TEAMS} teams x {MONTHS} months "
             f"(4 waves), lagged window, {study.seconds:.0f} s",
             "| predictor | estimand | outcome | true value | mean estimate | bias (MC SE) | "
             "coverage | rejection rate | fits |", "|---|---|---|---|---|---|---|---|---|"]
    for (predictor, estimand, outcome), cell in study.cells.items():
        lines.append(
            f"| {predictor} | {estimand} | {outcome} | {cell.truth:+.3f} | "
            f"{np.mean(cell.estimates):+.3f} | {cell.bias:+.3f} ({cell.bias_mcse:.3f}) | "
            f"{cell.coverage:.3f} | {np.mean(cell.rejected):.3f} | {len(cell.estimates)} |")
    lines.append(f"Holm family-wise alarms (psysafe, between, 5 outcomes): "
                 f"{study.holm_alarms}/{study.seeds} = {study.holm_alarms / study.seeds:.3f}")
    return "\n".join(lines)


def null_truth() -> dict[Key, float]:
    return {(p, e, o.name): CLOSED_FORM_NULL for p in PREDICTORS for e in ESTIMANDS
            for o in OUTCOMES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pseudo-truth", action="store_true",
                        help=f"regenerate {PSEUDO_TRUTH_FILE.name}")
    parser.add_argument("--orgs", type=int, default=len(PSEUDO_TRUTH_SEEDS),
                        help="independent 40-team orgs pooled for the pseudo-truth")
    parser.add_argument("--study", choices=("effect", "null"), help="run the study and print")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=STUDY_FIRST_SEED)
    args = parser.parse_args()
    if args.pseudo_truth:
        seeds = range(PSEUDO_TRUTH_SEEDS.start, PSEUDO_TRUTH_SEEDS.start + args.orgs)
        data = derive_pseudo_truth(seeds)
        PSEUDO_TRUTH_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {PSEUDO_TRUTH_FILE} in {data['seconds']} s")
    if args.study:
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        if args.study == "null":
            study = run_study(seeds, Knobs(null=True), null_truth(), progress=True)
        else:
            study = run_study(seeds, Knobs(), load_pseudo_truth(), load_pseudo_truth_se(),
                              progress=True)
        print(format_table(study))


if __name__ == "__main__":
    main()
