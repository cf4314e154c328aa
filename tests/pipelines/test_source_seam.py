"""The pipeline's source seam: only configured sources get an ingest asset, a configuration
without any repository source runs, and production code never loads the simulator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli
from pipelines.config import ConfigError, load_config
from pipelines.definitions import build_definitions

ROOT = Path(__file__).resolve().parents[2]


def _survey_only(tmp_path: Path) -> Path:
    config = {
        "warehouse": {"path": str(tmp_path / "warehouse.duckdb")},
        "teams": [{"name": "payments", "members": {"github": ["ann", "bo", "cy", "di", "ed"]}}],
    }
    path = tmp_path / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_production_definitions_load_no_simulator_module():
    # A fresh interpreter: this test process has loaded the simulator for other tests.
    code = (
        "import sys\n"
        "from pipelines.definitions import build_definitions\n"
        f"build_definitions({str(ROOT / 'config' / 'example.yaml')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'simulator'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_config_without_sources_github_has_no_github_assets(tmp_path):
    defs = build_definitions(str(_survey_only(tmp_path)))
    keys = {k.to_user_string() for k in defs.get_repository_def().asset_graph.get_all_asset_keys()
            if defs.get_repository_def().asset_graph.get(k).is_materializable}
    assert not any(key.startswith("raw/github_") for key in keys)
    assert {"meta/sync_status", "meta/sync_report", "marts/deployments"} <= keys
    with_github = build_definitions(str(ROOT / "config" / "demo.yaml"))
    assert with_github.resolve_job_def("nightly").graph.node_named("github_ingest")


def test_a_survey_only_config_runs_and_publishes_the_read_only_copy(tmp_path):
    path = _survey_only(tmp_path)
    result = CliRunner().invoke(cli, ["run", "--config", str(path)])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "warehouse.readonly.duckdb"
    assert copy.exists()
    with duckdb.connect(str(copy), read_only=True) as con:
        # The delivery marts exist and are empty: no source contributed rows.
        assert con.execute("select count(*) from marts.deployments").fetchone() == (0,)
        assert con.execute("select count(*) from marts.source_freshness").fetchone() == (0,)


def test_repositories_without_their_source_are_refused_at_load(tmp_path):
    config = yaml.safe_load(_survey_only(tmp_path).read_text())
    config["teams"][0]["repos"] = {"github": ["acme/api"]}
    path = tmp_path / "candor.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match=r"teams\[0\]\) lists repos.github but candor.yaml "
                       r"has no `sources.github:` section"):
        load_config(path)
