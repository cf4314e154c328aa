"""The simulated-organization recovery study: the models run on whole simulated orgs (40 teams,
12 months, so 4 quarterly survey waves) loaded through the connector code, and their estimates
compared with what the generator planted.

One seed: `generate_org` -> `load_org` (direct, no HTTP) -> `build_marts` (ending with the
panel marts.culture_vs_delivery) -> `fit_models` (and, with --mediation, `fit_mediation` with
999 team-bootstrap replicates). Panels are kept on disk between runs, keyed by the code that
builds them (tests/analysis/panel_cache.py), and built and fitted in `--jobs` processes.

What "the true value" of a term is (issue 9, Acceptance):
- closed form: under `null=True` no culture score moves any delivery outcome, so every term of
  every outcome and every mediation path into one is 0; and the structural sign of each path of
  psychological safety on an outcome (STRUCTURAL_SIGNS, derived from TRUE_COEFFICIENTS).
- otherwise the pseudo-true value: what the same model estimates on one very large org with
  the same survey sizes (survey means are noisy readings of the latent values, which attenuates
  the estimates; a median lead time adds deployment wait to PR cycle time). The generator draws
  every team independently from the same distribution (simulator/culture_drift.py: fixed draws
  per team, no org-level standardization), so the panels of many independent 40-team orgs,
  their teams renamed apart, are one org of thousands of teams with the same calendar waves.
  Cross-fitted: the study's seeds split into two halves and each half's pool gives the truth of
  the other half's seeds, so no seed's interval is judged against a value its own data moved
  (tests/analysis/pseudo_truth.py says how the pool is fitted). `--write-truth` records both
  halves' values, with their Monte Carlo SEs, in tests/analysis/pseudo_truth.json.

    python -m tests.analysis.simulated_recovery --study effect --seeds 200 --mediation
    python -m tests.analysis.simulated_recovery --study null --seeds 200
"""

from __future__ import annotations

import argparse
import inspect
import json
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from models.analysis.build import AnalysisSettings, fit_mediation, fit_models, settings_from
from models.analysis.outcomes import OUTCOMES
from models.analysis.panel import predictor_rows, read_panel
from models.analysis.results import MediationResult, ModelResult
from pipelines.config import CandorConfig
from pipelines.config.analysis import AnalysisConfig
from simulator.culture import TRUE_COEFFICIENTS
from simulator.direct_load import build_marts, direct_config, load_org
from simulator.generator import generate_org
from tests.analysis.coverage_cell import Cell
from tests.analysis.panel_cache import cache_folder, cached_panels
from tests.analysis.pseudo_truth import (
    MediationKey,
    PseudoTrue,
    mediation_truths,
    model_truths,
    pool,
)
from warehouse.connection import connect

TEAMS, MONTHS = 40, 12
PREDICTORS = ("psysafe", "westrum")
ESTIMANDS = ("between", "within")
PSEUDO_TRUTH_FILE = Path(__file__).with_name("pseudo_truth.json")
STUDY_FIRST_SEED = 1

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


def make_panel(seed: int, knobs: Knobs = Knobs(), teams: int = TEAMS) -> pd.DataFrame:
    """The panel of one simulated org (module level, so worker processes can run it)."""
    return simulate_panel(seed, knobs, teams)[0]


def panels(seeds: Iterable[int], knobs: Knobs = Knobs(), teams: int = TEAMS, jobs: int = 1
           ) -> Iterable[tuple[int, pd.DataFrame]]:
    """(seed, panel) of each seed, kept between runs (tests/analysis/panel_cache.py)."""
    label = f"{knobs.label()}-activity{knobs.activity:g}-teams{teams}-months{MONTHS}"
    return cached_panels(seeds, label, partial(make_panel, knobs=knobs, teams=teams), jobs,
                         cache_folder())


def main_rows(rows: Iterable[ModelResult]) -> dict[Key, ModelResult]:
    """The lagged-window between- and within-team terms of both predictors, by key."""
    return {(r.predictor, r.estimand, r.outcome): r for r in rows
            if r.window == "lagged" and r.estimand in ESTIMANDS and r.predictor in PREDICTORS}


def run_seed(seed: int, knobs: Knobs = Knobs(), teams: int = TEAMS) -> list[ModelResult]:
    """Every model_results row of one simulated org (no mediation)."""
    panel, config = simulate_panel(seed, knobs, teams)
    return fit_models(panel, settings_from(config))


STUDY_SETTINGS = settings_from(SimpleNamespace(analysis=AnalysisConfig()))
"""candor.yaml's analysis defaults, which every simulated org's config keeps."""
STUDY_REPLICATES = 999  # per-seed mediation bootstrap (production: 2000); ample for a 95% CI


@dataclass
class SeedFit:
    """What one seed's panel gave: its main model rows and (optionally) mediation rows, and
    the predictor SD the mediation standardized psychological safety by."""

    models: dict[Key, ModelResult]
    holm: list[ModelResult]
    mediation: dict[MediationKey, MediationResult] = field(default_factory=dict)
    mediation_sd: float = float("nan")


def fit_seed(panel: pd.DataFrame, mediation: bool = False,
             settings: AnalysisSettings = STUDY_SETTINGS) -> SeedFit:
    rows = fit_models(panel, settings)
    models = main_rows(rows)
    holm = [models[("psysafe", "between", o.name)] for o in OUTCOMES
            if ("psysafe", "between", o.name) in models]
    fitted = SeedFit(models, holm)
    if mediation:
        chosen = replace(settings, bootstrap_replicates=STUDY_REPLICATES)
        fitted.mediation = {(r.predictor, r.mediator, r.outcome): r
                            for r in fit_mediation(panel, chosen)}
        fitted.mediation_sd = _mediation_sd(panel, settings)
    return fitted


def _mediation_sd(panel: pd.DataFrame, settings: AnalysisSettings) -> float:
    """The SD of psychological safety over the lagged rows mediation standardizes it on."""
    return float(predictor_rows(panel, "psysafe", "lag", settings.min_window_coverage)[2][1])


@dataclass
class Study:
    knobs: Knobs
    seeds: int
    cells: dict[Key, Cell]
    holm_alarms: int  # seeds with any Holm p < 0.05 among psysafe's 5 between-team outcomes
    seconds: float
    mediation: dict[MediationKey, Cell] = field(default_factory=dict)
    truth_record: dict = field(default_factory=dict)


def halves(seeds: list[int]) -> tuple[list[int], list[int]]:
    """The seeds in two halves by position (alternating): each half's truth comes from the
    other half's pool, so no seed is compared with a value its own data moved."""
    return seeds[0::2], seeds[1::2]


def run_study(seeds: Iterable[int], knobs: Knobs = Knobs(), jobs: int = 1,
              mediation: bool = False, progress: bool = False) -> Study:
    """Coverage, bias and rejections of every main term (and mediation path) over `seeds`.

    Truth: 0 for every term and path under `null` (closed form). Otherwise cross-fitted
    pseudo-true values: the seeds split into two halves; the pooled panel of one half (20 x
    40 = thousands of teams at 200 seeds) gives the truth of the other half's seeds
    (tests/analysis/pseudo_truth.py), each rescaled to the seed's own predictor SD.
    """
    started = time.perf_counter()
    seeds = list(seeds)
    kept = dict(panels(seeds, knobs, jobs=jobs))
    if progress:
        print(f"  {len(kept)} {knobs.label()} panels ready: "
              f"{time.perf_counter() - started:.0f}s", flush=True)
    truth_of, record = _truths(seeds, kept, knobs, mediation)
    fits = _fit_all(kept, mediation, jobs)
    if progress:
        print(f"  fitted: {time.perf_counter() - started:.0f}s", flush=True)
    cells = {key: Cell(np.mean([t[0].get(key, _zero()).raw for t in truth_of.values()]))
             for key in _model_keys()}
    paths: dict[MediationKey, Cell] = {}
    alarms = 0
    for seed in seeds:
        models, paths_truth = truth_of[seed]
        fitted = fits[seed]
        for key, cell in cells.items():
            row = fitted.models.get(key)
            if row is not None:
                raw = models[key].raw if key in models else 0.0
                cell.add(row.estimate, row.ci_low, row.ci_high, row.p_value, raw,
                         row.predictor_sd)
        for key, row in fitted.mediation.items():
            raw = paths_truth.get(key, (0.0, 0.0))[0]
            cell = paths.setdefault(key, Cell(raw))
            cell.add(row.indirect_estimate, row.indirect_ci_low, row.indirect_ci_high,
                     None if row.indirect_ci_low <= 0 <= row.indirect_ci_high else 0.0,
                     raw, fitted.mediation_sd)
        assert {r.adjustment for r in fitted.holm} == {"holm"}, "confirmatory rows are Holm"
        alarms += any(r.p_adjusted is not None and r.p_adjusted < 0.05 for r in fitted.holm)
    for key, cell in cells.items():
        cell.truth_raw_se = record.get("model_se", {}).get(key, 0.0)
    for key, cell in paths.items():
        cell.truth_raw_se = record.get("mediation_se", {}).get(key, 0.0)
    return Study(knobs, len(seeds), cells, alarms, time.perf_counter() - started, paths,
                 record)


def _zero():
    return PseudoTrue(0.0, 0.0, 1.0, 0, 0)


def _model_keys() -> list[Key]:
    return [(p, e, o.name) for p in PREDICTORS for e in ESTIMANDS for o in OUTCOMES]


def _truths(seeds: list[int], kept: dict[int, pd.DataFrame], knobs: Knobs, mediation: bool):
    """Per seed: (model truths, mediation truths per raw SD); and what to record of them."""
    if knobs.null:
        return {seed: ({}, {}) for seed in seeds}, {"closed_form": CLOSED_FORM_NULL_TEXT}
    per_seed, record_halves = {}, []
    model_se: dict[Key, list[float]] = {}
    mediation_se: dict[MediationKey, list[float]] = {}
    for own, other in (halves(seeds), halves(seeds)[::-1]):
        pooled = pool({s: kept[s] for s in other})
        models = model_truths(pooled, STUDY_SETTINGS)
        paths = {}
        if mediation:
            sd = _mediation_sd(pooled, STUDY_SETTINGS)
            paths = {k: (v / sd, se / sd)
                     for k, (v, se) in mediation_truths(pooled, STUDY_SETTINGS).items()}
        for seed in own:
            per_seed[seed] = (models, paths)
        for key, t in models.items():
            model_se.setdefault(key, []).append(t.raw_se)
        for key, (_, se) in paths.items():
            mediation_se.setdefault(key, []).append(se)
        record_halves.append({"pooled_seeds": other, "truth_for_seeds": own,
                              "models": models, "mediation": paths})
    # the mean truth averages two independent halves: its SE is the RMS of theirs over sqrt 2
    record = {"halves": record_halves,
              "model_se": {k: float(np.sqrt(np.mean(np.square(v)) / 2)) for k, v in
                           model_se.items()},
              "mediation_se": {k: float(np.sqrt(np.mean(np.square(v)) / 2)) for k, v in
                               mediation_se.items()}}
    return per_seed, record


def _fit_one(panel: pd.DataFrame, mediation: bool) -> SeedFit:
    return fit_seed(panel, mediation)


def _fit_all(kept: dict[int, pd.DataFrame], mediation: bool, jobs: int) -> dict[int, SeedFit]:
    seeds = sorted(kept)
    if jobs > 1 and len(seeds) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as workers:
            fitted = list(workers.map(partial(_fit_one, mediation=mediation),
                                      [kept[s] for s in seeds], chunksize=4))
    else:
        fitted = [_fit_one(kept[s], mediation) for s in seeds]
    return dict(zip(seeds, fitted, strict=True))


CLOSED_FORM_NULL_TEXT = ("under null=True every term of every delivery outcome and every "
                         "causal mediation path into one is exactly 0 (no culture -> delivery "
                         "path in the generator); the mediation table compares with 0, which "
                         "is the estimand too except where the proxy counts the outcome's own "
                         "events (proactive share -> change failure, rework: "
                         "models/analysis/mediators.py fed_by)")


def format_table(study: Study) -> str:
    lines = [f"{study.knobs.label()}: {study.seeds} seeds, {TEAMS} teams x {MONTHS} months "
             f"(4 waves), lagged window, {study.seconds:.0f} s",
             "| predictor | estimand | outcome | true value (raw, mean) | mean estimate | "
             "mean truth | bias (MC SE) | coverage | rejection rate | fits |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (predictor, estimand, outcome), cell in study.cells.items():
        lines.append(_cell_line(f"| {predictor} | {estimand} | {outcome} ", cell))
    lines.append(f"Holm family-wise alarms (psysafe, between, 5 outcomes): "
                 f"{study.holm_alarms}/{study.seeds} = {study.holm_alarms / study.seeds:.3f}")
    if study.mediation:
        lines += ["", "| predictor | mediator | outcome | indirect (raw, mean) | mean estimate | "
                      "mean truth | bias (MC SE) | coverage | CI excludes 0 | fits |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for (predictor, mediator, outcome), cell in sorted(study.mediation.items()):
            lines.append(_cell_line(f"| {predictor} | {mediator} | {outcome} ", cell))
    return "\n".join(lines)


def _cell_line(head: str, cell: Cell) -> str:
    return (f"{head}| {cell.truth_raw:+.3f} | {np.mean(cell.estimates):+.3f} | "
            f"{np.mean(cell.truths):+.3f} | {cell.bias:+.3f} ({cell.bias_mcse:.3f}) | "
            f"{cell.coverage:.3f} | {np.mean(cell.rejected):.3f} | {len(cell.estimates)} |")


def truth_file(study: Study) -> dict:
    """What tests/analysis/pseudo_truth.json records of an effect study's truths."""
    def term(key, t: PseudoTrue) -> dict:
        predictor, estimand, outcome = key
        return {"predictor": predictor, "estimand": estimand, "outcome": outcome,
                "window": "lagged", "value": t.value, "monte_carlo_se": t.se,
                "raw_value": t.raw, "raw_monte_carlo_se": t.raw_se,
                "pool_predictor_sd": t.predictor_sd, "n_teams": t.n_teams,
                "n_observations": t.n_observations,
                "structural_sign": STRUCTURAL_SIGNS.get(outcome) if predictor == "psysafe"
                else None}

    return {
        "derivation": (
            "cross-fitted pseudo-true values: the study's seeds in two alternating halves; "
            f"each half's {TEAMS}-team x {MONTHS}-month panels pooled (teams renamed apart: "
            "one org of thousands of teams with the default survey sizes and anonymity "
            "minimum) and every main model fitted once on the pool, with the production "
            "model's point estimate and CR1 team-clustered SEs (tests/analysis/"
            "pseudo_truth.py); a seed's truth is the other half's raw_value times the seed's "
            "own predictor SD. Mediation: the production point estimate on the pool, SE from "
            "a 40-replicate team bootstrap."),
        "knobs": {"effect_size": study.knobs.effect_size, "null": study.knobs.null,
                  "activity": study.knobs.activity, **{name: _default(name)
                                                       for name in ("within_share", "ar1")}},
        "teams_per_org": TEAMS, "months": MONTHS, "seeds": study.seeds,
        "closed_form": {"null": CLOSED_FORM_NULL_TEXT,
                        "structural_signs_psysafe": STRUCTURAL_SIGNS},
        "halves": [
            {"pooled_seeds": [h["pooled_seeds"][0], h["pooled_seeds"][-1],
                              len(h["pooled_seeds"])],
             "terms": [term(k, t) for k, t in sorted(h["models"].items())],
             "mediation": [{"predictor": p, "mediator": m, "outcome": o,
                            "raw_indirect": v, "raw_monte_carlo_se": se}
                           for (p, m, o), (v, se) in sorted(h["mediation"].items())]}
            for h in study.truth_record["halves"]],
    }


def _default(knob: str) -> float:
    """generate_org's default for a knob the study leaves alone."""
    return inspect.signature(generate_org).parameters[knob].default


def load_pseudo_truth(path: Path = PSEUDO_TRUTH_FILE) -> dict[Key, tuple[float, float]]:
    """(raw value, raw SE) per term, averaged over the file's two halves."""
    data = json.loads(path.read_text(encoding="utf-8"))
    values: dict[Key, list[tuple[float, float]]] = {}
    for half in data["halves"]:
        for t in half["terms"]:
            key = (t["predictor"], t["estimand"], t["outcome"])
            values.setdefault(key, []).append((t["raw_value"], t["raw_monte_carlo_se"]))
    return {k: (float(np.mean([v for v, _ in pairs])),
                float(np.sqrt(np.mean([s * s for _, s in pairs]) / len(pairs))))
            for k, pairs in values.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", choices=("effect", "null"), required=True)
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--first-seed", type=int, default=STUDY_FIRST_SEED)
    parser.add_argument("--jobs", type=int, default=2, help="processes building and fitting")
    parser.add_argument("--mediation", action="store_true", help="also the mediation paths")
    parser.add_argument("--panels-only", action="store_true",
                        help="build and keep the study's panels, fit nothing")
    parser.add_argument("--write-truth", action="store_true",
                        help=f"write the effect study's truths to {PSEUDO_TRUTH_FILE.name}")
    args = parser.parse_args()
    knobs = Knobs(null=args.study == "null")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    if args.panels_only:
        started = time.perf_counter()
        for _ in panels(seeds, knobs, jobs=args.jobs):
            pass
        print(f"{args.seeds} {knobs.label()} panels kept in {cache_folder()} "
              f"({time.perf_counter() - started:.0f} s)")
        return
    study = run_study(seeds, knobs, jobs=args.jobs, mediation=args.mediation, progress=True)
    print(format_table(study))
    if args.write_truth and not knobs.null:
        PSEUDO_TRUTH_FILE.write_text(json.dumps(truth_file(study), indent=2) + "\n",
                                     encoding="utf-8")
        print(f"wrote {PSEUDO_TRUTH_FILE}")


if __name__ == "__main__":
    main()
