"""Which candor.yaml a command uses, loaded without importing Dagster or generating data.

`--config`, else CANDOR_CONFIG, else the demo configuration: the repository's config/demo.yaml
in a checkout; in an installed `candor` (a wheel holds no repository), a copy of the packaged
demo configuration written to `.candor/demo/candor.yaml` under the working directory, so its
warehouse lands there and not inside site-packages.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

PACKAGED_DEMO = Path(__file__).with_name("demo.yaml")
"""config/demo.yaml as the wheel ships it (pyproject.toml [tool.hatch...force-include])."""

INSTALLED_DEMO = Path(".candor") / "demo" / "candor.yaml"
"""Where an installed `candor` writes its demo configuration, under the working directory."""


def config_file(config_path: str | None) -> str:
    """The candor.yaml to load: the given path, CANDOR_CONFIG, else the demo configuration."""
    if config_path or os.environ.get("CANDOR_CONFIG"):
        return config_path or os.environ["CANDOR_CONFIG"]
    from pipelines.config.loading import DEMO_CONFIG

    if DEMO_CONFIG.is_file():
        return str(DEMO_CONFIG)
    return str(_installed_demo(Path.cwd() / INSTALLED_DEMO))


def _installed_demo(target: Path) -> Path:
    if target.is_file():
        return target
    data = yaml.safe_load(PACKAGED_DEMO.read_text(encoding="utf-8"))
    # The packaged file's paths point from the repository's config/ folder; here the files go
    # beside the copy.
    data["warehouse"]["path"] = "warehouse.duckdb"
    data["surveys"]["drop_folder"] = "surveys"
    target.parent.mkdir(parents=True, exist_ok=True)
    header = "# Candor's demo configuration, written by `candor` (an installed copy).\n"
    target.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def load(config_path: str | None):
    """candor.yaml validated, as written (no sandbox defaults): enough for paths and checks."""
    from pipelines.config.loading import load_config

    return load_config(config_file(config_path))


def effective(config_path: str | None):
    """candor.yaml as the pipeline uses it, sandbox teams and waves filled in from the simulated
    organization's outline (milliseconds; the organization itself is not generated)."""
    from pipelines.config.effective import effective_config

    return effective_config(config_file(config_path))


def warehouse_file(config) -> Path:
    """The warehouse file of `config` (CANDOR_WAREHOUSE overrides), its folder created; a folder
    that cannot be created is one error naming `warehouse.path`, before any step runs."""
    from warehouse.connection import WAREHOUSE_ENV, warehouse_path
    from warehouse.errors import WarehouseError

    setting = WAREHOUSE_ENV if os.environ.get(WAREHOUSE_ENV) else "warehouse.path"
    try:
        return warehouse_path(config.warehouse.path)
    except OSError as exc:
        raise WarehouseError(
            f"{setting} {os.environ.get(WAREHOUSE_ENV) or config.warehouse.path}: cannot create "
            f"its folder ({exc.strerror}: {exc.filename}); point {setting} at a file in a folder "
            "this user can write"
        ) from None
