"""Every table and column a reader can see carries a COMMENT ON description (DESIGN §7)."""

from __future__ import annotations

from warehouse.comments import missing_comments, table_comments


def test_every_raw_and_meta_table_and_column_has_a_comment(con):
    assert missing_comments(con, ["raw", "meta"]) == []


def test_missing_table_view_and_column_comments_are_listed(con):
    con.execute("create table raw.scratch (a integer, b integer)")
    con.execute("comment on column raw.scratch.a is 'Documented.'")
    con.execute("create view meta.scratch_view as select 1 as one")
    con.execute("comment on view meta.scratch_view is '   '")  # blank counts as missing

    assert missing_comments(con, ["raw", "meta"]) == [
        "meta.scratch_view",
        "meta.scratch_view.one",
        "raw.scratch",
        "raw.scratch.b",
    ]


def test_table_comments_give_the_table_and_column_texts(con):
    comments = table_comments(con, "meta")

    sync_state = comments["meta.sync_state"]
    assert sync_state.kind == "table"
    assert sync_state.comment.startswith("Incremental sync cursors")
    assert list(sync_state.columns) == [
        "source", "scope", "resource", "cursor", "etag", "synced_at",
    ]
    assert sync_state.columns["etag"].startswith("ETag of the first page")
    assert all(name.startswith("meta.") for name in comments)
