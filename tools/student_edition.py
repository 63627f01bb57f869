"""Build the student edition: every notebook without its solutions (make student).

Cells tagged `solution` are removed (nbconvert's TagRemovePreprocessor) and all outputs are
cleared, so neither a worked answer nor the "✓" it produced survives.
Usage: python tools/student_edition.py SOURCE_DIR TARGET_DIR
"""

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor


def build_one(path, target):
    """Write the student copy of one notebook into the folder `target`; return its path."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    nb, _ = TagRemovePreprocessor(remove_cell_tags={"solution"}, enabled=True).preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor(enabled=True).preprocess(nb, {})
    out = target / Path(path).name
    nbformat.write(nb, out)
    return out


def build(source, target):
    """Student copies of every lesson notebook in `source`."""
    return [build_one(path, target) for path in sorted(Path(source).glob("[0-9][0-9]_*.ipynb"))]


if __name__ == "__main__":
    for p in build(*sys.argv[1:3]):
        print(p)
