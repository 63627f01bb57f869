"""Build the student edition: every notebook without its solutions (make student).

Cells tagged `solution` are removed (nbconvert's TagRemovePreprocessor) and all outputs are
cleared, so neither a worked answer nor the "✓" it produced survives.
Usage: python tools/student_edition.py SOURCE_DIR TARGET_DIR
"""

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor


def build(source, target):
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    remove = TagRemovePreprocessor(remove_cell_tags={"solution"}, enabled=True)
    clear = ClearOutputPreprocessor(enabled=True)
    written = []
    for path in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb, _ = remove.preprocess(nb, {})
        nb, _ = clear.preprocess(nb, {})
        out = target / path.name
        nbformat.write(nb, out)
        written.append(out)
    return written


if __name__ == "__main__":
    for p in build(*sys.argv[1:3]):
        print(p)
