"""Load candor.yaml with errors a platform engineer can act on without reading the code."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipelines.config.paths import anchor_paths
from pipelines.config.schema import CandorConfig

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"


class ConfigError(Exception):
    """candor.yaml is missing, not YAML, or does not match the schema."""


def resolve_config_path(explicit: str | os.PathLike | None = None) -> Path:
    """--config, else CANDOR_CONFIG, else the demo configuration shipped with Candor.

    Absolute, so that the paths in the file (relative to its folder) and the caches keyed by
    it mean the same file whatever the working directory is later."""
    chosen = explicit or os.environ.get("CANDOR_CONFIG")
    return Path(chosen).expanduser().absolute() if chosen else DEMO_CONFIG


def _where(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _explain(error: dict) -> str:
    where = _where(tuple(error["loc"]))
    kind = error["type"]
    if kind == "extra_forbidden" and "token" in str(error["loc"][-1]).lower():
        return f"{where}: tokens never go in candor.yaml; name an environment variable in token_env"
    if kind == "extra_forbidden":
        return f"{where}: unknown key; remove it or fix its spelling (see docs/configuration.md)"
    if kind == "missing":
        return f"{where}: required key is missing; add it"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def load_config(path: str | os.PathLike | None = None) -> CandorConfig:
    """Read and validate candor.yaml (see `resolve_config_path` for which file).

    Every check runs here, before any file, folder or warehouse is created: the schema (keys,
    types, rules, schedule, URLs, teams) and the paths, made absolute from the file's folder.
    What only a run needs from the environment (tokens) is `check_run_environment`'s job, so
    that `candor sql` and `candor survey check` work without a token."""
    config_path = resolve_config_path(path)
    if not config_path.is_file():
        raise ConfigError(
            f"{config_path}: no such configuration file; pass --config PATH or set CANDOR_CONFIG"
        )
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{config_path}: expected a mapping with keys such as `teams:`")
    try:
        config = CandorConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{config_path}: {_explain(e)}" for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from None
    return anchor_paths(config, config_path.parent)
