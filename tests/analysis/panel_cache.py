"""Simulated-org panels for the recovery study, built in parallel and kept on disk.

A panel costs about 50 s of one core (generate, load through the connector, build every mart);
fitting it costs about a second. Keeping each seed's panel lets the 200-seed study be re-fitted
after a change to the statistics in minutes instead of hours, and lets `--jobs 2` use both
cores. A cached panel is reused only if it was built by the same upstream code: the folder is
named by a hash of every file that shapes a panel (the simulator, the connector, the warehouse,
the SQL models, the culture tables and the panel's own code), so any change there starts a new
folder and old panels are never read. The fitting code is deliberately outside the hash.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ("simulator", "connectors", "warehouse", "models/sql", "models/culture",
            "models/analysis/sql", "models/analysis/panel.py", "models/runner.py",
            "pipelines/config", "pipelines/github/ingest.py", "pipelines/reference")
DEFAULT_FOLDER = ROOT / ".candor" / "recovery-panels"  # .candor/ is local state, never committed

PanelMaker = Callable[[int], pd.DataFrame]


def upstream_fingerprint() -> str:
    """A hash of every .py/.sql/.yaml file a panel depends on (paths and contents)."""
    digest = hashlib.sha256()
    for entry in UPSTREAM:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.suffix in {".py", ".sql", ".yaml"})
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def cache_folder() -> Path | None:
    """Where panels are kept: CANDOR_RECOVERY_CACHE (a folder, or 0/off for none), else
    .candor/recovery-panels; one subfolder per upstream fingerprint. CANDOR_RECOVERY_PANELS
    names one subfolder outright (to re-fit panels kept by an earlier version of the code on
    purpose, e.g. while unrelated upstream work is in progress)."""
    pinned = os.environ.get("CANDOR_RECOVERY_PANELS")
    if pinned:
        return Path(pinned)
    setting = os.environ.get("CANDOR_RECOVERY_CACHE", "")
    if setting.lower() in {"0", "off", "no", "false"}:
        return None
    return (Path(setting) if setting else DEFAULT_FOLDER) / upstream_fingerprint()


def cached_panels(seeds: Iterable[int], label: str, make: PanelMaker, jobs: int = 1,
                  folder: Path | None = None) -> Iterable[tuple[int, pd.DataFrame]]:
    """(seed, panel) for every seed, in seed order: read from `folder` when kept there, else
    made by `make(seed)` (in `jobs` processes) and kept. `make` must be picklable (a
    module-level function or functools.partial of one)."""
    seeds = list(seeds)

    def path(seed: int) -> Path | None:
        return folder / f"{label}-seed{seed}.pkl" if folder else None

    missing = [s for s in seeds if not (path(s) and path(s).exists())]
    made: dict[int, pd.DataFrame] = {}
    if missing:
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
        if jobs > 1 and len(missing) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for seed, panel in zip(missing, pool.map(make, missing), strict=True):
                    _keep(path(seed), panel)
                    made[seed] = panel
        else:
            for seed in missing:
                made[seed] = panel = make(seed)
                _keep(path(seed), panel)
    for seed in seeds:
        if seed in made:
            yield seed, made.pop(seed)
        else:
            with path(seed).open("rb") as handle:  # type: ignore[union-attr]
                yield seed, pickle.load(handle)


def _keep(path: Path | None, panel: pd.DataFrame) -> None:
    """Write atomically, so a killed run never leaves half a panel to be read later."""
    if path is None:
        return
    partial = path.with_suffix(".part")
    with partial.open("wb") as handle:
        pickle.dump(panel, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
