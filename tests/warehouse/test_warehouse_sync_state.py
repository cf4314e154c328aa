"""Sync cursors: written with their batch, read back as Cursor records, reset per source."""

from __future__ import annotations

from warehouse_batches import make_batch

from connectors.github.records import Cursor
from connectors.github.tables import GITHUB_TABLES
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors, reset_cursors


def test_cursors_round_trip_keyed_by_scope_and_resource(con):
    batch = make_batch("acme/web", 2)
    write_batch(con, GITHUB_TABLES, batch)

    cursors = read_cursors(con, "github")

    assert cursors == {(c.scope, c.resource): c for c in batch.cursors}
    assert cursors[("acme/web", "deployments")] == Cursor(
        "github", "acme/web", "deployments", "2", 'W/"2"'
    )
    assert read_cursors(con, "gitlab") == {}


def test_a_later_batch_moves_its_cursors_and_leaves_other_repositories_alone(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2))
    write_batch(con, GITHUB_TABLES, make_batch("acme/api", 1))
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 3, first=3))

    cursors = read_cursors(con, "github")
    assert cursors[("acme/web", "deployments")].cursor == "5"  # last of deployments 3..5
    assert cursors[("acme/api", "deployments")].cursor == "1"
    assert len(cursors) == 6


def test_full_refresh_drops_cursors_the_new_batch_does_not_bring(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 2))
    refreshed = make_batch("acme/web", 1)
    refreshed.cursors = [c for c in refreshed.cursors if c.resource == "deployments"]
    write_batch(con, GITHUB_TABLES, refreshed, replace=True)

    assert set(read_cursors(con, "github")) == {("acme/web", "deployments")}


def test_reset_forgets_every_cursor_of_one_source(con):
    write_batch(con, GITHUB_TABLES, make_batch("acme/web", 1))
    write_batch(con, GITHUB_TABLES, make_batch("acme/api", 1))
    con.execute(
        "insert into meta.sync_state values ('gitlab', 'group/app', 'merge_requests', '7', null, "
        "now())"
    )

    assert reset_cursors(con, "github") == 6
    assert read_cursors(con, "github") == {}
    assert list(read_cursors(con, "gitlab")) == [("group/app", "merge_requests")]
