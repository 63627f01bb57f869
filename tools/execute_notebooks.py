"""Execute notebooks top to bottom in a fresh kernel and store their outputs (make notebooks).

What is stored, and why:
- outputs from one fresh run, execution counts 1, 2, 3, ..., no timing metadata (nbval
  compares the outputs; a re-run of an unchanged notebook changes nothing);
- the ipywidgets state of the widgets the outputs show (`metadata.widgets`), with the picture
  of each live ipympl figure (`SNAPSHOT_FIGURES`), so that static renderings (nbconvert's
  HTML, nbviewer) and a trusted notebook in JupyterLab show widgets rather than a text repr.
  Only the widgets reachable from an output are kept, under model ids derived from the
  notebook's name, so the file does not change from run to run;
- in each widget output, a plain-text fallback that says in one line what to run: JupyterLab
  renders stored widgets only in a trusted notebook (and then as disconnected views whose
  controls do nothing), so a freshly cloned notebook shows this line until its cells run;
- cells tagged `solution` collapsed (`jupyter.source_hidden`, outputs too if they have any)
  behind a first line that says what they are and how to show them (see `hide_solutions`).

Usage: python tools/execute_notebooks.py NB [NB ...]
"""

import json
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: what a viewer without widgets shows in place of a widget (one line: what to run)
WIDGET_HINT = "Interactive widget: run the notebook (Run › Run All Cells) to use it."
#: the first line of every solution cell: JupyterLab shows it on the collapsed cell
SOLUTION_MARKER = "# Solution (hidden): click this line to show it, after you tried the exercise."
# a model refers to another as "IPY_MODEL_<id>"; an Output widget's outputs hold widget views
_MODEL_REF = re.compile(r'IPY_MODEL_([0-9A-Za-z_-]+)|"model_id": "([0-9A-Za-z_-]+)"')
_NAMESPACE = uuid.UUID("5a8b1f0e-7c1d-4d6b-9a51-2f6a0c3e9d41")

# Run in the kernel after the last cell: an ipympl figure's picture is stored with its widget
# only when a browser has drawn it, so store the picture each live figure shows now.
SNAPSHOT_FIGURES = """\
def _snapshot_figures():
    import sys
    if "ipympl.backend_nbagg" not in sys.modules:
        return
    import base64, io
    from ipympl.backend_nbagg import Canvas
    from ipywidgets.widgets.widget import _instances
    for widget in list(_instances.values()):
        if isinstance(widget, Canvas):
            png = io.BytesIO()
            widget.figure.savefig(png, format="png", dpi="figure")
            widget._size = tuple(widget.figure.bbox.size)
            widget._data_url = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
_snapshot_figures()
del _snapshot_figures
"""

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numerics  # noqa: E402

# the same BLAS thread and kernels as the tests (conftest.py), so outputs match theirs
numerics.apply("pinned")


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", [])


def hide_solutions(nb):
    """Collapse every cell tagged `solution` behind SOLUTION_MARKER (in place).

    JupyterLab shows a collapsed cell as its first line; a click on it shows the code.
    nbval still runs the cell and `make student` still removes it.
    """
    for cell in nb.cells:
        if not is_solution(cell):
            continue
        lines = cell.source.splitlines()
        if not lines or lines[0] != SOLUTION_MARKER:
            cell.source = "\n".join([SOLUTION_MARKER, *lines])
        hidden = {"source_hidden": True}
        if cell.get("outputs"):
            hidden["outputs_hidden"] = True
        cell.metadata["jupyter"] = hidden


def _widget_outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if WIDGET_VIEW in out.get("data", {}):
                yield out


def keep_shown_widgets(nb, name):
    """Keep the widget state that the outputs show, under ids derived from `name` (in place).

    nbclient records every widget the kernel ever opened (closed ones included) under random
    ids. Keep those an output displays and the models they refer to, renamed in the order
    they are met, so that running an unchanged notebook again writes the same file.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order = []

    def visit(model_id):
        if model_id in order or model_id not in state:
            return
        order.append(model_id)
        for refs in _MODEL_REF.findall(json.dumps(state[model_id]["state"], sort_keys=True)):
            visit(refs[0] or refs[1])

    outputs = list(_widget_outputs(nb))
    for out in outputs:
        visit(out["data"][WIDGET_VIEW]["model_id"])
    if not order:
        nb.metadata.pop("widgets", None)
        for out in outputs:
            out["data"]["text/plain"] = WIDGET_HINT
        return
    new = {old: uuid.uuid5(_NAMESPACE, f"{name}:{i}").hex for i, old in enumerate(order)}
    text = json.dumps({m: state[m] for m in order})
    kept = json.loads(re.sub("|".join(map(re.escape, order)), lambda m: new[m.group()], text))
    for model in kept.values():
        model["state"].pop("msg_id", None)  # the Output widget's link to a past execution
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": kept, "version_major": 2,
                                             "version_minor": 0}}
    for out in outputs:
        view = out["data"][WIDGET_VIEW]
        view["model_id"] = new.get(view["model_id"], view["model_id"])
        out["data"]["text/plain"] = WIDGET_HINT


def tidy(nb, name):
    """Everything but the outputs: widget state, collapsed solutions, no volatile metadata."""
    keep_shown_widgets(nb, name)
    hide_solutions(nb)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}


def execute(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    hide_solutions(nb)
    nb.cells.append(nbformat.v4.new_code_cell(SNAPSHOT_FIGURES))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:
        nb.cells.pop()
    tidy(nb, path.name)
    nbformat.write(nb, path)


def main(paths):
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"{path}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
