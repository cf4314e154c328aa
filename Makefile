# Two commands on a fresh machine: `make demo` and `make test`. Both bootstrap uv from PyPI if it
# is missing and install the locked environment first. uv must use the machine's Python 3.11.
export UV_PYTHON_DOWNLOADS := never
# Installed packages get their bytecode compiled once, at install: where PYTHONDONTWRITEBYTECODE
# is set (as on this machine and in many container images) Python never writes it while
# importing, and every process compiled dagster & co. again (the pipeline's imports: 9.3 s, with
# bytecode 3.4 s; compiling the environment once takes about 16 s).
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: demo test lint validate bench calibrate sync dev notebook

sync:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.9"
	@$(UV) sync --locked --quiet

demo: sync
	@$(UV) run --locked candor demo

# Two pytest workers (pytest-xdist), each file's tests on one worker so that its module
# fixtures are built once: about 335 s on 2 cores against 520-575 s in one process.
test: sync validate
	@$(UV) run --locked ruff check .
	@$(UV) run --locked pytest -n 2 --dist loadfile

# What `dagster dev` does on open: load the code location on the demo config and resolve every
# job, schedule and sensor, so the UI can never open on a Failed location.
validate: sync
	@DAGSTER_HOME=$(CURDIR) CANDOR_CONFIG=config/demo.yaml $(UV) run --locked \
		dagster definitions validate -m pipelines.definitions

bench: sync
	@$(UV) run --locked pytest tests/benchmarks -m benchmark -s -p no:cacheprovider

# The statistics' calibration study: 200 synthetic panels per model with known coefficients;
# prints the coverage table of docs/analysis.md and fails outside 92-98% coverage.
calibrate: sync
	@$(UV) run --locked pytest tests/analysis -m slow -s -p no:cacheprovider

dev: sync
	@DAGSTER_HOME=$(CURDIR) $(UV) run --locked dagster dev

# Execute notebooks/*.py as Jupyter notebooks on the demo's warehouse (after `make demo`; or set
# CANDOR_WAREHOUSE / CANDOR_CONFIG): executed copies in .candor/notebooks/, plots next to the
# warehouse. `uv run --group notebook` adds the notebook dependency group to the environment.
notebook: sync
	@$(UV) run --locked --group notebook python notebooks/tools/execute_notebooks.py
