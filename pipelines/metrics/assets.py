"""staging/*, marts/*: one Dagster asset per SQL model file under models/sql.

The asset's key is the model's warehouse address ([schema, table]), its upstream assets are the
tables the SQL reads (found by DuckDB's parser), and its description is the model's header, so
the UI shows what the SQL file documents. A model whose definition and inputs are unchanged
since its last build is kept as it is (models/build_state.py; `candor/rebuilt` in its metadata
says which), unless the run is a full refresh; so is a view whose definition is unchanged (a
view holds no rows), whose row count is then not shown. Checks written as SQL files
(models/checks) run after the model is built or kept, on the same connection.
"""

import dagster as dg

from models.build_state import build_if_changed
from models.runner import model_order
from models.sql_files import SqlModel
from pipelines.metrics.checks import check_specs_for, run_checks
from pipelines.shared.ingest_asset import is_full_refresh
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource


def _asset_for(model: SqlModel) -> dg.AssetsDefinition:
    @dg.asset(
        key=[model.schema, model.table],
        deps=[dg.AssetKey(dep.split(".")) for dep in sorted(model.dependencies)],
        description=model.comment,
        group_name=model.schema,
        kinds={"duckdb", "sql"},
        metadata={"sql_file": str(model.path.relative_to(model.path.parents[3]))},
        check_specs=check_specs_for(model.name),
        pool="duckdb",
    )
    def _build(context: dg.AssetExecutionContext, candor: CandorResource):
        with candor.writer() as con:
            # kept as it is when its definition and inputs are unchanged since its last build
            # (models/build_state.py); a full-refresh run rebuilds it
            build = build_if_changed(con, model, force=is_full_refresh(context.run.tags))
            if build.skipped:
                # a view is kept on its definition alone (it holds no rows), a table on its inputs
                unchanged = "definition" if model.materialization == "view" else "inputs"
                context.log.info(f"{model.name}: {unchanged} unchanged since its last build, "
                                 "kept")
            if build.rows is None:
                # a kept view: counting its rows would compute it whole, the work keeping it
                # saves; no count rather than its last build's, which may be stale
                metadata = {}
            else:
                # a view's rows were counted while it was exercised: not computed again here
                metadata = table_metadata(con, model.name, rows=build.rows,
                                          preview=model.materialization == "table")
            metadata["candor/rebuilt"] = dg.MetadataValue.bool(not build.skipped)
            yield dg.MaterializeResult(metadata=metadata)
            yield from run_checks(con, model.name)

    return _build


def model_assets() -> list[dg.AssetsDefinition]:
    """One asset per SQL model, upstream first."""
    return [_asset_for(model) for model in model_order()]
