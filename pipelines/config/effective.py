"""candor.yaml as a run uses it: validated, with a sandbox's teams and waves filled in.

One definition for the Dagster resource and the CLI. Dagster-free, and it loads the simulator
(through pipelines/shared/sandbox.py) only for a configuration with a `sandbox:` section.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipelines.config.loading import load_config, resolve_config_path
from pipelines.config.schema import CandorConfig


def effective_config(config_path: str | None) -> CandorConfig:
    """The configuration at `config_path` (else CANDOR_CONFIG, else the demo), as run."""
    path = resolve_config_path(config_path or None)
    mtime = path.stat().st_mtime_ns if path.is_file() else 0
    return _effective_config(path, mtime)


@lru_cache(maxsize=8)
def _effective_config(path: Path, mtime_ns: int) -> CandorConfig:
    # Keyed by modification time so an edited candor.yaml is re-read by a long-lived process.
    del mtime_ns
    config = load_config(path)
    if config.sandbox is None:
        return config
    from pipelines.shared.sandbox import with_sandbox_defaults

    return with_sandbox_defaults(config)
