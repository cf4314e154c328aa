"""marts/culture_vs_delivery, analysis/model_results, analysis/mediation_results.

The panel joins the culture scores (written by the culture asset) to the delivery marts, so it
is built here, after both, rather than with the SQL models; the statistics are refitted when
the panel, the `analysis:` settings or the statistics code changed since the last fit, and on a
full refresh (models/analysis/fit_state.py; `candor/refitted` in the metadata says which).
Headline estimates go into the materialization metadata.
"""

import dagster as dg

from models.analysis.build import build_analysis, settings_from
from models.analysis.panel import PANEL_TABLE, build_panel, panel_model
from models.analysis.writing import confirmatory_sentences
from pipelines.shared.ingest_asset import is_full_refresh
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource

_PANEL = panel_model()
ANALYSIS_TABLES = {
    "analysis.model_results": "Culture vs delivery: one row per model term (between / within "
                              "/ pooled) with CI, p, Holm-adjusted p, power and a sentence.",
    "analysis.mediation_results": "Psychological safety -> learning behaviour -> delivery: "
                                  "indirect effects with team-bootstrap intervals.",
}


@dg.asset(
    key=_PANEL.key_path,
    deps=[dg.AssetKey(dep.split(".")) for dep in sorted(_PANEL.dependencies)],
    description=_PANEL.comment,
    group_name="analysis",
    kinds={"duckdb", "sql"},
    pool="duckdb",
)
def culture_vs_delivery(context: dg.AssetExecutionContext, candor: CandorResource):
    with candor.writer() as con:
        missing = build_panel(con)
        if missing:
            # surveys imported before the first nightly run: nothing to join yet, and that is
            # no failure (the survey job must still publish the new culture scores)
            context.log.warning(f"panel not rebuilt: {', '.join(missing)} not built yet; the "
                                "next nightly run builds it")
            yield dg.MaterializeResult(metadata={"waiting_for": dg.MetadataValue.text(
                ", ".join(missing))})
            return
        yield dg.MaterializeResult(metadata=table_metadata(con, PANEL_TABLE))


@dg.multi_asset(
    name="culture_delivery_models",
    specs=[
        dg.AssetSpec(table.split("."), description=text, group_name="analysis",
                     kinds={"duckdb", "python"}, deps=[dg.AssetKey(_PANEL.key_path)])
        for table, text in ANALYSIS_TABLES.items()
    ],
    pool="duckdb",
)
def culture_delivery_models(context: dg.AssetExecutionContext, candor: CandorResource):
    """Fit the culture-vs-delivery models on the team-wave panel: log median lead and recovery
    time (OLS), deployments (Poisson with exposure), change failure and rework (binomial), each
    with between- and within-team terms and team-clustered CR2 errors with Bell-McCaffrey
    degrees of freedom; Holm across the five outcomes; mediation through the behavioural
    proxies with a team bootstrap (docs/analysis.md). Associations, not causal effects."""
    with candor.writer() as con:
        summary = build_analysis(con, settings_from(candor.config), rebuild_panel=False,
                                 force=is_full_refresh(context.run.tags))
        if summary.kept:
            context.log.info("panel, analysis settings and statistics code unchanged since the "
                             "last fit: the results were kept")
        if summary.skipped_because:
            context.log.warning("culture-vs-delivery models not fitted: "
                                f"{', '.join(summary.skipped_because)} not built yet")
            for table in ANALYSIS_TABLES:
                yield dg.MaterializeResult(asset_key=table.split("."), metadata={
                    "waiting_for": dg.MetadataValue.text(", ".join(summary.skipped_because))})
            return
        headline = confirmatory_sentences(con)
        for table in ANALYSIS_TABLES:
            metadata = table_metadata(con, table)
            metadata["candor/refitted"] = dg.MetadataValue.bool(not summary.kept)
            if table == "analysis.model_results":
                metadata["headline"] = dg.MetadataValue.md(
                    "\n".join(f"- {line}" for line in headline) or "no model could be fitted")
            yield dg.MaterializeResult(asset_key=table.split("."), metadata=metadata)
