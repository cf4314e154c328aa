"""The packaged `candor`: the wheel, installed in a fresh virtual environment, runs.

Offline: `uv build --wheel`, a new venv, the wheel installed without dependencies, and the
locked environment's third-party packages made visible through a .pth file (added after the
venv's own site-packages, and a .pth inside it is not processed, so the checkout's editable
install is not seen). The commands run from an empty folder, so nothing of the checkout is
importable: `candor` is the wheel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")


@pytest.mark.skipif(UV is None, reason="uv builds the wheel")  # `make test` always has uv
def test_the_installed_wheel_runs_help_sql_and_a_sandbox_run(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("CANDOR_CONFIG", "CANDOR_WAREHOUSE", "DAGSTER_HOME", "VIRTUAL_ENV")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    dist, venv, work = tmp_path / "dist", tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    run = {"capture_output": True, "text": True, "timeout": 300, "env": env}
    subprocess.run([UV, "build", "--wheel", "--out-dir", str(dist), "-q"], cwd=ROOT, check=True,
                   **run)
    wheel = next(dist.glob("candor-*.whl"))
    subprocess.run([UV, "venv", "-q", str(venv), "--python", sys.executable], check=True, **run)
    subprocess.run([UV, "pip", "install", "-q", "--offline", "--no-deps", "--no-cache", "--python",
                    str(venv / "bin" / "python"), str(wheel)], check=True, **run)
    site = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
         "['purelib'])"], check=True, **run).stdout.strip())
    (site / "locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    candor = str(venv / "bin" / "candor")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([candor, *args], cwd=work, **run)

    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import pipelines; print(pipelines.__file__)"], cwd=work, **run)
    assert where.stdout.strip().startswith(str(site)), where.stdout + where.stderr

    shown = cli("--help")
    assert shown.returncode == 0 and "sandbox" in shown.stdout and "survey" in shown.stdout

    # The packaged demo configuration: written under the working folder, read from there.
    missing = cli("sql", "select 1")
    assert missing.returncode == 1
    assert f"no warehouse at {work / '.candor' / 'demo' / 'warehouse.duckdb'}" in missing.stderr
    assert (work / ".candor" / "demo" / "candor.yaml").is_file()

    config = work / "candor.yaml"
    config.write_text(yaml.safe_dump({
        "warehouse": {"path": "w.duckdb"},
        "sandbox": {"seed": 5, "teams": 1, "months": 1},
        "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
    }))
    ran = cli("run", "--config", str(config))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Warehouse: {work / 'w.duckdb'}" in ran.stdout
    queried = cli("sql", "select count(*) as teams from marts.dora_team_month "
                  "where deployments > 0", "--config", str(config))
    assert queried.returncode == 0, queried.stderr
    assert "teams" in queried.stdout
