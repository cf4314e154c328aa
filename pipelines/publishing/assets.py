"""published/warehouse_snapshot: a read-only copy of the warehouse for leaders and analysts.

DuckDB keeps every other process out of the warehouse file while a run writes it, readers
included. The last step of a run copies the finished warehouse next to it
(`<name>.readonly.duckdb`), atomically; `candor sql` and notebooks read that copy while the next
run is under way.
"""

import dagster as dg

from models.runner import model_order
from pipelines.shared.resources import CandorResource
from warehouse.publish import publish_read_only_copy, snapshot_path

__all__ = ["snapshot_path", "warehouse_snapshot"]


@dg.asset(
    key=["published", "warehouse_snapshot"],
    deps=[
        *(dg.AssetKey([m.schema, m.table]) for m in model_order() if m.schema == "marts"),
        dg.AssetKey(["marts", "culture_team_wave"]),
        dg.AssetKey(["marts", "culture_org_wave"]),
        dg.AssetKey(["analysis", "reliability"]),
        dg.AssetKey(["marts", "culture_vs_delivery"]),
        dg.AssetKey(["analysis", "model_results"]),
        dg.AssetKey(["analysis", "mediation_results"]),
    ],
    group_name="published",
    kinds={"duckdb"},
    pool="duckdb",
)
def warehouse_snapshot(context: dg.AssetExecutionContext, candor: CandorResource):
    """A read-only copy of the whole warehouse, published atomically after every model is
    built; readers open it at any time, even while the next run writes the warehouse."""
    with candor.writer() as con:
        target = publish_read_only_copy(con, snapshot_path(candor.warehouse_file))
    context.log.info(f"published {target}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "bytes": dg.MetadataValue.int(target.stat().st_size),
        }
    )
