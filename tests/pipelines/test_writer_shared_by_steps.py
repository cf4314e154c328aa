"""A run's consecutive steps write through one warehouse connection, let go when the run ends
(warehouse/held_writer.py through CandorResource.writer)."""

from __future__ import annotations

import dagster as dg

from pipelines.shared import resources
from pipelines.shared.resources import CandorResource
from warehouse.connection import WAREHOUSE_ENV, connect_read_only


def test_consecutive_steps_share_one_open_and_the_run_lets_go_of_the_file(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(WAREHOUSE_ENV, str(path))
    opens = []
    real_connect = resources.connect

    def counted(*args, **kwargs):
        opens.append(args[0])
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(resources, "connect", counted)

    @dg.asset
    def creates(candor: CandorResource) -> None:
        with candor.writer() as con:
            con.execute("create table raw.steps (step varchar)")

    @dg.asset(deps=[creates])
    def breaks(candor: CandorResource) -> None:
        with candor.writer() as con:
            con.execute("insert into raw.steps values ('breaks')")
            raise RuntimeError("this step fails after writing outside a transaction")

    @dg.asset(deps=[creates])
    def appends(candor: CandorResource) -> None:
        with candor.writer() as con:
            con.execute("insert into raw.steps values ('appends')")

    @dg.asset(deps=[appends])
    def appends_again(candor: CandorResource) -> None:
        with candor.writer() as con:
            con.execute("insert into raw.steps values ('appends_again')")

    result = dg.materialize([creates, breaks, appends, appends_again],
                            resources={"candor": CandorResource()}, raise_on_error=False)
    assert not result.success
    started = [event.step_key for event in result.all_events if event.is_step_start]
    assert started[0] == "creates" and started[-1] != "breaks"  # steps write after the failure
    # Four writing steps: one open for the steps before the failure, one after it (a failed
    # step's connection is closed, its session state unknown). Opening per step made it four.
    assert opens == [path, path]
    # The run is over: the file is let go (in this process a writer still holding it would
    # make a read-only open fail), and every write of the steps is in it.
    con = connect_read_only(path)
    try:
        rows = sorted(step for (step,) in con.execute("select step from raw.steps").fetchall())
    finally:
        con.close()
    assert rows == ["appends", "appends_again", "breaks"]
