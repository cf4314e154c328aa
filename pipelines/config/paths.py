"""Relative paths in candor.yaml are relative to the folder of the file, not the working directory.

A configuration names the same files wherever a command is started from: `candor sql --config
/srv/candor/candor.yaml` in a home directory, `dagster dev` from the repository root, a notebook
in `notebooks/`. Before, `warehouse.path: .candor/warehouse.duckdb` pointed at a different (empty)
warehouse from each working directory.

The paths are made absolute when the file loads, so every reader sees the same ones. The
environment variable CANDOR_WAREHOUSE still overrides `warehouse.path`
(`warehouse.connection.warehouse_path`) and, as any environment value, is taken from the working
directory when relative.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.config.schema import CandorConfig


def anchor(value: str, base: Path) -> str:
    """`value` as an absolute path: `~` expanded, a relative path joined to `base`."""
    path = Path(value).expanduser()
    if not path.is_absolute():
        # Lexical normalization: `../.candor/x` from `config/` prints as the folder it names.
        path = Path(os.path.normpath(base / path))
    return str(path)


def anchor_paths(config: CandorConfig, base: Path) -> CandorConfig:
    """`config` with its file paths absolute, relative ones taken from `base` (its folder).

    `warehouse.path` (its default too: a file without the key keeps its warehouse beside it),
    `surveys.drop_folder`, every `surveys.files[].path` and `sources.pagerduty.ca_bundle`.
    Applied after validation, so that
    an error names a path as the file writes it; the checks that compare paths (a file listed
    twice) resolve both sides alike, so they hold either way.
    """
    warehouse = config.warehouse.model_copy(update={"path": anchor(config.warehouse.path, base)})
    surveys = config.surveys
    if surveys is not None:
        files = [f.model_copy(update={"path": anchor(f.path, base)}) for f in surveys.files]
        folder = surveys.drop_folder and anchor(surveys.drop_folder, base)
        surveys = surveys.model_copy(update={"drop_folder": folder, "files": files})
    sources = config.sources
    pagerduty = sources.pagerduty
    if pagerduty is not None and pagerduty.ca_bundle is not None:
        pagerduty = pagerduty.model_copy(update={"ca_bundle": anchor(pagerduty.ca_bundle, base)})
        sources = sources.model_copy(update={"pagerduty": pagerduty})
    return config.model_copy(update={"warehouse": warehouse, "surveys": surveys,
                                     "sources": sources})
