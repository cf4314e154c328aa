"""A demo-like warehouse, built once per session, for the tests that use Candor as its reader
would: the README's commands and the notebooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.cli.execution import failure_messages, run_pipeline

# Six months: the 2026-Q2 wave has a whole quarter of delivery after it; seed 2 gives both
# teams enough members (9) for their answers to be shown, not suppressed.
DEMO_LIKE_SANDBOX = {"seed": 2, "teams": 2, "months": 6}


@pytest.fixture(scope="session")
def demo_like_config(tmp_path_factory) -> Path:
    """candor.yaml of a small simulated organization, run once through the whole pipeline.

    Its paths are relative, as in config/demo.yaml: the warehouse, its published copy and the
    survey drop folder are in the config's folder, whatever the working directory."""
    directory = tmp_path_factory.mktemp("demo_like")
    config = directory / "candor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "warehouse": {"path": "warehouse.duckdb"},
                "sandbox": DEMO_LIKE_SANDBOX,
                "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
                "surveys": {"drop_folder": "surveys"},
            }
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        # This session's own warehouse and an in-memory Dagster instance, not the caller's.
        for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
            patch.delenv(name, raising=False)
        result = run_pipeline(str(config), quiet=True)
    assert result.success, "\n".join(failure_messages(result))
    assert (directory / "warehouse.readonly.duckdb").is_file()
    return config
