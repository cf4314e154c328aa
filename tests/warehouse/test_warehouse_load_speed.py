"""Loading speed of a 100k-row batch: printed (`pytest -s`), not asserted against a time."""

from __future__ import annotations

import time

from warehouse_batches import ROWS_PER_UNIT, make_batch

from connectors.github.tables import GITHUB_TABLES
from warehouse.loading import write_batch

ROWS = 100_000 // ROWS_PER_UNIT * ROWS_PER_UNIT  # about 100k: whole units of make_batch


def test_a_100k_row_batch_loads_and_reloads(con):
    batch = make_batch("acme/web", ROWS // ROWS_PER_UNIT)

    started = time.perf_counter()
    written = write_batch(con, GITHUB_TABLES, batch)
    first = time.perf_counter() - started
    started = time.perf_counter()
    write_batch(con, GITHUB_TABLES, batch)  # every row now conflicts with a stored one
    again = time.perf_counter() - started

    print(
        f"\nwrite_batch, {ROWS:,} rows: new {ROWS / first:,.0f} rows/s ({first:.2f} s); "
        f"all upserts {ROWS / again:,.0f} rows/s ({again:.2f} s)"
    )
    assert sum(written.values()) == ROWS
    stored = con.execute(
        "select (select count(*) from raw.github_pull_commits) "
        "+ (select count(*) from raw.github_pull_requests)"
    ).fetchone()[0]
    assert stored == ROWS * 4 // ROWS_PER_UNIT  # 3 commits + 1 pull request per unit
