"""Execute notebooks top to bottom in a fresh kernel and store their outputs (make notebooks).

Deterministic output for nbval: no timing metadata, no widget state (its model ids change
every run), execution counts 1, 2, 3, ... Usage: python tools/execute_notebooks.py NB [NB ...]
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numerics  # noqa: E402

# the same BLAS thread and kernels as the tests (conftest.py), so outputs match theirs
numerics.apply("pinned")


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, path)


def main(paths):
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"{path}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
