"""The demo's survey exports: clean CSV exports of the simulated organization's quarterly waves,
written into the drop folder as a survey tool's export would arrive there."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipelines.config import CandorConfig


def ensure_demo_exports(config: CandorConfig) -> list[Path]:
    """Write the sandbox's exports into the drop folder unless they are there already."""
    if config.sandbox is None or config.surveys is None or not config.surveys.drop_folder:
        return []
    folder = Path(config.surveys.drop_folder)
    wanted = [
        folder / f"{wave}_{i}.csv" for wave in config.surveys.waves for i in ("westrum", "psysafe")
    ]
    if all(path.exists() for path in wanted):
        return []
    # Only a sandbox configuration loads the simulator (pipelines/shared/sandbox.py).
    from pipelines.shared.sandbox import survey_exports

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for export in survey_exports(config.sandbox, scratch):
            target = folder / f"{export.wave}_{export.instrument}.csv"
            if export.kind == "labels_csv" and target in wanted and not target.exists():
                shutil.copyfile(export.path, target)
                written.append(target)
    return written
