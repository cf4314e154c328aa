"""staging/*, marts/*: one Dagster asset per SQL model file under models/sql.

The asset's key is the model's warehouse address ([schema, table]), its upstream assets are the
tables the SQL reads (found by sqlglot), and its description is the model's header, so the UI
shows what the SQL file documents. Checks written as SQL files (models/checks) run after the
model is built, on the same connection.
"""

import dagster as dg

from models.runner import model_order, run_model
from models.sql_files import SqlModel
from pipelines.metrics.checks import check_specs_for, run_checks
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
            rows = run_model(con, model)
            # a view's rows were counted while it was exercised: not computed again here
            yield dg.MaterializeResult(metadata=table_metadata(
                con, model.name, rows=rows, preview=model.materialization == "table"))
            yield from run_checks(con, model.name)

    return _build


def model_assets() -> list[dg.AssetsDefinition]:
    """One asset per SQL model, upstream first."""
    return [_asset_for(model) for model in model_order()]
