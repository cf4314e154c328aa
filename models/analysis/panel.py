"""The team-wave panel as model frames: which rows enter a model, and the predictor's scales.

A model frame holds, for one predictor, window and outcome, one row per team-wave with the
outcome's columns and the predictor standardized (mean 0, SD 1 over the shown team-waves of the
window with enough data), split into the team's mean (between) and the wave's deviation from it
(within, the Mundlak specification of reference statistics §2). Every row left out is counted
by reason, so each result can say what it did not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from models.analysis.outcomes import Outcome
from models.runner import run_model
from models.sql_files import read_model

PANEL_TABLE = "marts.culture_vs_delivery"
PANEL_SQL = Path(__file__).parent / "sql" / "culture_vs_delivery.sql"


def panel_model():
    """The panel's SQL model (it reads the culture tables, which the Python culture build
    writes, so it runs with the analysis rather than with the SQL models)."""
    return read_model(PANEL_SQL)


def missing_inputs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Upstream tables of the panel not in the warehouse yet (e.g. surveys imported before the
    first nightly run built the delivery marts), sorted."""
    present = {f"{schema}.{name}" for schema, name in con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "union all select schema_name, view_name from duckdb_views()").fetchall()}
    return sorted(set(panel_model().dependencies) - present)


def build_panel(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild marts.culture_vs_delivery from the marts, the culture tables and the settings.

    Returns the missing upstream tables instead when some are not built yet: the panel (and
    the analysis) then keep their previous state until a run has built them.
    """
    missing = missing_inputs(con)
    if not missing:
        run_model(con, panel_model())
    return missing


def read_panel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The whole panel, one row per team-wave, ordered by team and closing date."""
    return con.execute(f"select * from {PANEL_TABLE} order by team, closes_on").df()


@dataclass
class ModelFrame:
    """Rows of one model and what was left out.

    dropped: reason -> team-waves left out ("suppressed": culture hidden for anonymity,
    "not_surveyed": no score for the predictor, "coverage": the window held too little data,
    "outcome": too few values for the outcome, e.g. fewer than 3 failures for recovery).
    scale: the predictor's raw mean and SD used for standardizing (score points).
    """

    rows: pd.DataFrame
    predictor: str
    window: str
    dropped: dict[str, int] = field(default_factory=dict)
    scale: tuple[float, float] = (float("nan"), float("nan"))

    @property
    def n_teams(self) -> int:
        return int(self.rows["team"].nunique()) if len(self.rows) else 0

    @property
    def n_observations(self) -> int:
        return len(self.rows)

    @property
    def has_within(self) -> bool:
        """Within-team effects exist only when some team has two or more waves in the model."""
        return bool(len(self.rows)) and int(self.rows.groupby("team").size().max()) >= 2


def standardize(values: pd.Series) -> tuple[pd.Series, float, float]:
    """(values - mean) / SD with the mean and SD used; all NaN when the SD is 0 or undefined."""
    mean, sd = float(values.mean()), float(values.std(ddof=1))
    if not np.isfinite(sd) or sd == 0:
        return values * np.nan, mean, sd
    return (values - mean) / sd, mean, sd


def predictor_rows(panel: pd.DataFrame, predictor: str, window: str,
                   min_coverage: float) -> tuple[pd.DataFrame, dict[str, int], tuple[float, float]]:
    """Team-waves with a shown score and enough data in the window, the score standardized."""
    score = f"{predictor}_score"
    suppressed = panel[f"{predictor}_suppressed"].fillna(False).astype(bool)
    missing = panel[score].isna() & ~suppressed
    covered = panel[f"{window}_coverage_share"].fillna(0) >= min_coverage
    keep = ~suppressed & ~missing & covered
    dropped = {
        "suppressed": int(suppressed.sum()),
        "not_surveyed": int(missing.sum()),
        "coverage": int((~suppressed & ~missing & ~covered).sum()),
    }
    rows = panel.loc[keep].copy()
    rows["x"], mean, sd = standardize(rows[score].astype(float))
    size = rows["team_size"].astype(float)
    rows["size_z"] = (size - size.mean()) / size.std(ddof=1) if size.std(ddof=1) > 0 else 0.0
    return rows, dropped, (mean, sd)


def outcome_columns(rows: pd.DataFrame, outcome: Outcome, window: str) -> pd.DataFrame:
    """Adds y / events / trials / exposure for the outcome and keeps the rows it can use."""
    out = rows.copy()
    if outcome.family == "log_median":
        value = out[f"{window}_{outcome.value}"].astype(float)
        n = out[f"{window}_{outcome.n}"].fillna(0).astype(int)
        out = out.loc[(n >= outcome.min_n) & (value > 0)].copy()
        out["y"] = np.log(out[f"{window}_{outcome.value}"].astype(float))
        out["weight_n"] = out[f"{window}_{outcome.n}"].astype(int)
    elif outcome.family == "count":
        out["events"] = out[f"{window}_{outcome.events}"].fillna(0).astype(int)
        out["exposure"] = out[f"{window}_exposure_days"].astype(float)
        out = out.loc[out["exposure"] > 0].copy()
    elif outcome.family == "binomial":
        out["events"] = out[f"{window}_{outcome.events}"].fillna(0).astype(int)
        out["trials"] = out[f"{window}_{outcome.trials}"].fillna(0).astype(int)
        out = out.loc[out["trials"] >= outcome.min_n].copy()
    else:  # pragma: no cover - OUTCOMES is fixed
        raise ValueError(f"unknown family {outcome.family!r}")
    return out


def split_between_within(rows: pd.DataFrame, column: str = "x") -> pd.DataFrame:
    """x_between = the team's mean of `column` over its rows here; x_within = the deviation."""
    out = rows.copy()
    out[f"{column}_between"] = out.groupby("team")[column].transform("mean")
    out[f"{column}_within"] = out[column] - out[f"{column}_between"]
    return out


def model_frame(panel: pd.DataFrame, predictor: str, outcome: Outcome, window: str,
                min_coverage: float) -> ModelFrame:
    """The rows of one (predictor, outcome, window) model, standardized and split."""
    rows, dropped, scale = predictor_rows(panel, predictor, window, min_coverage)
    usable = outcome_columns(rows, outcome, window)
    dropped["outcome"] = len(rows) - len(usable)
    return ModelFrame(split_between_within(usable), predictor, window, dropped, scale)
