"""Readers read the published copy unless they ask for the live file, and are told which one
they read and how fresh it is (`warehouse.reading`, `candor sql`)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli
from warehouse.connection import connect
from warehouse.errors import WarehouseNotFoundError
from warehouse.publish import publish_read_only_copy, snapshot_path
from warehouse.reading import open_for_reading

SYNCED = datetime(2026, 12, 3, 6, 58, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)


@pytest.fixture
def published(warehouse_file: Path) -> Path:
    """A warehouse with one sync row (06:58:30 UTC) and its copy, both dated 07:00 UTC."""
    con = connect(warehouse_file)
    con.execute(
        "insert into meta.sync_state values ('github', 'acme/api', 'issues', 'c', null, ?)",
        [SYNCED],
    )
    con.execute("checkpoint")
    publish_read_only_copy(con, snapshot_path(warehouse_file))
    con.close()
    for path in (warehouse_file, snapshot_path(warehouse_file)):
        os.utime(path, (PUBLISHED.timestamp(), PUBLISHED.timestamp()))
    return warehouse_file


def test_the_published_copy_is_read_by_default_and_says_how_fresh_it_is(published: Path):
    reading = open_for_reading(published)
    try:
        # 07:00 to 07:04:10 is 250 s: "4 min ago"; the sync at 06:58:30 prints to the minute.
        described = reading.describe(now=datetime(2026, 12, 3, 7, 4, 10, tzinfo=UTC))
    finally:
        reading.close()
    assert described == (
        f"Reading the published copy {snapshot_path(published)} (published 2026-12-03 07:00 "
        "UTC, 4 min ago; latest sync 2026-12-03 06:58 UTC)"
    )


def test_the_live_file_is_read_only_when_asked(published: Path):
    reading = open_for_reading(published, live=True)
    try:
        # Three hours after 07:00: 10,800 s, shown in hours.
        described = reading.describe(now=datetime(2026, 12, 3, 10, 0, tzinfo=UTC))
        # Raw tables are there only in the live file.
        assert reading.con.execute("select count(*) from raw.survey_answers").fetchall() == [(0,)]
    finally:
        reading.close()
    assert described == (
        f"Reading the live warehouse {published} (last written 2026-12-03 07:00 UTC, 3.0 h ago; "
        "latest sync 2026-12-03 06:58 UTC)"
    )


def test_before_anything_is_published_the_reader_is_told_what_publishes(warehouse_file: Path):
    connect(warehouse_file).close()
    with pytest.raises(WarehouseNotFoundError) as missing:
        open_for_reading(warehouse_file, live_hint="CANDOR_READ_LIVE=1")
    assert str(missing.value) == (
        f"No published copy at {snapshot_path(warehouse_file)} yet: `candor run` publishes it "
        "at the end of a run (or read the live warehouse with CANDOR_READ_LIVE=1)."
    )


def test_candor_sql_says_which_file_it_read(published: Path, tmp_path: Path):
    config = tmp_path / "candor.yaml"
    config.write_text(yaml.safe_dump({
        "warehouse": {"path": str(published)},
        "sources": {"github": {"org": "acme"}},
        "teams": [{"name": "payments", "repos": {"github": ["acme/api"]}}],
    }), encoding="utf-8")
    runner = CliRunner()
    copy = runner.invoke(cli, ["sql", "select scope from meta.sync_state", "--config", str(config)])
    live = runner.invoke(
        cli, ["sql", "select scope from meta.sync_state", "--live", "--config", str(config)]
    )
    assert copy.exit_code == 0 and live.exit_code == 0, copy.output + live.output
    assert copy.stderr.startswith(f"Reading the published copy {snapshot_path(published)} ")
    assert live.stderr.startswith(f"Reading the live warehouse {published} ")
    assert "acme/api" in copy.stdout and "acme/api" in live.stdout
