"""Collects the benchmark files (`bench_*.py`), which pytest's default `test_*.py` pattern skips.

Their tests are marked `benchmark`, so the default run (`-m 'not benchmark'`) deselects them;
`make bench` runs them and prints their figures. `bench_support.py` holds helpers, no tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HELPER_MODULES = {"bench_support.py"}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    name = file_path.name
    if parent.session.isinitpath(file_path):
        return None  # named on the command line: pytest collects it whatever its name
    if name.startswith("bench_") and name.endswith(".py") and name not in HELPER_MODULES:
        return pytest.Module.from_parent(parent, path=file_path)
    return None
