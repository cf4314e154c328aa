"""warehouse.memory_limit and threads: checked by DuckDB at load, applied to a run's session."""

from __future__ import annotations

import pytest

from pipelines.config import ConfigError, load_config
from pipelines.config.regex import check_re2
from tests.pipelines.test_config import MINIMAL, write
from warehouse.connection import connect
from warehouse.engine_check import scratch_engine
from warehouse.session import check_memory_limit


def _setting(con, name: str) -> str:
    return con.execute("select current_setting(?)", [name]).fetchone()[0]


def test_the_configured_ceiling_is_the_sessions(tmp_path):
    con = connect(tmp_path / "w.duckdb", memory_limit="256MiB", threads=1)
    try:
        # DuckDB reports the limit in its own units: 256 MiB exactly
        assert _setting(con, "memory_limit") == "256.0 MiB"
        assert _setting(con, "threads") == 1
    finally:
        con.close()


def test_the_default_is_one_gigabyte_not_duckdbs_share_of_the_machine(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.warehouse.memory_limit == "1GB" and config.warehouse.threads is None
    con = connect(tmp_path / "w.duckdb", memory_limit=config.warehouse.memory_limit)
    try:
        assert _setting(con, "memory_limit") == "953.6 MiB"  # 10^9 bytes in MiB
    finally:
        con.close()


def test_a_size_duckdb_cannot_read_is_refused_at_load_naming_the_key(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, MINIMAL + "warehouse: {memory_limit: lots}\n"))
    message = str(error.value)
    assert "warehouse.memory_limit" in message and "Memory must have a number" in message


def test_checking_a_setting_leaves_the_shared_scratch_engine_as_it_was():
    # The regex and parser checks share one in-memory DuckDB; a memory_limit checked on it would
    # stay set for them (1KB would then fail every later check with an out-of-memory error).
    with scratch_engine() as engine:
        before = _setting(engine, "memory_limit")
    assert check_memory_limit("1KB") == "1KB"
    with scratch_engine() as engine:
        assert _setting(engine, "memory_limit") == before
    assert check_re2("^release-(\\d+)$") == "^release-(\\d+)$"
