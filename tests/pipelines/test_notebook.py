"""The analyst notebook finds the warehouse from any working directory and writes its plots next
to it: the DORA trend per team, and culture against the following quarter's delivery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "dora_and_culture.py"
PLOTS = ("dora_trend", "culture_vs_delivery")
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_notebook_writes_its_plots_beside_the_configured_warehouse(
    demo_like_config: Path, tmp_path: Path
):
    directory = demo_like_config.parent
    plots = [directory / f"warehouse.{name}.png" for name in PLOTS]
    for plot in plots:
        plot.unlink(missing_ok=True)
    # Only CANDOR_CONFIG: the notebook reads the warehouse the config names, from elsewhere.
    env = {k: v for k, v in os.environ.items() if k not in ("CANDOR_WAREHOUSE", "DAGSTER_HOME")}
    env["CANDOR_CONFIG"] = str(demo_like_config)
    done = subprocess.run(
        [sys.executable, str(NOTEBOOK)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for plot in plots:
        assert plot.read_bytes().startswith(PNG) and plot.stat().st_size > 10_000, plot
        assert f"saved {plot}" in done.stdout
    # Every table the plots are drawn from has rows: the scatter is not an empty frame.
    assert "Empty DataFrame" not in done.stdout
    assert list(tmp_path.iterdir()) == []
