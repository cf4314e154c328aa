"""Load a simulated organization straight into a warehouse, skipping HTTP (for the statistics
tests and benchmarks that need many large organizations; the HTTP path has its own tests).

`load_org(org, con_or_path, config)` writes what a full-refresh sync and survey import would:
- meta.team_repos, meta.team_members, meta.settings through the team-reference asset's own
  `write_reference`;
- every configured repository through the connector's own `sync_repo` with the ingestion
  asset's per-repository deployment signal (its list readers, normalizers, change-set logic
  and cursors), reading the simulator's endpoint handlers in process
  (simulator/direct_requester.py); all repositories' batches are written by the warehouse's
  `write_fresh_batches` in one transaction, one bulk append per raw table (so the warehouse's
  raw GitHub tables must be empty: a new warehouse);
- the survey waves of `config.surveys` as the demo does: the simulator's clean CSV exports
  dropped into the drop folder and imported by the real survey import.
Then `build_marts(con, config)` (or the Dagster graph) builds the culture tables, every SQL
model and the analysis panel. Differences from an HTTP sync: payload URLs name
`http://sandbox.invalid` instead of the server's port, and cursors carry no ETag (the next HTTP
sync reads its first pages in full).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb

from connectors.github.sync import sync_repo
from connectors.github.tables import GITHUB_TABLES
from connectors.surveys import BUILTIN_INSTRUMENTS
from pipelines.config import CandorConfig
from simulator.direct_requester import DirectRequester
from simulator.model import Org
from simulator.surveys import export_columns, quarterly_waves, write_survey_exports
from warehouse.connection import connect
from warehouse.loading import write_fresh_batches


@dataclass
class DirectLoad:
    """What `load_org` wrote: rows per raw table, survey files imported, seconds taken."""

    repositories: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    survey_files: int = 0
    seconds: float = 0.0


def direct_config(org: Org, warehouse: str | Path, survey_folder: str | Path) -> CandorConfig:
    """A candor.yaml for `org` as the sandbox would fill it in: its teams, members and repos,
    its per-repository deployment rules, and its quarterly survey waves dropped into
    `survey_folder`."""
    columns = {}
    for instrument_id, instrument in BUILTIN_INSTRUMENTS.items():
        mapping = export_columns(instrument)
        # as the demo: the simulated response id is ignored, so no salt is needed
        mapping["ignore"] = [mapping.pop("respondent_id"), *mapping["ignore"]]
        columns[instrument_id] = mapping
    demo = org.demo_config()
    return CandorConfig.model_validate({
        "warehouse": {"path": str(warehouse)},
        "sources": {"github": {"org": org.name}},
        "teams": demo["teams"],
        "rules": {"repo_rules": demo["rules"]["repo_rules"]},
        "surveys": {
            "drop_folder": str(survey_folder),
            "waves": {name: closes.isoformat()
                      for name, closes in quarterly_waves(org.start, org.end)},
            "columns": columns,
        },
    })


def load_org(org: Org, con_or_path: duckdb.DuckDBPyConnection | str | Path,
             config: CandorConfig, today: dt.date | None = None) -> DirectLoad:
    """Write `org` into a new warehouse (a connection, or a path opened and migrated here) as a
    full-refresh sync plus survey import would; raises on any repository or file that fails,
    and (WarehouseLoadError) if the raw GitHub tables already hold rows."""
    # the pipeline's own helpers, imported when used, not with the simulator
    from pipelines.github.ingest import repo_signal
    from pipelines.reference.writing import write_reference

    started = time.perf_counter()
    owned = not isinstance(con_or_path, duckdb.DuckDBPyConnection)
    con = connect(con_or_path) if owned else con_or_path
    try:
        report = DirectLoad()
        write_reference(con, config)
        client: Any = SimpleNamespace(requester=DirectRequester(org))
        attempted_at = dt.datetime.now(dt.UTC)
        repos = [repo for _, repo in config.github_repos()]
        batches = (sync_repo(client, repo, {}, repo_signal(config, repo), full_refresh=True)
                   for repo in repos)
        report.rows = write_fresh_batches(con, GITHUB_TABLES, batches, attempted_at=attempted_at)
        report.repositories = len(repos)
        report.survey_files = _load_surveys(org, con, config, today)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if owned:
            con.close()


def _load_surveys(org: Org, con: duckdb.DuckDBPyConnection, config: CandorConfig,
                  today: dt.date | None) -> int:
    """Drop the clean CSV export of each configured wave and import them all."""
    from pipelines.surveys.importing import import_surveys

    surveys = config.surveys
    if surveys is None or not surveys.waves:
        return 0
    if not surveys.drop_folder:
        raise ValueError("load_org: the config's `surveys:` needs a drop_folder for the "
                         "simulated exports (direct_config sets one).")
    folder = Path(surveys.drop_folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for export in write_survey_exports(org, scratch, org.seed, kinds=("labels_csv",)):
            if export.wave in surveys.waves:
                shutil.copyfile(export.path, folder / f"{export.wave}_{export.instrument}.csv")
    outcomes = import_surveys(con, config, today or dt.datetime.now(dt.UTC).date())
    problems = [p for o in outcomes if o.status == "rejected" for p in o.problems]
    if problems:
        raise ValueError("load_org: survey files were refused: " + "; ".join(problems[:5]))
    return len(outcomes)


def build_marts(con: duckdb.DuckDBPyConnection, config: CandorConfig) -> list[str]:
    """Build the culture tables (as the `culture_scores` asset calls them), every SQL model (as
    their assets do, recording each build in meta.model_builds) and then the analysis panel
    marts.culture_vs_delivery (models/analysis/sql, its own asset); return the SQL models
    built, upstream first (the panel last)."""
    from models.analysis.panel import PANEL_TABLE, build_panel
    from models.build_state import Ledger, build_if_changed
    from models.culture import build_culture_tables
    from models.runner import model_order

    surveys = config.surveys
    roster = {team.name: len(team.people) for team in config.teams}
    build_culture_tables(
        con,
        anonymity_minimum=config.rules.anonymity_minimum,
        team_sizes={team: size for team, size in roster.items() if size},
        missing_rules=surveys.missing_items if surveys else None,
        bands=surveys.bands if surveys else None,
    )
    built = model_order()
    ledger = Ledger(con)
    for model in built:
        build_if_changed(con, model, force=True, ledger=ledger)
    build_panel(con)
    return [*(model.name for model in built), PANEL_TABLE]
