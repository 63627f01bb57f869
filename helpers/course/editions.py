"""The course's two editions of a notebook.

Full edition: the notebook as stored in the repository (solutions present, collapsed in
JupyterLab, outputs of one fresh run). Student edition: cells tagged `solution` removed and
every output cleared, so neither a worked answer nor the "✓" it produced survives.
"""

import nbformat

SOLUTION_TAG = "solution"


def student_edition(path):
    """The notebook at `path` without its solution cells and with no outputs."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.metadata.get("tags", [])]
    nb.metadata.pop("widgets", None)  # the stored state of widgets no output shows any more
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            for key in ("collapsed", "scrolled"):  # output-view state, as nbconvert clears it
                cell.metadata.pop(key, None)
    return nb


def notebook_bytes(nb):
    """A notebook as the bytes nbformat.write writes."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def edition_bytes(path, *, student=False):
    """What a learner's copy of the notebook at `path` holds: the file itself (full
    edition) or its student edition."""
    return notebook_bytes(student_edition(path)) if student else path.read_bytes()
