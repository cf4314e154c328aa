"""Execute the percent-format notebooks (notebooks/*.py) as Jupyter notebooks: `make notebook`.

Each runs in a fresh IPython kernel with its own folder as working directory (as Jupyter opens
it), and the executed notebook, outputs and plots inline, is written to `.candor/notebooks/`
(git-ignored), to open in JupyterLab or VS Code. Needs the `notebook` dependency group:
`uv run --group notebook python notebooks/tools/execute_notebooks.py [NOTEBOOK.py ...]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / ".candor" / "notebooks"
# Generous: a notebook on a large organization's warehouse may take minutes; a hung one stops.
CELL_TIMEOUT_S = 600


def execute(source: Path) -> Path:
    """Run `source` in a new kernel and write the executed notebook; return its path."""
    notebook = jupytext.read(source)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        # The kernel talks to this process over 127.0.0.1 only; its warning that such TCP is
        # unencrypted would be the only line of output.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute()
    target = OUTPUT / source.with_suffix(".ipynb").name
    nbformat.write(notebook, target)
    return target


def main(arguments: list[str]) -> int:
    sources = [Path(a).resolve() for a in arguments] or sorted((ROOT / "notebooks").glob("*.py"))
    for source in sources:
        try:
            target = execute(source)
        except CellExecutionError as error:
            # The cell's own message (e.g. "no published copy ...: run `make demo` first"),
            # not nbclient's page of traceback.
            print(f"{source}: {error.ename}: {error.evalue}", file=sys.stderr)
            return 1
        print(f"{source.relative_to(ROOT)} executed: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
